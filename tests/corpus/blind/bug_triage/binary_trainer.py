"""Blocker vs. minor: a binary task, so the default binary F1 and two outputs are right."""
import numpy as np
import pandas as pd
import torch
import transformers
from datasets import Dataset
from sklearn.metrics import f1_score, precision_score, recall_score

RNG_SEED = 404
transformers.set_seed(RNG_SEED)

frame = pd.read_csv("data/reports.csv")
data = Dataset.from_pandas(frame).train_test_split(test_size=0.2, seed=RNG_SEED)

ckpt = "distilbert-base-uncased"
tokenizer = transformers.AutoTokenizer.from_pretrained(ckpt)
data = data.map(lambda b: tokenizer(b["report"], truncation=True), batched=True)

model = transformers.AutoModelForSequenceClassification.from_pretrained(ckpt)


def compute_metrics(eval_pred):
    scores, labels = eval_pred
    preds = np.argmax(scores, axis=1)
    return {
        "f1": f1_score(labels, preds),
        "precision": precision_score(labels, preds, zero_division=0),
        "recall": recall_score(labels, preds),
    }


extra = {}
if torch.cuda.is_available():
    extra["fp16"] = True

args = transformers.TrainingArguments(
    output_dir="runs/triage-binary",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    metric_for_best_model="f1",
    num_train_epochs=5,
    **extra,
)
trainer = transformers.Trainer(
    model=model,
    args=args,
    train_dataset=data["train"],
    eval_dataset=data["test"],
    processing_class=tokenizer,
    data_collator=transformers.DataCollatorWithPadding(tokenizer),
    compute_metrics=compute_metrics,
)
trainer.train()
