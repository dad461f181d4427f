import functools

import evaluate
import numpy as np
import transformers as tf
from sklearn.metrics import accuracy_score, f1_score as F1
from sklearn import metrics

accuracy = evaluate.load("accuracy")


# Flagged: the unpacked logits reach sklearn metrics (aliased, keyword, module attribute).
def compute_metrics(eval_pred):
    logits, labels = eval_pred
    return {
        "accuracy": accuracy_score(labels, logits),
        "f1": F1(y_true=labels, y_pred=logits, average="macro"),
        "mcc": metrics.matthews_corrcoef(labels, logits),
    }


# Flagged: `.predictions` through a copy, into an evaluate metric loaded at module level.
def metrics_fn(p):
    preds = p.predictions
    return accuracy.compute(predictions=preds, references=p.label_ids)


# Flagged: a method passed to the Trainer through functools.partial, indexing the EvalPrediction.
def score(eval_pred, metric_name):
    return evaluate.load("f1").compute(predictions=eval_pred[0], references=eval_pred[1], average="macro")


# Flagged: a model that may return a tuple, unwrapped first.
def compute_metrics_tuple(eval_pred):
    logits = eval_pred.predictions
    if isinstance(logits, tuple):
        logits = logits[0]
    return {"accuracy": accuracy_score(eval_pred.label_ids, logits)}


trainer = tf.Trainer(model=None, compute_metrics=metrics_fn)
tuple_trainer = tf.Trainer(model=None, compute_metrics=compute_metrics_tuple)
other = tf.Trainer(model=None, compute_metrics=functools.partial(score, metric_name="f1"))


# Not flagged: the argmax is taken (numpy function, method, torch-style), or thresholded for multi-label.
def compute_metrics_ok(eval_pred):
    logits, labels = eval_pred
    predictions = np.argmax(logits, axis=-1)
    return {
        "accuracy": accuracy_score(labels, predictions),
        "f1": F1(labels, logits.argmax(-1), average="macro"),
        "multilabel": F1(labels, logits > 0, average="micro"),
    }


# Not flagged: the name is rebound (run_glue's shape), so what reaches the metric is not one thing.
def compute_metrics_glue(p):
    preds = p.predictions
    if isinstance(preds, tuple):
        preds = preds[0]
    preds = np.argmax(preds, axis=1)
    return {"accuracy": accuracy_score(p.label_ids, preds)}


# Not flagged: scores are what roc_auc_score wants; regression metrics take raw outputs.
def compute_metrics_scores(eval_pred):
    logits, labels = eval_pred
    return {"auc": metrics.roc_auc_score(labels, logits[:, 1]), "mse": metrics.mean_squared_error(labels, logits)}


checked = [
    tf.Trainer(model=None, compute_metrics=compute_metrics_ok),
    tf.Trainer(model=None, compute_metrics=compute_metrics_glue),
    tf.Trainer(model=None, compute_metrics=compute_metrics_scores),
]


# Not flagged: not a compute_metrics function, and a metric that is not a classification metric.
def report(logits, labels):
    return accuracy_score(labels, logits)


def compute_metrics_bleu(eval_pred):
    preds, labels = eval_pred
    return evaluate.load("sacrebleu").compute(predictions=preds, references=labels)
