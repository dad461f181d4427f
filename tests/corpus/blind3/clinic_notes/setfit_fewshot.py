import pandas as pd
from datasets import Dataset
from setfit import SetFitModel, Trainer, TrainingArguments, sample_dataset

frame = pd.read_csv("data/notes.csv").rename(columns={"note": "text", "specialty": "label"})
full = Dataset.from_pandas(frame)
pieces = full.train_test_split(test_size=0.3)  # expect: MLI303
few = sample_dataset(pieces["train"], label_column="label", num_samples=6)

model = SetFitModel.from_pretrained(
    "sentence-transformers/paraphrase-mpnet-base-v2",
    labels=sorted(frame["label"].unique()),
)
args = TrainingArguments(batch_size=8, num_epochs=1, seed=7)
trainer = Trainer(model=model, args=args, train_dataset=few, eval_dataset=few, metric="accuracy")  # expect: MLI301
trainer.train()
print(trainer.evaluate())
print(model.predict(["Sharp pain behind the kneecap after cycling"]))
