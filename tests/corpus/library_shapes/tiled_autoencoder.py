"""A small convolutional autoencoder that decodes large images tile by tile, trained on random crops."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(7)


class TileCodec(nn.Module):
    def __init__(self, width=16, tile=32):
        super().__init__()
        self.tile = tile
        self.encoder = nn.Sequential(nn.Conv2d(3, width, 3, stride=2, padding=1), nn.SiLU(), nn.Dropout(0.1))
        self.decoder = nn.Sequential(nn.ConvTranspose2d(width, 3, 4, stride=2, padding=1))

    def encode(self, images):
        return self.encoder(images)

    def decode_tiles(self, codes):
        # Large latents are decoded in strips so that one strip's activations fit in memory.
        step = self.tile // 2
        rows = []
        for r in range(0, codes.shape[-2], step):
            strip = self.decoder(codes[..., r : r + step, :])
            if r == 0:
                first_height = strip.shape[-2]
            rows.append(strip)
        return torch.cat(rows, dim=-2)

    def forward(self, images):
        return self.decode_tiles(self.encode(images))


images = torch.rand(64, 3, 64, 64)
loader = DataLoader(TensorDataset(images), batch_size=8, shuffle=True)
codec = TileCodec()
opt = torch.optim.AdamW(codec.parameters(), lr=2e-4)

for epoch in range(3):
    codec.train()
    for (batch,) in loader:
        opt.zero_grad()
        loss = nn.functional.mse_loss(codec(batch), batch)
        loss.backward()
        opt.step()

    codec.eval()
    total = 0.0
    with torch.no_grad():
        for i, (batch,) in enumerate(DataLoader(TensorDataset(images[:16]), batch_size=8)):
            recon = codec(batch)
            if i == 0:
                preview = recon[:4]
            total += nn.functional.mse_loss(recon, batch).item()
    print(f"epoch {epoch}: reconstruction {total:.4f}")
