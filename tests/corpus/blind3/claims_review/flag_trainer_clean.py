import numpy as np
import torch
from datasets import load_dataset
from sklearn.metrics import f1_score
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    EarlyStoppingCallback,
    Trainer,
    TrainingArguments,
    set_seed,
)

set_seed(21)
MODEL_ID = "distilroberta-base"
tok = AutoTokenizer.from_pretrained(MODEL_ID)

data = load_dataset("csv", data_files="data/claims.csv", split="train")
data = data.rename_column("is_fraud", "labels")
data = data.train_test_split(test_size=0.25, seed=21)
data = data.map(lambda b: tok(b["description"], truncation=True), batched=True)


def compute_metrics(pred):
    y_hat = pred.predictions.argmax(-1)
    return {"f1": f1_score(pred.label_ids, y_hat), "acc": float(np.mean(y_hat == pred.label_ids))}


net = AutoModelForSequenceClassification.from_pretrained(
    MODEL_ID, num_labels=2, id2label={0: "genuine", 1: "fraud"}, label2id={"genuine": 0, "fraud": 1}
)
cfg = TrainingArguments(
    output_dir="fraud-flagger",
    eval_strategy="steps",
    save_strategy="steps",
    eval_steps=50,
    save_steps=100,
    load_best_model_at_end=True,
    metric_for_best_model="eval_f1",
    bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
)
trainer = Trainer(
    model=net,
    args=cfg,
    train_dataset=data["train"],
    eval_dataset=data["test"],
    processing_class=tok,
    data_collator=DataCollatorWithPadding(tok),
    compute_metrics=compute_metrics,
    callbacks=[EarlyStoppingCallback(early_stopping_patience=2)],
)
trainer.train()
print(trainer.evaluate())
trainer.push_to_hub()
