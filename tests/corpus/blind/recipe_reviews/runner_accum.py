"""Gradient accumulation, seeding through a helper, eval mode set by the caller."""
import json
import random

import numpy as np
import torch
from torch import nn
from torch import optim as O
from torch.utils.data import DataLoader, TensorDataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer

ACCUM = 4
NAMES = ("negative", "neutral", "positive")


def fix_seeds(s):
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)
    torch.cuda.manual_seed_all(s)


def load(path, tokenizer):
    rows = [json.loads(l) for l in open(path, encoding="utf-8")]
    enc = tokenizer([r["review"] for r in rows], truncation=True, padding="longest", return_tensors="pt")
    y = torch.tensor([r["label"] for r in rows])
    return TensorDataset(enc["input_ids"], enc["attention_mask"], y)


def train_epoch(net, loader, opt, loss_fn, device):
    net.train()
    opt.zero_grad(set_to_none=True)
    for step, (ids, mask, y) in enumerate(loader, start=1):
        logits = net(input_ids=ids.to(device), attention_mask=mask.to(device)).logits
        loss = loss_fn(logits, y.to(device)) / ACCUM
        loss.backward()
        if step % ACCUM == 0 or step == len(loader):
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            opt.zero_grad(set_to_none=True)


@torch.inference_mode()
def evaluate(net, loader, device):
    hits = 0
    for ids, mask, y in loader:
        logits = net(input_ids=ids.to(device), attention_mask=mask.to(device)).logits
        hits += (logits.argmax(-1).cpu() == y).sum().item()
    return hits / len(loader.dataset)


def main(seed=77):
    fix_seeds(seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    tok = AutoTokenizer.from_pretrained("albert-base-v2")
    net = AutoModelForSequenceClassification.from_pretrained(
        "albert-base-v2",
        num_labels=len(NAMES),
        id2label=dict(enumerate(NAMES)),
        label2id={n: i for i, n in enumerate(NAMES)},
    ).to(device)
    train_dl = DataLoader(load("data/train.jsonl", tok), batch_size=4, shuffle=True)
    test_dl = DataLoader(load("data/test.jsonl", tok), batch_size=16)
    opt = O.AdamW(net.parameters(), lr=3e-5)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    for epoch in range(4):
        train_epoch(net, train_dl, opt, loss_fn, device)
        net.eval()
        print(epoch, evaluate(net, test_dl, device))


if __name__ == "__main__":
    main()
