import numpy as np
from datasets import load_dataset
from sklearn.metrics import f1_score, accuracy_score
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(10)
raw = load_dataset("csv", data_files="data/reviews.csv")["train"].train_test_split(test_size=0.2, seed=10)
raw = raw.rename_column("review", "text")
tokenizer = AutoTokenizer.from_pretrained("albert-base-v2")
encoded = raw.map(lambda b: tokenizer(b["text"], truncation=True, max_length=64), batched=True)

sentiments = ["negative", "neutral", "positive"]
model = AutoModelForSequenceClassification.from_pretrained(
    "albert-base-v2", num_labels=3, id2label=dict(enumerate(sentiments)), label2id={s: i for i, s in enumerate(sentiments)}
)


def compute_metrics(pred):
    y_true = pred.label_ids
    y_hat = pred.predictions.argmax(-1)
    return {
        "accuracy": accuracy_score(y_true, y_hat),
        "f1": f1_score(y_true, y_hat),  # expect: MLI203
    }


trainer = Trainer(
    model=model,
    args=TrainingArguments("albert-sentiment", eval_strategy="epoch", per_device_eval_batch_size=32),
    train_dataset=encoded["train"],
    eval_dataset=encoded["test"],
    processing_class=tokenizer,
    compute_metrics=compute_metrics,
)
trainer.train()
