import numpy as np
import pandas as pd
from datasets import Dataset
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    Trainer,
    TrainingArguments,
)

CONFIG = {
    "paths": {"data": "data/notes.csv", "out": "checkpoints/notes-electra"},
    "model": {"encoder": "google/electra-base-discriminator", "vocab": "roberta-base"},
    "train": {
        "learning_rate": 3e-5,
        "num_train_epochs": 5,
        "per_device_train_batch_size": 16,
        "eval_strategy": "epoch",
        "save_strategy": "steps",
        "load_best_model_at_end": True,  # expect: MLI504
        "metric_for_best_model": "f1_macro",  # expect: MLI506
        "fp16": True,  # expect: MLI503
        "seed": 13,
    },
}


def build_splits(cfg, tok):
    df = pd.read_csv(cfg["paths"]["data"])
    classes = sorted(df["specialty"].unique())
    df["label"] = df["specialty"].map({c: i for i, c in enumerate(classes)})
    ds = Dataset.from_pandas(df[["note", "label"]]).train_test_split(test_size=0.2, seed=cfg["train"]["seed"])
    ds = ds.map(lambda b: tok(b["note"], truncation=True), batched=True)
    return ds, classes


def metrics(p):
    pred = np.argmax(p.predictions, axis=1)
    return {"accuracy": float((pred == p.label_ids).mean())}


def run(cfg):
    tok = AutoTokenizer.from_pretrained(cfg["model"]["vocab"])  # expect: MLI402
    ds, classes = build_splits(cfg, tok)
    model = AutoModelForSequenceClassification.from_pretrained(
        cfg["model"]["encoder"],
        num_labels=len(classes),
        id2label={i: c for i, c in enumerate(classes)},
        label2id={c: i for i, c in enumerate(classes)},
    )
    args = TrainingArguments(output_dir=cfg["paths"]["out"], **cfg["train"])
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=ds["train"],
        eval_dataset=ds["test"],
        data_collator=DataCollatorWithPadding(tok),
        compute_metrics=metrics,
    )
    trainer.train()


if __name__ == "__main__":
    run(CONFIG)
