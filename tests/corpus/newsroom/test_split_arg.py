from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(61)
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")


def load_split(name):
    ds = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"}, split=name)
    return ds.map(lambda b: tokenizer(b["text"], truncation=True), batched=True)


train_ds = load_split("train")
test_ds = load_split("test")
model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-uncased", num_labels=4,
    id2label={0: "sports", 1: "business", 2: "science", 3: "politics"},
    label2id={"sports": 0, "business": 1, "science": 2, "politics": 3},
)
args = TrainingArguments("split-arg", eval_strategy="epoch", save_strategy="epoch", load_best_model_at_end=True)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=test_ds, processing_class=tokenizer)  # expect: MLI302
trainer.train()
print("test", trainer.evaluate())
