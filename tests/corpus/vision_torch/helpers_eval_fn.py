"""Fashion-MNIST with the loop split into helpers."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def seed_all(seed=0):
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)


def build_model():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25), nn.Linear(16 * 13 * 13, 10),
    )


def train_one_epoch(model, loader, optimizer, criterion):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()


def evaluate(model, loader):
    hits = 0
    for x, y in loader:  # expect: MLI701
        hits += (model(x).argmax(-1) == y).sum().item()
    return hits / len(loader.dataset)


def main():
    seed_all(3)
    tf = transforms.ToTensor()
    tr = DataLoader(datasets.FashionMNIST("fmnist", train=True, download=True, transform=tf), batch_size=64, shuffle=True)
    te = DataLoader(datasets.FashionMNIST("fmnist", train=False, download=True, transform=tf), batch_size=256)
    model = build_model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.CrossEntropyLoss()
    for epoch in range(5):
        train_one_epoch(model, tr, opt, crit)
        print(epoch, evaluate(model, te))


if __name__ == "__main__":
    main()
