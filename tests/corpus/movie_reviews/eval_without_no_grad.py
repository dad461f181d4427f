import pandas as pd
import torch
from torch.utils.data import DataLoader, TensorDataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer

torch.manual_seed(0)
df = pd.read_csv("data/reviews.csv")
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
enc = tokenizer(df["review"].tolist(), truncation=True, padding=True, return_tensors="pt")
full = TensorDataset(enc["input_ids"], enc["attention_mask"], torch.tensor(df["label"].tolist()))
train_part, val_part = torch.utils.data.random_split(full, [0.8, 0.2], generator=torch.Generator().manual_seed(0))

model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-uncased", num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}, label2id={"neg": 0, "neu": 1, "pos": 2}
)
optim = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

for epoch in range(2):
    model.train()
    for ids, mask, y in DataLoader(train_part, batch_size=4, shuffle=True):
        optim.zero_grad()
        out = model(input_ids=ids, attention_mask=mask, labels=y)
        out.loss.backward()
        optim.step()

    model.eval()
    right = 0
    for ids, mask, y in DataLoader(val_part, batch_size=8):  # expect: MLI701
        logits = model(input_ids=ids, attention_mask=mask).logits
        right += (logits.argmax(dim=-1) == y).sum().item()
    print(epoch, right / len(val_part))
