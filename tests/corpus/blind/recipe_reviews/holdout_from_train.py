"""Model selection on a validation split carved out of train; the test file is scored once."""
import numpy as np
import torch
from datasets import load_dataset
from sklearn.metrics import accuracy_score, f1_score
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    Trainer,
    TrainingArguments,
    set_seed,
)

SEED = 8
set_seed(SEED)

ds = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
split = ds["train"].train_test_split(test_size=0.2, seed=SEED)

name = "google/electra-small-discriminator"
tokenizer = AutoTokenizer.from_pretrained(name)


def tokenize(batch):
    return tokenizer(batch["review"], truncation=True)


train_ds = split["train"].map(tokenize, batched=True)
valid_ds = split["test"].map(tokenize, batched=True)
test_ds = ds["test"].map(tokenize, batched=True)

id2label = {0: "negative", 1: "neutral", 2: "positive"}
model = AutoModelForSequenceClassification.from_pretrained(
    name, num_labels=3, id2label=id2label, label2id={v: k for k, v in id2label.items()}
)


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    preds = np.argmax(logits, axis=-1)
    return {"accuracy": accuracy_score(labels, preds), "f1": f1_score(labels, preds, average="macro")}


args = TrainingArguments(
    output_dir="runs/electra-recipes",
    eval_strategy="epoch",
    save_strategy="best",
    load_best_model_at_end=True,
    metric_for_best_model="eval_f1",
    fp16=torch.cuda.is_available(),
    num_train_epochs=6,
    learning_rate=5e-5,
)
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=train_ds,
    eval_dataset=valid_ds,
    processing_class=tokenizer,
    data_collator=DataCollatorWithPadding(tokenizer),
    compute_metrics=compute_metrics,
)
trainer.train()
print(trainer.evaluate(test_ds, metric_key_prefix="test"))
