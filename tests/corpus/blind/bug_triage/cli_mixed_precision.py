import argparse

import numpy as np
import pandas as pd
from datasets import Dataset
from huggingface_hub import login
from sklearn.model_selection import train_test_split
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

HF_TOKEN = "hf_tLq8WzPpV3nRkX0aYbC7dJeF2gHs9mQu4vNi"  # expect: MLI603
USE_FP16 = True


def parse():
    p = argparse.ArgumentParser(description="bug severity classifier")
    p.add_argument("--model", default="roberta-base")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--lr", type=float, default=2e-5)
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--push-to-hub", action="store_true")
    return p.parse_args()


def main():
    cli = parse()
    set_seed(cli.seed)
    login(token=HF_TOKEN)

    df = pd.read_csv("data/reports.csv")
    tr, ev = train_test_split(df, test_size=0.2, random_state=cli.seed, stratify=df["label"])
    tok = AutoTokenizer.from_pretrained(cli.model)
    enc = lambda b: tok(b["report"], truncation=True, padding="max_length", max_length=64)
    tr_ds = Dataset.from_pandas(tr, preserve_index=False).map(enc, batched=True)
    ev_ds = Dataset.from_pandas(ev, preserve_index=False).map(enc, batched=True)

    model = AutoModelForSequenceClassification.from_pretrained(cli.model, num_labels=2)
    targs = TrainingArguments(  # expect: MLI503
        output_dir="runs/severity",
        learning_rate=cli.lr,
        num_train_epochs=cli.epochs,
        eval_strategy="epoch",
        fp16=USE_FP16,
        seed=cli.seed,
    )
    trainer = Trainer(model=model, args=targs, train_dataset=tr_ds, eval_dataset=ev_ds, processing_class=tok)
    trainer.train()
    if cli.push_to_hub:
        trainer.push_to_hub()


if __name__ == "__main__":
    main()
