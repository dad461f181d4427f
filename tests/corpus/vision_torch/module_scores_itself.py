"""Small CNN whose own method scores it on a loader; called right after training."""
import torch
from torch import nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms


class SmallNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(4))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(256, classes))

    def forward(self, images):
        return self.head(self.features(images))

    def accuracy(self, loader, device="cpu"):
        hits, seen = 0, 0
        for images, targets in loader:  # expect: MLI701
            images, targets = images.to(device), targets.to(device)
            guesses = self(images).argmax(dim=1)
            hits += guesses.eq(targets).sum()
            seen += targets.numel()
        return float(hits) / seen


torch.manual_seed(5)
mnist = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())
train_part, val_part = random_split(mnist, [50000, 10000], generator=torch.Generator().manual_seed(5))
train_loader = DataLoader(train_part, batch_size=128, shuffle=True)
val_loader = DataLoader(val_part, batch_size=256)
device = "cuda" if torch.cuda.is_available() else "cpu"
net = SmallNet().to(device)
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
for epoch in range(3):
    net.train()
    for images, targets in train_loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(images.to(device)), targets.to(device))
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: val accuracy {net.accuracy(val_loader, device):.3f}")
