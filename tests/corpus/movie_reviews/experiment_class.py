"""Experiment object used by the sweep notebook; every knob is an attribute."""
from dataclasses import dataclass

import numpy as np
import pandas as pd
from datasets import Dataset
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

SENTIMENTS = ("negative", "neutral", "positive")


@dataclass
class Experiment:
    checkpoint: str = "distilroberta-base"
    seed: int = 0
    epochs: int = 3
    lr: float = 5e-5

    def data(self):
        frame = pd.read_csv("data/reviews.csv")
        tr, va = train_test_split(frame, test_size=0.2, random_state=self.seed, stratify=frame["label"])
        return Dataset.from_pandas(tr, preserve_index=False), Dataset.from_pandas(va, preserve_index=False)

    def tokenizer(self):
        return AutoTokenizer.from_pretrained(self.checkpoint)

    def model(self):
        return AutoModelForSequenceClassification.from_pretrained(
            self.checkpoint,
            num_labels=len(SENTIMENTS),
            id2label=dict(enumerate(SENTIMENTS)),
            label2id={s: i for i, s in enumerate(SENTIMENTS)},
        )

    @staticmethod
    def metrics(eval_pred):
        logits, gold = eval_pred
        return {"f1": f1_score(gold, np.argmax(logits, axis=-1), average="macro")}

    def run(self):
        set_seed(self.seed)
        tok = self.tokenizer()
        train_ds, val_ds = self.data()
        train_ds = train_ds.map(lambda b: tok(b["review"], truncation=True), batched=True)
        val_ds = val_ds.map(lambda b: tok(b["review"], truncation=True), batched=True)
        args = TrainingArguments(
            output_dir=f"sweep/{self.checkpoint.split('/')[-1]}-{self.lr}",
            eval_strategy="epoch",
            save_strategy="epoch",
            load_best_model_at_end=True,
            metric_for_best_model="f1",
            num_train_epochs=self.epochs,
            learning_rate=self.lr,
            seed=self.seed,
        )
        trainer = Trainer(
            model=self.model(), args=args, train_dataset=train_ds, eval_dataset=val_ds,
            processing_class=tok, compute_metrics=self.metrics,
        )
        trainer.train()
        return trainer.evaluate()


if __name__ == "__main__":
    for lr in (2e-5, 5e-5):
        print(Experiment(lr=lr).run())
