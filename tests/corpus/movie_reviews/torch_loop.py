"""Plain PyTorch fine-tuning loop for the 3-way review sentiment."""
import random

import numpy as np
import pandas as pd
import torch
from torch.utils.data import DataLoader, Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer

SEED = 8
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
device = "cuda" if torch.cuda.is_available() else "cpu"

LABELS = ["negative", "neutral", "positive"]


class ReviewSet(Dataset):
    def __init__(self, frame, tokenizer):
        self.enc = tokenizer(list(frame["review"]), truncation=True, padding=True, max_length=64, return_tensors="pt")
        self.y = torch.tensor(frame["label"].values)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        item = {k: v[i] for k, v in self.enc.items()}
        item["labels"] = self.y[i]
        return item


reviews = pd.read_csv("data/reviews.csv")
shuffled = reviews.sample(frac=1.0, random_state=SEED)
cut = int(0.8 * len(shuffled))
tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
train_loader = DataLoader(ReviewSet(shuffled[:cut], tok), batch_size=8, shuffle=True)
val_loader = DataLoader(ReviewSet(shuffled[cut:], tok), batch_size=16)

model = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased",
    num_labels=len(LABELS),
    id2label=dict(enumerate(LABELS)),
    label2id={l: i for i, l in enumerate(LABELS)},
).to(device)
opt = torch.optim.AdamW(model.parameters(), lr=4e-5)

for epoch in range(3):
    model.train()
    for batch in train_loader:
        batch = {k: v.to(device) for k, v in batch.items()}
        opt.zero_grad(set_to_none=True)
        loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    model.eval()
    hits = total = 0
    with torch.no_grad():
        for batch in val_loader:
            batch = {k: v.to(device) for k, v in batch.items()}
            pred = model(**batch).logits.argmax(-1)
            hits += (pred == batch["labels"]).sum().item()
            total += len(pred)
    print(f"epoch {epoch} val acc {hits / total:.3f}")
