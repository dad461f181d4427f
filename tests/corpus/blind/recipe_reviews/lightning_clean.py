import json

import lightning as L
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, random_split
from transformers import AutoModelForSequenceClassification, AutoTokenizer

BACKBONE = "distilroberta-base"
CLASSES = ["negative", "neutral", "positive"]


class ReviewData(torch.utils.data.Dataset):
    def __init__(self, path, tokenizer):
        with open(path) as f:
            recs = [json.loads(x) for x in f]
        self.enc = tokenizer([r["review"] for r in recs], truncation=True, padding="max_length", max_length=64)
        self.labels = [r["label"] for r in recs]

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        item = {k: torch.tensor(v[i]) for k, v in self.enc.items()}
        item["labels"] = torch.tensor(self.labels[i])
        return item


class ReviewClassifier(L.LightningModule):
    def __init__(self, lr=3e-5):
        super().__init__()
        self.save_hyperparameters()
        self.net = AutoModelForSequenceClassification.from_pretrained(
            BACKBONE,
            num_labels=len(CLASSES),
            id2label=dict(enumerate(CLASSES)),
            label2id={c: i for i, c in enumerate(CLASSES)},
        )

    def training_step(self, batch, _):
        out = self.net(**batch)
        self.log("train_loss", out.loss)
        return out.loss

    def validation_step(self, batch, _):
        out = self.net(**batch)
        acc = (out.logits.argmax(-1) == batch["labels"]).float().mean()
        self.log_dict({"val_loss": out.loss, "val_acc": acc}, prog_bar=True)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)


def predict(model, loader):
    model.eval()
    out = []
    with torch.no_grad():
        for batch in loader:
            logits = model.net(**{k: v for k, v in batch.items() if k != "labels"}).logits
            out.extend(F.softmax(logits, dim=-1).argmax(dim=-1).tolist())
    return out


if __name__ == "__main__":
    L.seed_everything(42, workers=True)
    tok = AutoTokenizer.from_pretrained(BACKBONE)
    full = ReviewData("data/train.jsonl", tok)
    n_val = len(full) // 5
    tr, va = random_split(full, [len(full) - n_val, n_val], generator=torch.Generator().manual_seed(42))
    module = ReviewClassifier()
    trainer = L.Trainer(max_epochs=3, deterministic=True, log_every_n_steps=2)
    trainer.fit(module, DataLoader(tr, batch_size=8, shuffle=True), DataLoader(va, batch_size=16))
    test = ReviewData("data/test.jsonl", tok)
    preds = predict(module, DataLoader(test, batch_size=16))
    print(sum(p == y for p, y in zip(preds, test.labels)) / len(test))
