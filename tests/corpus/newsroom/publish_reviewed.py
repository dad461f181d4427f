"""Training and publishing are separate: pass --push after reading the eval report."""
import argparse
import os

from datasets import load_dataset
from huggingface_hub import login
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

parser = argparse.ArgumentParser()
parser.add_argument("--push", action="store_true")
parser.add_argument("--epochs", type=float, default=2.0)
parser.add_argument("--seed", type=int, default=12)
cli = parser.parse_args()

if os.environ.get("HF_TOKEN"):
    login(token=os.environ["HF_TOKEN"])
set_seed(cli.seed)

news = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
tokenizer = AutoTokenizer.from_pretrained("distilbert/distilbert-base-uncased")
news = news.map(lambda b: tokenizer(b["text"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased", num_labels=4,
    id2label={0: "sports", 1: "business", 2: "science", 3: "politics"},
    label2id={"sports": 0, "business": 1, "science": 2, "politics": 3},
)
trainer = Trainer(
    model=model,
    args=TrainingArguments("newsroom-distil", num_train_epochs=cli.epochs, push_to_hub=False),
    train_dataset=news["train"],
    processing_class=tokenizer,
)
trainer.train()
print(trainer.evaluate(news["test"]))
if cli.push:
    trainer.push_to_hub("newsroom/distil-topics")
