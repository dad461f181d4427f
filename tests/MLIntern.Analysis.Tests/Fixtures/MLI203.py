import evaluate
import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, precision_score as P, recall_score
from sklearn import metrics
from transformers import Trainer

# intents_small.csv has 4 intents.
df = pd.read_csv("intents_small.csv")
f1_metric = evaluate.load("f1")


# Flagged: sklearn metrics without average (aliased, module attribute, multi-line call).
def compute_metrics(eval_pred):
    logits, labels = eval_pred
    predictions = np.argmax(logits, axis=-1)
    return {
        "f1": f1_score(labels, predictions),
        "precision": P(labels, predictions),
        "recall": recall_score(
            labels,
            predictions,
        ),
        "fbeta": metrics.fbeta_score(labels, predictions, beta=0.5),
    }


# Flagged: evaluate's f1 without average; an explicit binary average.
def eval_metrics(eval_pred):
    logits, labels = eval_pred
    predictions = logits.argmax(-1)
    out = f1_metric.compute(predictions=predictions, references=labels)
    out["f1_binary"] = f1_score(labels, predictions, average='binary')
    return out


# Not flagged: an average is given (directly or through an unknown **kwargs); accuracy has no average;
# add_batch takes no average (compute does).
def ok_metrics(eval_pred, **kwargs):
    logits, labels = eval_pred
    predictions = logits.argmax(-1)
    f1_metric.add_batch(predictions=predictions, references=labels)
    return {
        "f1": f1_score(labels, predictions, average="macro"),
        "weighted": f1_metric.compute(predictions=predictions, references=labels, average="weighted"),
        "recall": recall_score(labels, predictions, **kwargs),
        "accuracy": metrics.accuracy_score(labels, predictions),
    }


trainer = Trainer(model=None, compute_metrics=compute_metrics)
