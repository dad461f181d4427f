import lightning.pytorch as pl
import torch
import torch.nn.functional as F
import torchvision
import torchvision.transforms as T
from torch import nn
from torch.utils.data import DataLoader


class SmallCNN(pl.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.head = nn.Linear(64 * 8 * 8, 10)
        self.lr = lr

    def forward(self, x):
        return self.head(self.features(x).flatten(1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        self.log("val_acc", (self(x).argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr, momentum=0.9)


def test_accuracy(model, loader):
    correct = seen = 0
    with torch.inference_mode():
        for images, labels in loader:  # expect: MLI701
            correct += (model(images).argmax(1) == labels).sum().item()
            seen += labels.numel()
    return correct / seen


if __name__ == "__main__":
    pl.seed_everything(0, workers=True)
    tf = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    train = torchvision.datasets.CIFAR10("data", train=True, download=True, transform=tf)
    test = torchvision.datasets.CIFAR10("data", train=False, download=True, transform=tf)
    net = SmallCNN()
    trainer = pl.Trainer(max_epochs=5, precision="16-mixed", deterministic=True)
    trainer.fit(net, DataLoader(train, batch_size=128, shuffle=True, num_workers=2))
    print("test acc", test_accuracy(net, DataLoader(test, batch_size=256)))
