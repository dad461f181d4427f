import lightning as L
import pandas as pd
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer
from sklearn.model_selection import train_test_split


class SentimentModule(L.LightningModule):
    def __init__(self, backbone="distilbert-base-uncased", lr=3e-5):
        super().__init__()
        self.save_hyperparameters()
        self.net = AutoModelForSequenceClassification.from_pretrained(
            backbone, num_labels=3, id2label={0: "negative", 1: "neutral", 2: "positive"},
            label2id={"negative": 0, "neutral": 1, "positive": 2},
        )

    def training_step(self, batch, batch_idx):
        out = self.net(**batch)
        self.log("train_loss", out.loss)
        return out.loss

    def validation_step(self, batch, batch_idx):
        out = self.net(**batch)
        acc = (out.logits.argmax(-1) == batch["labels"]).float().mean()
        self.log_dict({"val_loss": out.loss, "val_acc": acc}, prog_bar=True)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)


def make_loader(frame, tokenizer, shuffle):
    enc = tokenizer(frame["review"].tolist(), truncation=True, padding=True, return_tensors="pt")
    rows = [
        {"input_ids": enc["input_ids"][i], "attention_mask": enc["attention_mask"][i], "labels": torch.tensor(y)}
        for i, y in enumerate(frame["label"].tolist())
    ]
    return DataLoader(rows, batch_size=8, shuffle=shuffle)


if __name__ == "__main__":
    L.seed_everything(123, workers=True)
    table = pd.read_csv("data/reviews.csv")
    tr, va = train_test_split(table, test_size=0.2, random_state=123, stratify=table["label"])
    tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
    module = SentimentModule()
    trainer = L.Trainer(max_epochs=3, accelerator="auto", deterministic=True)
    trainer.fit(module, make_loader(tr, tokenizer, True), make_loader(va, tokenizer, False))
