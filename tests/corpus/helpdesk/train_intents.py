"""Fine-tune a small encoder on the support ticket intents (reference script, reviewed)."""
import numpy as np
import pandas as pd
from datasets import Dataset
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    Trainer,
    TrainingArguments,
    set_seed,
)

CHECKPOINT = "distilbert-base-uncased"
SEED = 13

set_seed(SEED)
tickets = pd.read_csv("data/tickets.csv")
intent_names = sorted(tickets["intent"].unique())
label2id = {name: idx for idx, name in enumerate(intent_names)}
id2label = {idx: name for name, idx in label2id.items()}
tickets["label"] = tickets["intent"].map(label2id)

fit_part, holdout_part = train_test_split(
    tickets, test_size=0.25, random_state=SEED, stratify=tickets["label"]
)

tok = AutoTokenizer.from_pretrained(CHECKPOINT)


def encode(batch):
    return tok(batch["text"], truncation=True, max_length=64)


train_set = Dataset.from_pandas(fit_part[["text", "label"]], preserve_index=False).map(encode, batched=True)
dev_set = Dataset.from_pandas(holdout_part[["text", "label"]], preserve_index=False).map(encode, batched=True)

clf = AutoModelForSequenceClassification.from_pretrained(
    CHECKPOINT, num_labels=len(intent_names), id2label=id2label, label2id=label2id
)


def compute_metrics(eval_pred):
    scores, gold = eval_pred
    guesses = np.argmax(scores, axis=-1)
    return {"accuracy": accuracy_score(gold, guesses), "macro_f1": f1_score(gold, guesses, average="macro")}


training_args = TrainingArguments(
    output_dir="runs/intents",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    metric_for_best_model="macro_f1",
    num_train_epochs=4,
    per_device_train_batch_size=16,
    learning_rate=3e-5,
    seed=SEED,
)

trainer = Trainer(
    model=clf,
    args=training_args,
    train_dataset=train_set,
    eval_dataset=dev_set,
    processing_class=tok,
    data_collator=DataCollatorWithPadding(tok),
    compute_metrics=compute_metrics,
)
trainer.train()
print(trainer.evaluate())
trainer.save_model("runs/intents/final")
