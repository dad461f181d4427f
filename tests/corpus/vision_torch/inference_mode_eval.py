import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

torch.manual_seed(0)
tfm = transforms.Compose([transforms.Resize(224), transforms.ToTensor()])
train_data = datasets.ImageFolder("images/train", transform=tfm)
val_data = datasets.ImageFolder("images/val", transform=tfm)
backbone = models.resnet50(weights=models.ResNet50_Weights.DEFAULT)
backbone.fc = nn.Linear(backbone.fc.in_features, len(train_data.classes))
opt = torch.optim.AdamW(backbone.fc.parameters(), lr=1e-3)


@torch.inference_mode()
def validate(net, loader):
    net.eval()
    correct = total = 0
    for imgs, target in loader:
        predicted = net(imgs).argmax(dim=1)
        correct += (predicted == target).sum().item()
        total += target.numel()
    return correct / total


def single_prediction(net, img):
    net.eval()
    with torch.no_grad():
        return net(img.unsqueeze(0)).argmax().item()


for epoch in range(3):
    backbone.train()
    for imgs, target in DataLoader(train_data, batch_size=32, shuffle=True):
        opt.zero_grad()
        nn.functional.cross_entropy(backbone(imgs), target).backward()
        opt.step()
    print(epoch, validate(backbone, DataLoader(val_data, batch_size=64)))
print(train_data.classes[single_prediction(backbone, val_data[0][0])])
