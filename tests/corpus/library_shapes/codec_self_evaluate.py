"""The same kind of codec, but its own `score` method runs over a loader: that loop is an evaluation."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(11)


class PatchCodec(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(3, width, 3, stride=2, padding=1), nn.SiLU(), nn.Dropout(0.2))
        self.decoder = nn.ConvTranspose2d(width, 3, 4, stride=2, padding=1)

    def forward(self, images):
        return self.decoder(self.encoder(images))

    def score(self, batches):
        error = 0.0
        for (batch,) in batches:  # expect: MLI701
            error += nn.functional.mse_loss(self.decoder(self.encoder(batch)), batch).item()
        return error / len(batches)


class Probe:
    """Not a module: a holder that runs a model over held-out data."""

    def __init__(self, model, batches):
        self.model = model
        self.batches = batches

    def run(self):
        hits = 0
        for step, (batch,) in enumerate(self.batches):  # expect: MLI701
            recon = self.model(batch)
            if step == 0:
                print(recon.shape)
            hits += (recon.round() == batch.round()).float().mean().item()
        return hits


images = torch.rand(48, 3, 32, 32)
train_loader = DataLoader(TensorDataset(images[:40]), batch_size=8, shuffle=True)
held_out = DataLoader(TensorDataset(images[40:]), batch_size=4)
codec = PatchCodec()
opt = torch.optim.Adam(codec.parameters(), lr=1e-3)

for epoch in range(2):
    codec.train()
    for (batch,) in train_loader:
        opt.zero_grad()
        nn.functional.mse_loss(codec(batch), batch).backward()
        opt.step()
    print(epoch, codec.score(held_out), Probe(codec, held_out).run())
