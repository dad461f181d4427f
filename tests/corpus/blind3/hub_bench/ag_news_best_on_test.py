import evaluate
import numpy as np
from datasets import load_dataset
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    Trainer,
    TrainingArguments,
)

checkpoint = "bert-base-uncased"
news = load_dataset("ag_news")
topics = news["train"].features["label"].names
tok = AutoTokenizer.from_pretrained(checkpoint)
news = news.map(lambda ex: tok(ex["text"], truncation=True, max_length=128), batched=True)
acc = evaluate.load("accuracy")


def compute_metrics(p):
    return acc.compute(predictions=np.argmax(p.predictions, axis=-1), references=p.label_ids)


model = AutoModelForSequenceClassification.from_pretrained(
    checkpoint,
    num_labels=len(topics),
    id2label=dict(enumerate(topics)),
    label2id={t: i for i, t in enumerate(topics)},
)
targs = TrainingArguments(
    "agnews-bert",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    metric_for_best_model="accuracy",
    num_train_epochs=2,
    seed=1,
)
trainer = Trainer(
    model=model,
    args=targs,
    train_dataset=news["train"],
    eval_dataset=news["test"],  # expect: MLI302
    data_collator=DataCollatorWithPadding(tok),
    compute_metrics=compute_metrics,
)
trainer.train()
print("final test accuracy:", trainer.evaluate()["eval_accuracy"])
