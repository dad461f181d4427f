from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(100)
ds = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
tokenizer = AutoTokenizer.from_pretrained("xlm-roberta-base")
tokenized = ds.map(lambda b: tokenizer(b["text"], truncation=True, max_length=64), batched=True)
clf = AutoModelForSequenceClassification.from_pretrained(
    "xlm-roberta-base", num_labels=4,
    id2label={0: "sports", 1: "business", 2: "science", 3: "politics"},
    label2id={"sports": 0, "business": 1, "science": 2, "politics": 3},
)
trainer = Trainer(
    model=clf,
    args=TrainingArguments(output_dir="xlmr-news", eval_strategy="steps", eval_steps=10),
    train_dataset=tokenized["train"],
    eval_dataset=tokenized["train"],  # expect: MLI301
    processing_class=tokenizer,
)
trainer.train()
print(trainer.predict(tokenized["test"]).metrics)
