import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(1)
ACCUM = 4
x = torch.randn(1024, 20)
y = (x[:, 0] > 0).long()
loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
model = nn.Sequential(nn.Linear(20, 64), nn.GELU(), nn.Linear(64, 2))
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)


def reset(optimizer):
    optimizer.zero_grad(set_to_none=True)


for epoch in range(5):
    model.train()
    reset(opt)
    for step, (xb, yb) in enumerate(loader, start=1):
        loss = nn.functional.cross_entropy(model(xb), yb) / ACCUM
        loss.backward()
        if step % ACCUM == 0:
            opt.step()
            reset(opt)
