"""Everything that varies between experiments lives in CONFIG."""
import numpy as np
import pandas as pd
from datasets import Dataset
from sklearn.model_selection import train_test_split
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments
from transformers import set_seed as seed_all

CONFIG = {
    "seed": 31,
    "model_name": "bert-base-cased",
    "max_length": 80,
    "training": {
        "output_dir": "runs/cfg-router",
        "num_train_epochs": 5,
        "learning_rate": 2e-5,
        "per_device_train_batch_size": 16,
        "evaluation_strategy": "steps",  # expect: MLI501
        "eval_steps": 20,
        "save_strategy": "epoch",
        "load_best_model_at_end": True,  # expect: MLI504
        "report_to": [],
    },
}


def prepare(cfg):
    data = pd.read_csv("data/requests.csv")
    vocab = sorted(data["category"].unique())
    data["label"] = [vocab.index(c) for c in data["category"]]
    a, b = train_test_split(data, test_size=0.2, random_state=cfg["seed"], stratify=data["label"])
    return a, b, vocab


def run(cfg=CONFIG):
    seed_all(cfg["seed"])
    train_df, eval_df, vocab = prepare(cfg)
    tokenizer = AutoTokenizer.from_pretrained(cfg["model_name"])
    to_features = lambda rows: tokenizer(rows["message"], truncation=True, max_length=cfg["max_length"])
    train_ds = Dataset.from_pandas(train_df, preserve_index=False).map(to_features, batched=True)
    eval_ds = Dataset.from_pandas(eval_df, preserve_index=False).map(to_features, batched=True)

    model = AutoModelForSequenceClassification.from_pretrained(
        cfg["model_name"],
        num_labels=len(vocab),
        id2label=dict(enumerate(vocab)),
        label2id={v: k for k, v in enumerate(vocab)},
    )
    args = TrainingArguments(**cfg["training"])
    trainer_kwargs = {
        "model": model,
        "args": args,
        "train_dataset": train_ds,
        "eval_dataset": eval_ds,
        "tokenizer": tokenizer,  # expect: MLI502
    }
    trainer = Trainer(**trainer_kwargs)
    trainer.train()
    return trainer.evaluate()


if __name__ == "__main__":
    print(run())
