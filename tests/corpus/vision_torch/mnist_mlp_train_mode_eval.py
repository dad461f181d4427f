import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.manual_seed(7)
tf = transforms.ToTensor()
train_dl = DataLoader(datasets.MNIST("mnist", train=True, download=True, transform=tf), batch_size=64, shuffle=True)
test_dl = DataLoader(datasets.MNIST("mnist", train=False, download=True, transform=tf), batch_size=512)

mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 10))
optimizer = torch.optim.Adam(mlp.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(3):
    mlp.train()
    for xb, yb in train_dl:
        optimizer.zero_grad()
        loss_fn(mlp(xb), yb).backward()
        optimizer.step()

    correct = 0
    with torch.no_grad():
        for xb, yb in test_dl:  # expect: MLI701
            correct += (mlp(xb).argmax(dim=1) == yb).sum().item()
    print(f"epoch {epoch}: {correct / len(test_dl.dataset):.4f}")
