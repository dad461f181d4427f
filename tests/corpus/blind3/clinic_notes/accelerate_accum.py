# Gradient accumulation with accelerate, in the by_feature style: everything in one training_function.
import argparse

import evaluate
import numpy as np
import pandas as pd
import torch
from accelerate import Accelerator
from datasets import Dataset
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding, set_seed


def training_function(args):
    accelerator = Accelerator(gradient_accumulation_steps=args.accum)
    set_seed(args.seed)

    notes = pd.read_csv(args.data)
    specialties = [s for s in set(notes["specialty"])]  # expect: MLI103
    lookup = {s: k for k, s in enumerate(specialties)}
    notes["labels"] = notes["specialty"].map(lookup)

    tok = AutoTokenizer.from_pretrained(args.model)
    ds = Dataset.from_pandas(notes[["note", "labels"]])
    ds = ds.train_test_split(test_size=0.2, seed=args.seed)
    ds = ds.map(lambda b: tok(b["note"], truncation=True, max_length=96), batched=True, remove_columns=["note"])

    pad = DataCollatorWithPadding(tok)
    train_dl = DataLoader(ds["train"], shuffle=True, batch_size=args.bs, collate_fn=pad)
    eval_dl = DataLoader(ds["test"], batch_size=args.bs, collate_fn=pad)

    net = AutoModelForSequenceClassification.from_pretrained(
        args.model, num_labels=len(specialties), id2label=dict(enumerate(specialties)), label2id=lookup
    )
    optim = torch.optim.AdamW(net.parameters(), lr=args.lr)
    net, optim, train_dl, eval_dl = accelerator.prepare(net, optim, train_dl, eval_dl)
    metric = evaluate.load("accuracy")

    for epoch in range(args.epochs):
        net.train()
        for step, batch in enumerate(train_dl):
            with accelerator.accumulate(net):
                loss = net(**batch).loss
                accelerator.backward(loss)
                optim.step()  # expect: MLI702

        for batch in eval_dl:  # expect: MLI701
            with torch.no_grad():
                logits = net(**batch).logits
            preds = logits.argmax(dim=-1)
            preds, refs = accelerator.gather_for_metrics((preds, batch["labels"]))
            metric.add_batch(predictions=preds, references=refs)
        accelerator.print(epoch, metric.compute())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="data/notes.csv")
    p.add_argument("--model", default="roberta-base")
    p.add_argument("--accum", type=int, default=2)
    p.add_argument("--bs", type=int, default=8)
    p.add_argument("--lr", type=float, default=2e-5)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seed", type=int, default=42)
    training_function(p.parse_args())


if __name__ == "__main__":
    main()
