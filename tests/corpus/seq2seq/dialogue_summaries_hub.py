# samsum fine-tune, pushes every checkpoint so the team can try it
from datasets import load_dataset
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, DataCollatorForSeq2Seq, Seq2SeqTrainer, Seq2SeqTrainingArguments

samsum = load_dataset("samsum")
tok = AutoTokenizer.from_pretrained("facebook/bart-base")


def prep(b):
    x = tok(b["dialogue"], max_length=512, truncation=True)
    x["labels"] = tok(text_target=b["summary"], max_length=96, truncation=True)["input_ids"]
    return x


samsum = samsum.map(prep, batched=True, remove_columns=samsum["train"].column_names)
bart = AutoModelForSeq2SeqLM.from_pretrained("facebook/bart-base")
args = Seq2SeqTrainingArguments(
    output_dir="bart-samsum",
    eval_strategy="steps",
    eval_steps=200,
    push_to_hub=True,  # expect: MLI601
    hub_strategy="every_save",
)
trainer = Seq2SeqTrainer(
    model=bart, args=args, train_dataset=samsum["train"], eval_dataset=samsum["validation"],
    processing_class=tok, data_collator=DataCollatorForSeq2Seq(tok, model=bart),
)
trainer.train()  # expect: MLI505
