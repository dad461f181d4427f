import numpy as np
from datasets import load_dataset
from sklearn.metrics import f1_score
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    EarlyStoppingCallback,
    Trainer,
    TrainingArguments,
    set_seed,
)

set_seed(11)
LABELS = ["negative", "neutral", "positive"]

reviews = load_dataset(
    "json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"}
)
tok = AutoTokenizer.from_pretrained("roberta-base")
reviews = reviews.map(lambda b: tok(b["review"], truncation=True, max_length=128), batched=True)

model = AutoModelForSequenceClassification.from_pretrained(
    "roberta-base",
    num_labels=len(LABELS),
    id2label=dict(enumerate(LABELS)),
    label2id={l: i for i, l in enumerate(LABELS)},
)


def compute_metrics(p):
    preds = p.predictions.argmax(-1)
    return {"f1": f1_score(p.label_ids, preds, average="macro")}


args = TrainingArguments(
    output_dir="runs/recipes",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    metric_for_best_model="f1",
    num_train_epochs=8,
    per_device_train_batch_size=8,
)
trainer = Trainer(  # expect: MLI302
    model=model,
    args=args,
    train_dataset=reviews["train"],
    eval_dataset=reviews["test"],
    processing_class=tok,
    compute_metrics=compute_metrics,
    callbacks=[EarlyStoppingCallback(early_stopping_patience=2)],
)
trainer.train()
final = trainer.evaluate()
print(f"test macro-F1: {final['eval_f1']:.3f}")
