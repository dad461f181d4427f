import torch
import torch.nn.functional as F
from torch import nn
from torch.optim import AdamW
from torch.utils.data import DataLoader


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc(x)


model = Net()
optimizer = AdamW(model.parameters(), lr=1e-3)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1)
scaler = torch.cuda.amp.GradScaler()
loader = DataLoader(dataset, batch_size=32, shuffle=True)

# Flagged: backward and step, no zeroing at all.
for x, y in loader:
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()  # update the weights
    scheduler.step()

# Flagged: zero_grad once per epoch is not once per step.
for epoch in range(3):
    opt.zero_grad()
    for x, y in loader:
        F.cross_entropy(model(x), y).backward()
        opt.step()

# Flagged: mixed precision, in a function, with a parameter named optimizer.
def train_amp(model, loader, optimizer):
    for batch in loader:
        with torch.autocast("cuda"):
            loss = model(**batch).loss
        scaler.scale(loss).backward()
        if True:
            scaler.step(optimizer)
        scaler.update()

# Not flagged: zeroed before backward, after step, with set_to_none, by model.zero_grad, by p.grad = None.
for x, y in loader:
    optimizer.zero_grad()
    F.cross_entropy(model(x), y).backward()
    optimizer.step()
for x, y in loader:
    F.cross_entropy(model(x), y).backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
for x, y in loader:
    model.zero_grad()
    F.cross_entropy(model(x), y).backward()
    optimizer.step()
for x, y in loader:
    F.cross_entropy(model(x), y).backward()
    optimizer.step()
    for p in model.parameters():
        p.grad = None

# Not flagged: gradient accumulation that zeroes after each accumulated step.
for i, (x, y) in enumerate(loader):
    (F.cross_entropy(model(x), y) / 4).backward()
    if (i + 1) % 4 == 0:
        optimizer.step()
        optimizer.zero_grad()


# Not flagged: a helper of this file zeroes them; an LBFGS closure zeroes them.
def train_step(x, y):
    optimizer.zero_grad()
    return F.cross_entropy(model(x), y)


for x, y in loader:
    train_step(x, y).backward()
    optimizer.step()

lbfgs = torch.optim.LBFGS(model.parameters())
for x, y in loader:
    def closure():
        lbfgs.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        return loss
    lbfgs.step(closure)

# Not flagged: only a scheduler steps; no backward.
for x, y in loader:
    scheduler.step()
for env_step in range(10):
    env.step(action)


# Flagged: the optimizer is what accelerate's prepare returns for it, whatever it is called.
from accelerate import Accelerator

accelerator = Accelerator()
net2, o, dl = accelerator.prepare(Net(), AdamW(model.parameters(), lr=1e-4), loader)
for x, y in dl:
    accelerator.backward(F.cross_entropy(net2(x), y))
    o.step()


# Flagged: an optimizer given to a helper, stepped there without zeroing.
def fit_epoch(net, upd, batches):
    for x, y in batches:
        F.cross_entropy(net(x), y).backward()
        upd.step()


fit_epoch(model, torch.optim.SGD(model.parameters(), lr=0.1), loader)


# Not flagged: the stepped object is a learning-rate scheduler (the optimizer is zeroed and stepped by a closure).
warmup = torch.optim.lr_scheduler.LinearLR(lbfgs)
for x, y in loader:
    def closure2():
        lbfgs.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        return loss
    lbfgs.step(closure2)
    warmup.step()
