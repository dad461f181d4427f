import pandas as pd
import torch
from torch import nn
from sklearn.model_selection import train_test_split

torch.manual_seed(0)
tickets = pd.read_csv("data/tickets.csv")
train_df, test_df = train_test_split(tickets, test_size=0.25, random_state=0, stratify=tickets["intent"])
train_y, train_names = pd.factorize(train_df["intent"])
test_y, test_names = pd.factorize(test_df["intent"])  # expect: MLI104

vocab = {w: i for i, w in enumerate(sorted({w for t in tickets["text"] for w in t.lower().split()}))}


def bag(texts):
    out = torch.zeros(len(texts), len(vocab))
    for r, t in enumerate(texts):
        for w in t.lower().split():
            out[r, vocab[w]] += 1
    return out


net = nn.Linear(len(vocab), len(train_names))
opt = torch.optim.Adam(net.parameters(), lr=0.05)
xb, yb = bag(train_df["text"].tolist()), torch.tensor(train_y)
for step in range(100):
    opt.zero_grad()
    nn.functional.cross_entropy(net(xb), yb).backward()
    opt.step()
net.eval()
with torch.no_grad():
    acc = (net(bag(test_df["text"].tolist())).argmax(1) == torch.tensor(test_y)).float().mean()
print("test acc", acc.item())
