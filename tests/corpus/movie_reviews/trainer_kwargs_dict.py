from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(30)
reviews = load_dataset("csv", data_files="data/reviews.csv")["train"].train_test_split(test_size=0.2, seed=30)
tok = AutoTokenizer.from_pretrained("albert-base-v2")
reviews = reviews.map(lambda b: tok(b["review"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "albert-base-v2", num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}, label2id={"neg": 0, "neu": 1, "pos": 2}
)
args = TrainingArguments(output_dir="kw", **{"evaluation_strategy": "epoch", "save_strategy": "epoch"})  # expect: MLI501
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=reviews["train"],
    eval_dataset=reviews["test"],
    **{"tokenizer": tok},  # expect: MLI502
)
trainer.train()
