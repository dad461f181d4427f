import json

import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, TensorDataset, random_split
from transformers import AutoModelForSequenceClassification, AutoTokenizer

tok = AutoTokenizer.from_pretrained("prajjwal1/bert-tiny")

with open("data/train.jsonl") as f:
    rows = [json.loads(line) for line in f]
enc = tok([r["review"] for r in rows], padding=True, truncation=True, return_tensors="pt")
full = TensorDataset(enc.input_ids, enc.attention_mask, torch.tensor([r["label"] for r in rows]))
train_part, val_part = random_split(full, [0.8, 0.2])  # expect: MLI303


class Tiny(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.model = AutoModelForSequenceClassification.from_pretrained(
            "prajjwal1/bert-tiny",
            num_labels=3,
            id2label={0: "neg", 1: "neu", 2: "pos"},
            label2id={"neg": 0, "neu": 1, "pos": 2},
        )

    def forward(self, ids, mask, y=None):
        return self.model(input_ids=ids, attention_mask=mask, labels=y)

    def training_step(self, batch, batch_idx):
        return self(*batch).loss

    def validation_step(self, batch, batch_idx):
        out = self(*batch)
        self.log("val_acc", (out.logits.argmax(-1) == batch[2]).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-4)


trainer = pl.Trainer(max_epochs=5, accelerator="auto")
trainer.fit(Tiny(), DataLoader(train_part, batch_size=8, shuffle=True), DataLoader(val_part, batch_size=8))  # expect: MLI505
