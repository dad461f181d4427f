"""Fine-tune a small encoder to route support requests to a queue."""
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

CKPT = "distilbert-base-uncased"
SEED = 1234

set_seed(SEED)

frame = pd.read_csv("data/requests.csv")
queues = sorted(frame["category"].unique())
queue_to_id = {q: i for i, q in enumerate(queues)}
frame["label"] = frame["category"].map(queue_to_id)

train_frame, val_frame = train_test_split(
    frame, test_size=0.2, random_state=SEED, stratify=frame["label"]
)

tok = AutoTokenizer.from_pretrained(CKPT)


def tokenize(rows):
    return tok(rows["message"], truncation=True, max_length=96)


train_set = Dataset.from_pandas(train_frame, preserve_index=False).map(tokenize, batched=True)
val_set = Dataset.from_pandas(val_frame, preserve_index=False).map(tokenize, batched=True)

model = AutoModelForSequenceClassification.from_pretrained(CKPT)  # expect: MLI102, MLI105


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    preds = np.argmax(logits, axis=-1)
    return {
        "accuracy": accuracy_score(labels, preds),
        "macro_f1": f1_score(labels, preds, average="macro"),
    }


args = TrainingArguments(  # expect: MLI501
    output_dir="runs/queue-router",
    learning_rate=3e-5,
    per_device_train_batch_size=16,
    num_train_epochs=4,
    evaluation_strategy="epoch",
    save_strategy="epoch",
    report_to="none",
)

trainer = Trainer(
    model=model,
    args=args,
    train_dataset=train_set,
    eval_dataset=val_set,
    processing_class=tok,
    data_collator=DataCollatorWithPadding(tok),
    compute_metrics=compute_metrics,
)
trainer.train()
print(trainer.evaluate())
