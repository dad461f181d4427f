import pandas as pd
import torch
from torch import nn
from transformers import AutoModel, AutoTokenizer

torch.manual_seed(4)
table = pd.read_csv("data/reviews_text_labels.csv")
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
encoder = AutoModel.from_pretrained("bert-base-uncased")
head = nn.Linear(encoder.config.hidden_size, 3)
params = list(encoder.parameters()) + list(head.parameters())
opt = torch.optim.AdamW(params, lr=2e-5)

inputs = tokenizer(table["text"].tolist(), truncation=True, padding=True, return_tensors="pt")
targets = torch.tensor(table["sentiment"])  # expect: MLI101

for step in range(20):
    opt.zero_grad()
    cls = encoder(**inputs).last_hidden_state[:, 0]
    loss = nn.functional.cross_entropy(head(cls), targets)
    loss.backward()
    opt.step()
