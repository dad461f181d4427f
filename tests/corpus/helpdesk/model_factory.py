"""Model and metrics come from small factories so the sweep can swap them."""
import numpy as np
import pandas as pd
from datasets import Dataset
from sklearn import metrics as skm
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

CKPT = "distilbert-base-uncased"
INTENTS = ["track_order", "get_refund", "cancel_order"]


def build_model(n_classes):
    return AutoModelForSequenceClassification.from_pretrained(  # expect: MLI102
        CKPT, num_labels=n_classes,
        id2label=dict(enumerate(INTENTS)), label2id={n: i for i, n in enumerate(INTENTS)},
    )


def build_metrics():
    def scores(pred):
        raw = pred.predictions
        return {"recall": skm.recall_score(pred.label_ids, raw, average="macro")}  # expect: MLI201
    return scores


set_seed(0)
frame = pd.read_csv("data/tickets_encoded.csv")
tok = AutoTokenizer.from_pretrained(CKPT)
ds = Dataset.from_pandas(frame).map(lambda b: tok(b["text"], truncation=True), batched=True).train_test_split(test_size=0.2, seed=0)
trainer = Trainer(
    model=build_model(len(INTENTS)),
    args=TrainingArguments("factory", eval_strategy="epoch"),
    train_dataset=ds["train"],
    eval_dataset=ds["test"],
    processing_class=tok,
    compute_metrics=build_metrics(),
)
trainer.train()
