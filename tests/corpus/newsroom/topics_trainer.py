"""News topic classifier. Validation is carved from train; test.jsonl is scored once at the end."""
import numpy as np
from datasets import load_dataset
from sklearn.metrics import accuracy_score, f1_score
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

TOPICS = ["sports", "business", "science", "politics"]
set_seed(2718)
news = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
carved = news["train"].train_test_split(test_size=0.15, seed=2718)

checkpoint = "bert-base-cased"
tokenizer = AutoTokenizer.from_pretrained(checkpoint)


def tokenize(batch):
    return tokenizer(batch["text"], truncation=True, max_length=64)


train_ds = carved["train"].map(tokenize, batched=True)
val_ds = carved["test"].map(tokenize, batched=True)
test_ds = news["test"].map(tokenize, batched=True)

model = AutoModelForSequenceClassification.from_pretrained(
    checkpoint, num_labels=len(TOPICS), id2label=dict(enumerate(TOPICS)), label2id={t: i for i, t in enumerate(TOPICS)}
)


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    preds = logits.argmax(axis=-1)
    return {"accuracy": accuracy_score(labels, preds), "f1_macro": f1_score(labels, preds, average="macro")}


args = TrainingArguments(
    output_dir="news-bert",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    metric_for_best_model="eval_f1_macro",
    num_train_epochs=3,
)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds, processing_class=tokenizer, compute_metrics=compute_metrics)
trainer.train()
print("test:", trainer.evaluate(test_ds, metric_key_prefix="test"))
