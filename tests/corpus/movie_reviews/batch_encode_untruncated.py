import pandas as pd
import torch
from torch.utils.data import DataLoader, TensorDataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer

torch.manual_seed(9)
table = pd.read_csv("data/reviews.csv")
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
enc = tokenizer.batch_encode_plus(table["review"].tolist(), padding=True, return_tensors="pt")  # expect: MLI401
loader = DataLoader(TensorDataset(enc["input_ids"], enc["attention_mask"], torch.tensor(table["label"].values)), batch_size=8, shuffle=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-uncased", num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}, label2id={"neg": 0, "neu": 1, "pos": 2}
)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-5)
model.train()
for ids, mask, y in loader:
    optimizer.zero_grad()
    model(input_ids=ids, attention_mask=mask, labels=y).loss.backward()
    optimizer.step()
