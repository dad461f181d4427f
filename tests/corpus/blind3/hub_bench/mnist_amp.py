import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets, transforms


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, 5)
        self.fc = nn.Linear(16 * 12 * 12, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return F.log_softmax(self.fc(torch.flatten(x, 1)), dim=1)


def run(opts):
    torch.manual_seed(opts.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train_loader = torch.utils.data.DataLoader(
        datasets.MNIST("../data", train=True, download=True, transform=tf), batch_size=opts.batch_size, shuffle=True
    )
    test_loader = torch.utils.data.DataLoader(datasets.MNIST("../data", train=False, transform=tf), batch_size=1000)
    model = Net().to(device)
    opt = torch.optim.Adadelta(model.parameters(), lr=opts.lr)
    scaler = torch.amp.GradScaler(enabled=device.type == "cuda")

    for epoch in range(1, opts.epochs + 1):
        model.train()
        opt.zero_grad()
        for data, target in train_loader:
            data, target = data.to(device), target.to(device)
            with torch.autocast(device_type=device.type, enabled=device.type == "cuda"):
                loss = F.nll_loss(model(data), target)
            scaler.scale(loss).backward()
            scaler.step(opt)  # expect: MLI702
            scaler.update()

        model.eval()
        test_loss = correct = 0
        with torch.no_grad():
            for data, target in test_loader:
                data, target = data.to(device), target.to(device)
                output = model(data)
                test_loss += F.nll_loss(output, target, reduction="sum").item()
                correct += output.argmax(dim=1, keepdim=True).eq(target.view_as(output.argmax(dim=1, keepdim=True))).sum().item()
        print(f"epoch {epoch}: loss {test_loss / len(test_loader.dataset):.4f} acc {correct / len(test_loader.dataset):.3f}")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description="MNIST with AMP")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--lr", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1)
    run(p.parse_args())
