# Few-shot routing with SetFit: string labels are fine here, SetFit maps them itself.
from datasets import load_dataset
from setfit import SetFitModel, Trainer, TrainingArguments

raw = load_dataset("csv", data_files="data/requests.csv")["train"]
parts = raw.train_test_split(test_size=0.25, seed=99)

labels = sorted(set(raw["category"]))
model = SetFitModel.from_pretrained(
    "sentence-transformers/paraphrase-MiniLM-L6-v2", labels=labels
)

args = TrainingArguments(batch_size=16, num_epochs=1, num_iterations=10, seed=99)

trainer = Trainer(
    model=model,
    args=args,
    train_dataset=parts["train"],
    eval_dataset=parts["test"],
    metric="accuracy",
    column_mapping={"message": "text", "category": "label"},
)
trainer.train()
print(trainer.evaluate())
print(model.predict(["my invoice is wrong again", "the app will not open"]))
