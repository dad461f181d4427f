import csv

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset, random_split


def read_rows(path):
    with open(path, newline="") as fh:
        return [(r["description"], int(r["is_fraud"])) for r in csv.DictReader(fh)]


class CharGrams(Dataset):
    def __init__(self, rows, dim=512):
        self.rows, self.dim = rows, dim

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        text, y = self.rows[i]
        v = torch.zeros(self.dim)
        for a, b in zip(text, text[1:]):
            v[hash(a + b) % self.dim] += 1.0
        return v, y


class Scorer(nn.Module):
    def __init__(self, dim=512):
        super().__init__()
        self.fc1 = nn.Linear(dim, 32)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def reset(optimizer):
    optimizer.zero_grad(set_to_none=True)


def train_epoch(net, loader, optimizer):
    net.train()
    for x, y in loader:  # expect: MLI505
        reset(optimizer)
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        optimizer.step()


def accuracy(net, loader):
    hits = 0
    with torch.no_grad():
        for x, y in loader:  # expect: MLI701
            hits += (net(x).argmax(dim=1) == y).sum().item()
    return hits / len(loader.dataset)


def main():
    full = CharGrams(read_rows("data/claims.csv"))
    n_val = len(full) // 4
    fit_part, val_part = random_split(full, [len(full) - n_val, n_val])  # expect: MLI303
    net = Scorer()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    fit_loader = DataLoader(fit_part, batch_size=4, shuffle=True)
    val_loader = DataLoader(val_part, batch_size=8)
    for epoch in range(15):
        train_epoch(net, fit_loader, optimizer)
        print(epoch, accuracy(net, val_loader))


if __name__ == "__main__":
    main()
