"""Route clinic notes to a specialty with a Lightning wrapper around a HF encoder."""
import lightning as L
import pandas as pd
import torch
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer

BACKBONE = "bert-base-cased"


class NotesData(L.LightningDataModule):
    def __init__(self, path, batch_size=8):
        super().__init__()
        self.path = path
        self.batch_size = batch_size
        self.tok = AutoTokenizer.from_pretrained(BACKBONE)

    def setup(self, stage=None):
        frame = pd.read_csv(self.path)
        self.names = sorted(frame["specialty"].unique())
        frame["y"] = frame["specialty"].map({n: i for i, n in enumerate(self.names)})
        self.fit_df, self.val_df = train_test_split(frame, test_size=0.2, random_state=11)  # expect: MLI303

    def _collate(self, rows):
        enc = self.tok([r[0] for r in rows], padding=True, return_tensors="pt")  # expect: MLI401
        enc["labels"] = torch.tensor([r[1] for r in rows])
        return enc

    def train_dataloader(self):
        rows = list(zip(self.fit_df["note"], self.fit_df["y"]))
        return DataLoader(rows, batch_size=self.batch_size, shuffle=True, collate_fn=self._collate)

    def val_dataloader(self):
        rows = list(zip(self.val_df["note"], self.val_df["y"]))
        return DataLoader(rows, batch_size=self.batch_size, collate_fn=self._collate)


class SpecialtyClassifier(L.LightningModule):
    def __init__(self, n_classes, lr=3e-5):
        super().__init__()
        self.save_hyperparameters()
        self.net = AutoModelForSequenceClassification.from_pretrained(BACKBONE, num_labels=n_classes)  # expect: MLI105

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


if __name__ == "__main__":
    L.seed_everything(11)
    data = NotesData("data/notes.csv")
    data.setup()
    module = SpecialtyClassifier(n_classes=len(data.names))
    trainer = L.Trainer(max_epochs=4, accelerator="auto", log_every_n_steps=5)
    trainer.fit(module, datamodule=data)
