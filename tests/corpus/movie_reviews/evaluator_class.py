"""Training loop wrapped in a class; evaluation forgets the mode switch and no_grad."""
import pandas as pd
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer


class Runner:
    def __init__(self, checkpoint="distilbert-base-uncased", seed=0):
        torch.manual_seed(seed)
        self.tok = AutoTokenizer.from_pretrained(checkpoint)
        self.model = AutoModelForSequenceClassification.from_pretrained(
            checkpoint, num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}, label2id={"neg": 0, "neu": 1, "pos": 2}
        )
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=5e-5)

    def loader(self, frame, shuffle):
        rows = frame.to_dict("records")
        return DataLoader(rows, batch_size=8, shuffle=shuffle, collate_fn=self.collate)

    def collate(self, rows):
        enc = self.tok([r["review"] for r in rows], truncation=True, padding=True, return_tensors="pt")
        enc["labels"] = torch.tensor([r["label"] for r in rows])
        return enc

    def fit(self, loader):
        self.model.train()
        for batch in loader:
            self.opt.zero_grad()
            self.model(**batch).loss.backward()
            self.opt.step()

    def score(self, loader):
        correct = 0
        for batch in loader:  # expect: MLI701
            logits = self.model(**batch).logits
            correct += (logits.argmax(-1) == batch["labels"]).sum().item()
        return correct / len(loader.dataset)


if __name__ == "__main__":
    frame = pd.read_csv("data/reviews.csv").sample(frac=1.0, random_state=0)
    runner = Runner()
    train_dl, val_dl = runner.loader(frame[:28], True), runner.loader(frame[28:], False)
    for epoch in range(2):
        runner.fit(train_dl)
        print(epoch, runner.score(val_dl))
