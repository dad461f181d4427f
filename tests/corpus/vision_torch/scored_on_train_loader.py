"""MLP on digits; the per-epoch accuracy is taken over the loader it trains on."""
import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(12)
digits = load_digits()
full = TensorDataset(torch.tensor(digits.data, dtype=torch.float32) / 16.0, torch.tensor(digits.target))
fit_set, held_set = random_split(full, [1500, len(full) - 1500], generator=torch.Generator().manual_seed(12))
fit_loader = DataLoader(fit_set, batch_size=64, shuffle=True)
held_loader = DataLoader(held_set, batch_size=256)

mlp = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
optim = torch.optim.Adam(mlp.parameters(), lr=1e-3)
for epoch in range(10):
    mlp.train()
    for xb, yb in fit_loader:
        optim.zero_grad()
        nn.functional.cross_entropy(mlp(xb), yb).backward()
        optim.step()
    mlp.eval()
    right = 0
    with torch.no_grad():
        for xb, yb in fit_loader:  # expect: MLI301
            right += (mlp(xb).argmax(1) == yb).sum().item()
    print(f"epoch {epoch}: accuracy {right / len(fit_set):.3f}")
