import torch
from torch import nn


def clear(model):
    model.zero_grad(set_to_none=True)


def make_batches(n=64, dim=8, steps=50):
    g = torch.Generator().manual_seed(0)
    for _ in range(steps):
        x = torch.randn(n, dim, generator=g)
        yield x, (x[:, :2].sum(1) > 0).long()


torch.manual_seed(0)
net = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 2))
opt = torch.optim.RMSprop(net.parameters(), lr=1e-2)
net.train()
for x, y in make_batches():
    clear(net)
    nn.functional.cross_entropy(net(x), y).backward()
    opt.step()
