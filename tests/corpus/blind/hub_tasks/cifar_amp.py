import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
import torchvision.transforms as T
from torch.utils.data import DataLoader


class SmallNet(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(64 * 8 * 8, n_classes))

    def forward(self, x):
        return self.head(self.features(x))


def make_validator(net, loader, device):
    def run():
        hits = 0
        with torch.no_grad():
            for images, targets in loader:  # expect: MLI701
                scores = net(images.to(device))
                hits += (scores.argmax(1).cpu() == targets).sum().item()
        return hits / len(loader.dataset)

    return run


torch.manual_seed(0)
device = "cuda" if torch.cuda.is_available() else "cpu"
tfm = T.Compose([T.ToTensor(), T.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])
train_loader = DataLoader(torchvision.datasets.CIFAR10("data", train=True, download=True, transform=tfm), batch_size=128, shuffle=True)
test_loader = DataLoader(torchvision.datasets.CIFAR10("data", train=False, download=True, transform=tfm), batch_size=256)

model = SmallNet().to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
scaler = torch.amp.GradScaler(device, enabled=(device == "cuda"))
validate = make_validator(model, test_loader, device)

for epoch in range(10):
    model.train()
    optimizer.zero_grad()
    for images, targets in train_loader:
        with torch.autocast(device_type=device, enabled=(device == "cuda")):
            loss = F.cross_entropy(model(images.to(device)), targets.to(device))
        scaler.scale(loss).backward()
        scaler.step(optimizer)  # expect: MLI702
        scaler.update()
    print(f"epoch {epoch}: loss={loss.item():.3f} acc={validate():.3f}")
