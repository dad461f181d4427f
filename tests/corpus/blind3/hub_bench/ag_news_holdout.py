import evaluate
import numpy as np
from datasets import load_dataset
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    Trainer,
    TrainingArguments,
)

checkpoint = "bert-base-uncased"
news = load_dataset("ag_news")
topics = news["train"].features["label"].names
carved = news["train"].train_test_split(test_size=0.05, seed=1, stratify_by_column="label")
tok = AutoTokenizer.from_pretrained(checkpoint)
enc = lambda ex: tok(ex["text"], truncation=True, max_length=128)
train_ds = carved["train"].map(enc, batched=True)
val_ds = carved["test"].map(enc, batched=True)
test_ds = news["test"].map(enc, batched=True)
acc = evaluate.load("accuracy")


def compute_metrics(p):
    return acc.compute(predictions=np.argmax(p.predictions, axis=-1), references=p.label_ids)


model = AutoModelForSequenceClassification.from_pretrained(
    checkpoint, num_labels=len(topics), id2label=dict(enumerate(topics)), label2id={t: i for i, t in enumerate(topics)}
)
targs = TrainingArguments(
    "agnews-bert",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    num_train_epochs=2,
    seed=1,
)
trainer = Trainer(
    model=model, args=targs, train_dataset=train_ds, eval_dataset=val_ds, processing_class=tok,
    compute_metrics=compute_metrics,
)
trainer.train()
print("test:", trainer.evaluate(test_ds))
