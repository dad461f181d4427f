from datasets import load_dataset
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    EarlyStoppingCallback,
    Trainer,
    TrainingArguments,
    set_seed,
)

set_seed(8)
train_raw = load_dataset("json", data_files={"train": "data/train.jsonl"}, split="train")
test_raw = load_dataset("json", data_files={"test": "data/test.jsonl"}, split="test")
tok = AutoTokenizer.from_pretrained("roberta-base")
enc = lambda b: tok(b["text"], truncation=True, max_length=64)
train_ds, test_ds = train_raw.map(enc, batched=True), test_raw.map(enc, batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "roberta-base", num_labels=4,
    id2label={0: "sports", 1: "business", 2: "science", 3: "politics"},
    label2id={"sports": 0, "business": 1, "science": 2, "politics": 3},
)
args = TrainingArguments(
    output_dir="roberta-news",
    eval_strategy="steps",
    eval_steps=25,
    save_steps=25,
    metric_for_best_model="loss",
    load_best_model_at_end=True,
    greater_is_better=False,
)
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=train_ds,
    eval_dataset=test_ds,  # expect: MLI302
    processing_class=tok,
    callbacks=[EarlyStoppingCallback(early_stopping_patience=3)],
)
trainer.train()
print(trainer.evaluate(test_ds))
