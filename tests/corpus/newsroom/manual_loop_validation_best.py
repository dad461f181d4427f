"""Keeps the best epoch by validation accuracy, then reports test accuracy once."""
import json

import torch
from torch import nn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split

torch.manual_seed(64)


def read(path):
    with open(path) as fh:
        rows = [json.loads(l) for l in fh]
    return [r["text"] for r in rows], [r["label"] for r in rows]


texts, labels = read("data/train.jsonl")
test_texts, test_labels = read("data/test.jsonl")
tr_x, va_x, tr_y, va_y = train_test_split(texts, labels, test_size=0.2, random_state=64, stratify=labels)
vec = TfidfVectorizer().fit(tr_x)
to_t = lambda xs: torch.tensor(vec.transform(xs).toarray(), dtype=torch.float32)
Xtr, Xva, Xte = to_t(tr_x), to_t(va_x), to_t(test_texts)
Ytr, Yva, Yte = torch.tensor(tr_y), torch.tensor(va_y), torch.tensor(test_labels)

net = nn.Linear(Xtr.shape[1], 4)
opt = torch.optim.SGD(net.parameters(), lr=0.5)
best_val, best_state = 0.0, None
for epoch in range(50):
    net.train()
    opt.zero_grad()
    nn.functional.cross_entropy(net(Xtr), Ytr).backward()
    opt.step()
    net.eval()
    with torch.no_grad():
        val_acc = (net(Xva).argmax(1) == Yva).float().mean().item()
    if val_acc > best_val:
        best_val, best_state = val_acc, {k: v.clone() for k, v in net.state_dict().items()}

net.load_state_dict(best_state)
net.eval()
with torch.no_grad():
    print("test accuracy", (net(Xte).argmax(1) == Yte).float().mean().item())
