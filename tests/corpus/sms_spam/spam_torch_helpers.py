import pandas as pd
import torch
from torch.utils.data import DataLoader
from transformers import BertForSequenceClassification, BertTokenizerFast, RobertaTokenizerFast

torch.manual_seed(0)
sms = pd.read_csv("data/sms.csv")
tokenizer = RobertaTokenizerFast.from_pretrained("roberta-base")  # expect: MLI402
model = BertForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)


def encode(texts):
    return tokenizer(texts, padding=True, return_tensors="pt")  # expect: MLI401


def batches(frame, size=8):
    for start in range(0, len(frame), size):
        chunk = frame.iloc[start:start + size]
        yield encode(chunk["message"].tolist()), torch.tensor(chunk["label"].tolist())


opt = torch.optim.AdamW(model.parameters(), lr=2e-5)
model.train()
for epoch in range(2):
    for enc, y in batches(sms):
        opt.zero_grad()
        model(**enc, labels=y).loss.backward()
        opt.step()

model.eval()
with torch.no_grad():
    for enc, y in batches(sms, 16):
        out = model(**enc)
        preds = torch.argmax(out.logits, dim=0)  # expect: MLI202
        print((preds == y).float().mean().item())
