from datasets import load_dataset
from setfit import SetFitModel, Trainer, TrainingArguments

sms = load_dataset("csv", data_files="data/sms.csv", split="train").rename_column("message", "text")
sms = sms.train_test_split(test_size=0.3, seed=2)
model = SetFitModel.from_pretrained("sentence-transformers/all-MiniLM-L6-v2", labels=["ham", "spam"])
trainer = Trainer(
    model=model,
    args=TrainingArguments(batch_size=16, num_epochs=1, seed=2),
    train_dataset=sms["train"],
    eval_dataset=sms["test"],
    metric="f1",
)
trainer.train()
print(trainer.evaluate())
