# Hand-rolled loop, Tomasz 2023-11. Accuracy stalls around 0.4, not sure why.
import pandas as pd
import torch
from torch import nn
from transformers import AutoModel, AutoTokenizer

torch.manual_seed(5)
reviews = pd.read_csv("data/reviews.csv")
tokenizer = AutoTokenizer.from_pretrained("distilroberta-base")


class Head(nn.Module):
    def __init__(self, encoder, n_classes=3):
        super().__init__()
        self.encoder = encoder
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(encoder.config.hidden_size, n_classes)

    def forward(self, input_ids, attention_mask):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state[:, 0]
        return self.out(self.drop(hidden))


net = Head(AutoModel.from_pretrained("distilroberta-base"))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=2e-5)

texts = reviews["review"].tolist()
targets = torch.tensor(reviews["label"].tolist())
for epoch in range(4):
    net.train()
    for start in range(0, len(texts), 8):
        enc = tokenizer(texts[start:start + 8], truncation=True, padding=True, return_tensors="pt")
        loss = criterion(net(enc["input_ids"], enc["attention_mask"]), targets[start:start + 8])
        loss.backward()
        optimizer.step()  # expect: MLI702
    print("epoch", epoch, "last loss", loss.item())
