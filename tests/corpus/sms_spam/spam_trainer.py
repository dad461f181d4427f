"""Binary spam filter. Default f1 (binary) is right here: two classes."""
import numpy as np
import pandas as pd
from datasets import Dataset
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import train_test_split
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(1)
sms = pd.read_csv("data/sms.csv")
tr, va = train_test_split(sms, test_size=0.2, random_state=1, stratify=sms["label"])
tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")


def as_dataset(frame):
    return Dataset.from_pandas(frame, preserve_index=False).map(lambda b: tok(b["message"], truncation=True), batched=True)


model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    preds = np.argmax(logits, axis=1)
    return {
        "f1": f1_score(labels, preds),
        "precision": precision_score(labels, preds),
        "recall": recall_score(labels, preds),
    }


args = TrainingArguments(
    "spam-distil",
    eval_strategy="steps",
    save_strategy="steps",
    eval_steps=50,
    save_steps=100,
    load_best_model_at_end=True,
    metric_for_best_model="eval_f1",
)
trainer = Trainer(model=model, args=args, train_dataset=as_dataset(tr), eval_dataset=as_dataset(va), processing_class=tok, compute_metrics=compute_metrics)
trainer.train()
results = trainer.evaluate()
print(results)
trainer.push_to_hub("sms-team/spam-distil")
