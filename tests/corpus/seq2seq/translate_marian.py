from datasets import load_dataset
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, DataCollatorForSeq2Seq, Seq2SeqTrainer, Seq2SeqTrainingArguments, set_seed

set_seed(11)
books = load_dataset("opus_books", "en-fr")["train"].train_test_split(test_size=0.1, seed=11)
ckpt = "Helsinki-NLP/opus-mt-en-fr"
tokenizer = AutoTokenizer.from_pretrained(ckpt)


def prep(batch):
    src = [pair["en"] for pair in batch["translation"]]
    tgt = [pair["fr"] for pair in batch["translation"]]
    return tokenizer(src, text_target=tgt, max_length=128, truncation=True)


books = books.map(prep, batched=True)
model = AutoModelForSeq2SeqLM.from_pretrained(ckpt)
args = Seq2SeqTrainingArguments(
    output_dir="marian-en-fr",
    evaluation_strategy="epoch",  # expect: MLI501
    save_strategy="epoch",
    fp16=True,  # expect: MLI503
    predict_with_generate=True,
)
trainer = Seq2SeqTrainer(
    model=model,
    args=args,
    train_dataset=books["train"],
    eval_dataset=books["test"],
    tokenizer=tokenizer,  # expect: MLI502
    data_collator=DataCollatorForSeq2Seq(tokenizer, model=model),
)
trainer.train()
