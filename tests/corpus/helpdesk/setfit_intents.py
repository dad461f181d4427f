from datasets import load_dataset
from setfit import SetFitModel, Trainer, TrainingArguments

tickets = load_dataset("csv", data_files="data/tickets_encoded.csv")["train"]
parts = tickets.train_test_split(test_size=0.25, seed=5)

model = SetFitModel.from_pretrained(
    "sentence-transformers/paraphrase-mpnet-base-v2",
    labels=["track_order", "get_refund", "cancel_order", "change_address"],
)
args = TrainingArguments(batch_size=8, num_epochs=1, seed=5)
trainer = Trainer(model=model, args=args, train_dataset=parts["train"], eval_dataset=parts["test"], metric="accuracy")
trainer.train()
print(trainer.evaluate())
