import pandas as pd
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer

torch.manual_seed(50)
frame = pd.read_csv("data/reviews.csv").sample(frac=1.0, random_state=50)
tok = AutoTokenizer.from_pretrained("bert-base-uncased")
model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-uncased", num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}, label2id={"neg": 0, "neu": 1, "pos": 2}
)
optim = torch.optim.AdamW(model.parameters(), lr=2e-5)


def collate(rows):
    enc = tok([r["review"] for r in rows], truncation=True, padding=True, return_tensors="pt")
    enc["labels"] = torch.tensor([r["label"] for r in rows])
    return enc


train_dl = DataLoader(frame[:28].to_dict("records"), batch_size=4, shuffle=True, collate_fn=collate)
val_dl = DataLoader(frame[28:].to_dict("records"), batch_size=8, collate_fn=collate)
for epoch in range(3):
    model.train()
    for batch in train_dl:
        loss = model(**batch).loss
        loss.backward()
        optim.step()
        optim.zero_grad()
    model.train(False)
    with torch.inference_mode():
        agree = 0
        for batch in val_dl:
            agree += (torch.argmax(model(**batch).logits, dim=1) == batch["labels"]).sum().item()
    print(epoch, agree / len(val_dl.dataset))
