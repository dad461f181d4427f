import numpy as np
import torch
from sklearn.metrics import accuracy_score
from transformers import AutoModelForSequenceClassification, Trainer

model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=4)


# Flagged: over the batch axis (keyword, positional, method), and without an axis.
def compute_metrics(eval_pred):
    logits, labels = eval_pred
    by_batch = np.argmax(logits, axis=0)
    positional = np.argmax(logits, 0)
    flat = np.argmax(logits)
    flat_too = np.argmax(logits, axis=None)
    return {"accuracy": accuracy_score(labels, eval_pred.predictions.argmax(axis=0))}


# Flagged: a torch evaluation loop over the model's logits.
def evaluate(loader):
    correct = 0
    with torch.no_grad():
        for batch in loader:
            outputs = model(**batch)
            preds = torch.argmax(outputs.logits)
            batch_preds = outputs.logits.argmax(0)
            correct += (preds == batch["labels"]).sum().item()
    return correct


trainer = Trainer(model=model, compute_metrics=compute_metrics)


# Not flagged: the last axis, axis 1, a named constant of 1; the single-example idiom.
def compute_metrics_ok(eval_pred):
    logits, labels = eval_pred
    last = np.argmax(logits, axis=-1)
    second = logits.argmax(1)
    return {"accuracy": accuracy_score(labels, np.argmax(logits, axis=CLASS_AXIS))}


CLASS_AXIS = 1
ok_trainer = Trainer(model=model, compute_metrics=compute_metrics_ok)


def predict_one(inputs):
    logits = model(**inputs).logits
    return logits.argmax().item(), int(torch.argmax(logits))


# Not flagged: argmax of something that is not logits.
scores = np.array([0.1, 0.7, 0.2])
best = np.argmax(scores)
column_best = np.argmax(np.ones((3, 3)), axis=0)
