import numpy as np
from datasets import load_dataset
from sklearn.metrics import accuracy_score, f1_score
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    Trainer,
    TrainingArguments,
)

data = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
holdout = data["train"].train_test_split(test_size=0.2, seed=0)

tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
prep = lambda ex: tok(ex["review"], truncation=True, padding="max_length", max_length=64)
train_set = holdout["train"].map(prep, batched=True)
dev_set = holdout["test"].map(prep, batched=True)

net = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased",
    num_labels=3,
    id2label={0: "bad", 1: "meh", 2: "good"},
    label2id={"bad": 0, "meh": 1, "good": 2},
)


def compute_metrics(eval_pred):
    raw, gold = eval_pred
    acc = accuracy_score(gold, raw)  # expect: MLI201
    f1 = f1_score(gold, np.argmax(raw, axis=-1))  # expect: MLI203
    return {"accuracy": acc, "f1": f1}


trainer = Trainer(
    model=net,
    args=TrainingArguments("runs/raw-metrics", eval_strategy="epoch", num_train_epochs=2),
    train_dataset=train_set,
    eval_dataset=dev_set,
    compute_metrics=compute_metrics,
)
trainer.train()
