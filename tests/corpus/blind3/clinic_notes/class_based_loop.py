import random

import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.model_selection import train_test_split


class BagOfWords(nn.Module):
    def __init__(self, n_features, n_out):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_features, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, n_out))

    def forward(self, x):
        return self.body(x)


class Trainer:
    """A home-made trainer: not the transformers one."""

    def __init__(self, model, lr=1e-3, device="cpu"):
        self.model = model.to(device)
        self.device = device
        self.opt = torch.optim.Adam(self.model.parameters(), lr=lr)
        self.loss_fn = nn.CrossEntropyLoss()

    def fit_epoch(self, loader):
        self.model.train()
        for xb, yb in loader:
            xb, yb = xb.to(self.device), yb.to(self.device)
            self.opt.zero_grad()
            loss = self.loss_fn(self.model(xb), yb)
            loss.backward()
            self.opt.step()

    def score(self, loader):
        self.model.eval()
        right = total = 0
        for xb, yb in loader:  # expect: MLI701
            out = self.model(xb.to(self.device))
            right += (out.argmax(1).cpu() == yb).sum().item()
            total += len(yb)
        return right / total


def seed_all(s):
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)


if __name__ == "__main__":
    seed_all(5)
    df = pd.read_csv("data/notes.csv")
    codes, uniques = pd.factorize(df["specialty"], sort=True)
    feats = HashingVectorizer(n_features=2**12, alternate_sign=False).transform(df["note"]).toarray()
    a, b, ya, yb = train_test_split(feats, codes, test_size=0.2, random_state=5, stratify=codes)
    mk = lambda x, y: TensorDataset(torch.tensor(x, dtype=torch.float32), torch.tensor(y))
    train_loader = DataLoader(mk(a, ya), batch_size=16, shuffle=True)
    test_loader = DataLoader(mk(b, yb), batch_size=32)

    t = Trainer(BagOfWords(2**12, len(uniques)))
    for epoch in range(20):
        t.fit_epoch(train_loader)
    print("held-out accuracy", t.score(test_loader))
