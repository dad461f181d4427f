import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class TinyClassifier(pl.LightningModule):
    def __init__(self, dim=32, classes=3):
        super().__init__()
        self.layers = torch.nn.Sequential(torch.nn.Linear(dim, 64), torch.nn.ReLU(), torch.nn.Linear(64, classes))

    def forward(self, x):
        return self.layers(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


features = torch.randn(512, 32)
targets = torch.randint(0, 3, (512,))
loader = DataLoader(TensorDataset(features, targets), batch_size=32, shuffle=True)
trainer = pl.Trainer(max_epochs=5, logger=False)
trainer.fit(TinyClassifier(), loader)  # expect: MLI505
