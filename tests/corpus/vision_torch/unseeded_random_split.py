import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split

signals = torch.randn(2000, 1, 128)
kinds = torch.randint(0, 5, (2000,))
train_part, val_part = random_split(TensorDataset(signals, kinds), [1600, 400])  # expect: MLI303

net = nn.Sequential(nn.Conv1d(1, 8, 5), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(8, 5))
opt = torch.optim.Adam(net.parameters())
for epoch in range(10):  # expect: MLI505
    net.train()
    for xb, yb in DataLoader(train_part, batch_size=64, shuffle=True):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(xb), yb)
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        acc = sum((net(xb).argmax(1) == yb).sum().item() for xb, yb in DataLoader(val_part, batch_size=256)) / 400
    print(epoch, acc)
