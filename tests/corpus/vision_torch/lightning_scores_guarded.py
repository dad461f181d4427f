"""Lightning classifier with its own scoring method, called in eval mode under no_grad after fitting."""
import torch
import torch.nn.functional as F
from lightning.pytorch import LightningModule, Trainer, seed_everything
from torch.utils.data import DataLoader, TensorDataset


class TabularClassifier(LightningModule):
    def __init__(self, width=32):
        super().__init__()
        self.body = torch.nn.Sequential(torch.nn.Linear(12, width), torch.nn.ReLU(), torch.nn.Dropout(0.1), torch.nn.Linear(width, 4))

    def forward(self, rows):
        return self.body(rows)

    def training_step(self, batch, batch_idx):
        rows, labels = batch
        loss = F.cross_entropy(self(rows), labels)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=2e-3)

    def score(self, loader):
        right = 0
        for rows, labels in loader:
            right += (self(rows).argmax(-1) == labels).sum()
        return right / len(loader.dataset)


seed_everything(8)
table = TensorDataset(torch.randn(256, 12), torch.randint(0, 4, (256,)))
fit_rows, held_rows = torch.utils.data.random_split(table, [200, 56], generator=torch.Generator().manual_seed(8))
clf = TabularClassifier()
Trainer(max_epochs=2, logger=False, enable_checkpointing=False).fit(clf, DataLoader(fit_rows, batch_size=16, shuffle=True))
clf.eval()
with torch.no_grad():
    print("held-out accuracy:", float(clf.score(DataLoader(held_rows, batch_size=64))))
