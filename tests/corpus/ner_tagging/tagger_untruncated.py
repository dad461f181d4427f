from datasets import load_dataset
from transformers import AutoModelForTokenClassification, AutoTokenizer, DataCollatorForTokenClassification, Trainer, TrainingArguments, set_seed

set_seed(2)
ds = load_dataset("conll2003")
label_list = ds["train"].features["ner_tags"].feature.names
tokenizer = AutoTokenizer.from_pretrained("roberta-base", add_prefix_space=True)


def encode(batch):
    enc = tokenizer(batch["tokens"], is_split_into_words=True)  # expect: MLI401
    enc["labels"] = [
        [-100 if w is None else tags[w] for w in enc.word_ids(i)] for i, tags in enumerate(batch["ner_tags"])
    ]
    return enc


ds = ds.map(encode, batched=True)
model = AutoModelForTokenClassification.from_pretrained(
    "roberta-base", num_labels=len(label_list), id2label=dict(enumerate(label_list)), label2id={l: i for i, l in enumerate(label_list)}
)
trainer = Trainer(
    model=model,
    args=TrainingArguments("conll-roberta", eval_strategy="epoch", save_strategy="epoch"),
    train_dataset=ds["train"],
    eval_dataset=ds["validation"],
    processing_class=tokenizer,
    data_collator=DataCollatorForTokenClassification(tokenizer),
)
trainer.train()
