import evaluate
import numpy as np
from sklearn.metrics import accuracy_score, f1_score as F1
from transformers import Trainer, TrainingArguments
import transformers as tf


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    preds = np.argmax(logits, axis=-1)
    return {"f1": F1(labels, preds, average="macro")}


def two_metrics(eval_pred):
    logits, labels = eval_pred
    preds = logits.argmax(-1)
    if len(labels) == 0:
        return {"accuracy": 0.0, "f1": 0.0}
    return {"accuracy": accuracy_score(labels, preds), "f1": F1(labels, preds, average="macro")}


def built_in_a_variable(eval_pred):
    logits, labels = eval_pred
    metrics = dict(precision=0.0, recall=0.0)
    return metrics


def grows_its_dict(eval_pred):
    metrics = {"f1": 0.0}
    metrics["accuracy"] = 1.0
    return metrics


accuracy = evaluate.load("accuracy")


def from_evaluate(eval_pred):
    logits, labels = eval_pred
    return accuracy.compute(predictions=logits.argmax(-1), references=labels)


# Flagged: the one key compute_metrics returns is "f1" (fix: select by it).
args = TrainingArguments("out", eval_strategy="epoch", save_strategy="epoch", load_best_model_at_end=True, metric_for_best_model="accuracy")
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds, compute_metrics=compute_metrics)

# Flagged: "eval_" prefix handled, several returns, a dict built in a variable, no compute_metrics at all.
args2 = tf.TrainingArguments("out", metric_for_best_model='eval_recall_macro')
t2 = tf.Trainer(model, args2, compute_metrics=two_metrics)
t3 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="accuracy"), compute_metrics=built_in_a_variable)
t4 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="f1"), eval_dataset=val_ds)
# Flagged: an evaluate metric's result has its own keys: `accuracy.compute(...)` reports only "accuracy".
t5 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="f1"), compute_metrics=from_evaluate)

# Not flagged: the key is returned (with or without "eval_"), or is the loss.
ok1 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="eval_f1"), compute_metrics=compute_metrics)
ok2 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="accuracy"), compute_metrics=two_metrics)
ok3 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="loss"), compute_metrics=compute_metrics)
ok4 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="eval_loss"))

# Not flagged: the evaluate metric's key; what compute_metrics returns is not known (a dict that grows, a lambda, **kwargs).
u1 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="accuracy"), compute_metrics=from_evaluate)
u2 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="accuracy"), compute_metrics=grows_its_dict)
u3 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="accuracy"), compute_metrics=lambda p: {"f1": 1.0})
u4 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="accuracy"), **extra)
u5 = Trainer(model=model, args=TrainingArguments("out", metric_for_best_model="f1"), eval_dataset={"a": a_ds, "b": b_ds}, compute_metrics=compute_metrics)

# Flagged: a sentence-transformers trainer with no evaluator reports only the loss.
from sentence_transformers import SentenceTransformerTrainer, SentenceTransformerTrainingArguments

st_args = SentenceTransformerTrainingArguments("out", metric_for_best_model="eval_sts-dev_spearman_cosine", load_best_model_at_end=True)
t6 = SentenceTransformerTrainer(model=model, args=st_args, train_dataset=a_ds, eval_dataset=b_ds)

# Not flagged: its evaluator names metrics of its own at run time.
ok5 = SentenceTransformerTrainer(model=model, args=st_args, train_dataset=a_ds, eval_dataset=b_ds, evaluator=dev_evaluator)

# Flagged: the selection key sits in a nested config handed to the function that builds the run.
PLAN = {"train": {"eval_strategy": "epoch", "save_strategy": "epoch", "load_best_model_at_end": True, "metric_for_best_model": "macro_f1"}}


def run_plan(plan):
    plan_args = TrainingArguments("out", **plan["train"])
    return Trainer(model=model, args=plan_args, train_dataset=a_ds, eval_dataset=b_ds, compute_metrics=compute_metrics)


run_plan(PLAN)
