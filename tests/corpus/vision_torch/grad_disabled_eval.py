import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(42)
X = torch.randn(800, 10)
Y = (X.sum(1) > 0).long()
train_dl = DataLoader(TensorDataset(X[:600], Y[:600]), batch_size=32, shuffle=True)
val_dl = DataLoader(TensorDataset(X[600:], Y[600:]), batch_size=100)
clf = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 2))
sgd = torch.optim.SGD(clf.parameters(), lr=0.1)

for epoch in range(20):
    clf.train()
    for xb, yb in train_dl:
        for p in clf.parameters():
            p.grad = None
        nn.functional.cross_entropy(clf(xb), yb).backward()
        sgd.step()

clf.train(False)
torch.set_grad_enabled(False)
hits = 0
for xb, yb in val_dl:
    hits += (clf(xb).argmax(1) == yb).sum().item()
print("val accuracy", hits / 200)
