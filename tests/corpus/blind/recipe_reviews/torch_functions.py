import json
import random

import numpy as np
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_cosine_schedule_with_warmup

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
CHECKPOINT = "bert-base-uncased"


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def read_jsonl(path):
    with open(path) as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r["review"] for r in rows], [int(r["label"]) for r in rows]


def build_loader(tokenizer, texts, labels, shuffle):
    enc = tokenizer(texts, truncation=True, padding=True, return_tensors="pt")
    items = [
        {"input_ids": enc["input_ids"][i], "attention_mask": enc["attention_mask"][i], "labels": torch.tensor(labels[i])}
        for i in range(len(texts))
    ]
    return DataLoader(items, batch_size=8, shuffle=shuffle)


def build(num_labels):
    tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)
    model = AutoModelForSequenceClassification.from_pretrained(
        CHECKPOINT,
        num_labels=num_labels,
        id2label={0: "negative", 1: "neutral", 2: "positive"},
        label2id={"negative": 0, "neutral": 1, "positive": 2},
    ).to(DEVICE)
    return tokenizer, model


def train_one_epoch(model, loader, optimizer, scheduler):
    model.train()
    running = 0.0
    for batch in loader:
        batch = {k: v.to(DEVICE) for k, v in batch.items()}
        loss = model(**batch).loss
        loss.backward()
        optimizer.step()  # expect: MLI702
        scheduler.step()
        running += loss.item()
    return running / len(loader)


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    for batch in loader:  # expect: MLI701
        batch = {k: v.to(DEVICE) for k, v in batch.items()}
        out = model(**batch)
        preds = out.logits.argmax(0)  # expect: MLI202
        correct += (preds == batch["labels"]).sum().item()
        total += batch["labels"].size(0)
    return correct / total


def main():
    seed_everything(123)
    tokenizer, model = build(3)
    tr_x, tr_y = read_jsonl("data/train.jsonl")
    te_x, te_y = read_jsonl("data/test.jsonl")
    train_loader = build_loader(tokenizer, tr_x, tr_y, shuffle=True)
    test_loader = build_loader(tokenizer, te_x, te_y, shuffle=False)

    epochs = 3
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01)
    scheduler = get_cosine_schedule_with_warmup(optimizer, 10, epochs * len(train_loader))
    for epoch in range(epochs):
        loss = train_one_epoch(model, train_loader, optimizer, scheduler)
        acc = evaluate(model, test_loader)
        print(f"epoch {epoch + 1}: loss {loss:.4f} test acc {acc:.3f}")


if __name__ == "__main__":
    main()
