"""python yaml_driven.py configs/news.yaml  -- all settings come from the yaml file."""
import sys

import yaml
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed


def load_config(path):
    with open(path) as fh:
        return yaml.safe_load(fh)


def run(cfg):
    set_seed(cfg["seed"])
    data = load_dataset("json", data_files=cfg["data_files"])
    tokenizer = AutoTokenizer.from_pretrained(cfg["checkpoint"])
    data = data.map(lambda b: tokenizer(b["text"], **cfg["tokenizer_kwargs"]), batched=True)
    model = AutoModelForSequenceClassification.from_pretrained(cfg["checkpoint"], **cfg["model_kwargs"])
    args = TrainingArguments(**cfg["training"])
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=data["train"],
        eval_dataset=data[cfg.get("eval_split", "validation")],
        processing_class=tokenizer,
    )
    trainer.train()
    return trainer


if __name__ == "__main__":
    run(load_config(sys.argv[1]))
