from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(56)
TOPIC_NAMES = ["sports", "business", "science", "politics"]


def load_headlines(path):
    ds = load_dataset("json", data_files=path)["train"]
    ds = ds.rename_column("topic", "labels")
    return ds.train_test_split(test_size=0.2, seed=56)


splits = load_headlines("data/headlines.jsonl")
tokenizer = AutoTokenizer.from_pretrained("prajjwal1/bert-tiny")
splits = splits.map(lambda b: tokenizer(b["headline"], truncation=True, max_length=32), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "prajjwal1/bert-tiny",
    num_labels=len(TOPIC_NAMES),
    id2label=dict(enumerate(TOPIC_NAMES)),
    label2id={n: i for i, n in enumerate(TOPIC_NAMES)},
)
trainer = Trainer(
    model=model,
    args=TrainingArguments("tiny-headlines-2", eval_strategy="epoch", num_train_epochs=8),
    train_dataset=splits["train"],
    eval_dataset=splits["test"],
    processing_class=tokenizer,
)
trainer.train()
