"""String intents become a ClassLabel; the split is stratified on it."""
from datasets import ClassLabel, load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(19)
raw = load_dataset("csv", data_files="data/tickets.csv")["train"]
intent_names = sorted(set(raw["intent"]))
raw = raw.rename_column("intent", "label").cast_column("label", ClassLabel(names=intent_names))
parts = raw.train_test_split(test_size=0.25, seed=19, stratify_by_column="label")

tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
parts = parts.map(lambda b: tokenizer(b["text"], truncation=True, max_length=64), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-uncased",
    num_labels=len(intent_names),
    id2label=dict(enumerate(intent_names)),
    label2id={name: i for i, name in enumerate(intent_names)},
)
trainer = Trainer(
    model=model,
    args=TrainingArguments("classlabel-intents", eval_strategy="epoch", save_strategy="epoch"),
    train_dataset=parts["train"],
    eval_dataset=parts["test"],
    processing_class=tokenizer,
)
trainer.train()
