"""Config-driven run: everything lives in CONFIG so the sweep script can patch it."""
import pandas as pd
from datasets import Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

CONFIG = {
    "model": {"checkpoint": "google/electra-small-discriminator", "max_length": 96},
    "data": {"path": "data/tickets_encoded.csv", "val_fraction": 0.2},
    "training": {
        "output_dir": "checkpoints/electra",
        "evaluation_strategy": "steps",  # expect: MLI501
        "eval_steps": 20,
        "save_steps": 20,
        "learning_rate": 5e-5,
        "num_train_epochs": 5,
        "seed": 99,
    },
}
ID2LABEL = {0: "track_order", 1: "get_refund", 2: "cancel_order", 3: "change_address"}


def build_datasets(cfg, tokenizer):
    frame = pd.read_csv(cfg["data"]["path"])
    ds = Dataset.from_pandas(frame)
    ds = ds.map(lambda b: tokenizer(b["text"], truncation=True, max_length=cfg["model"]["max_length"]), batched=True)
    return ds.train_test_split(test_size=cfg["data"]["val_fraction"], seed=cfg["training"]["seed"])


def main(cfg=CONFIG):
    set_seed(cfg["training"]["seed"])
    tokenizer = AutoTokenizer.from_pretrained(cfg["model"]["checkpoint"])
    splits = build_datasets(cfg, tokenizer)
    model = AutoModelForSequenceClassification.from_pretrained(
        cfg["model"]["checkpoint"],
        num_labels=len(ID2LABEL),
        id2label=ID2LABEL,
        label2id={v: k for k, v in ID2LABEL.items()},
    )
    args = TrainingArguments(**cfg["training"])
    trainer = Trainer(model=model, args=args, train_dataset=splits["train"], eval_dataset=splits["test"], processing_class=tokenizer)
    trainer.train()
    return trainer.evaluate()


if __name__ == "__main__":
    print(main())
