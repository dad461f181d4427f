import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import transforms

torch.manual_seed(2)
dev = "cuda"
data = torchvision.datasets.CIFAR100("c100", train=True, download=True, transform=transforms.ToTensor())
loader = DataLoader(data, batch_size=256, shuffle=True, num_workers=4, pin_memory=True)
model = torchvision.models.resnet18(num_classes=100).to(dev)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
scaler = torch.cuda.amp.GradScaler()
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)

for epoch in range(30):
    model.train()
    optimizer.zero_grad()
    for images, labels in loader:
        with torch.autocast(device_type="cuda", dtype=torch.float16):
            loss = criterion(model(images.to(dev)), labels.to(dev))
        scaler.scale(loss).backward()
        scaler.step(optimizer)  # expect: MLI702
        scaler.update()
