"""Small CNN on CIFAR-10; the reference loop for the course."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
import torchvision.transforms as T
from torch.utils.data import DataLoader, random_split

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
transform = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
full_train = torchvision.datasets.CIFAR10("data/cifar", train=True, download=True, transform=transform)
train_set, val_set = random_split(full_train, [45000, 5000], generator=torch.Generator().manual_seed(0))
test_set = torchvision.datasets.CIFAR10("data/cifar", train=False, download=True, transform=transform)


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.bn = nn.BatchNorm2d(64)
        self.fc = nn.Linear(64 * 8 * 8, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.bn(self.c2(x))), 2)
        return self.fc(torch.flatten(x, 1))


def accuracy(net, loader):
    net.eval()
    correct = 0
    with torch.no_grad():
        for images, targets in loader:
            out = net(images.to(device))
            correct += (out.argmax(1) == targets.to(device)).sum().item()
    return correct / len(loader.dataset)


net = ConvNet().to(device)
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
train_loader = DataLoader(train_set, batch_size=128, shuffle=True, num_workers=2)
val_loader = DataLoader(val_set, batch_size=256)
for epoch in range(10):
    net.train()
    for images, targets in train_loader:
        opt.zero_grad()
        loss = F.cross_entropy(net(images.to(device)), targets.to(device))
        loss.backward()
        opt.step()
    print(epoch, "val", accuracy(net, val_loader))
print("test", accuracy(net, DataLoader(test_set, batch_size=256)))
