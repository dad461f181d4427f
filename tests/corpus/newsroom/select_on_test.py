import numpy as np
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(9)
news = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
news = news.map(lambda b: tok(b["text"], truncation=True), batched=True)
topics = {0: "sports", 1: "business", 2: "science", 3: "politics"}
model = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased", num_labels=4, id2label=topics, label2id={v: k for k, v in topics.items()}
)


def compute_metrics(p):
    return {"accuracy": float((np.argmax(p.predictions, axis=-1) == p.label_ids).mean())}


args = TrainingArguments(
    "news-distil",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    metric_for_best_model="accuracy",
)
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=news["train"],
    eval_dataset=news["test"],  # expect: MLI302
    processing_class=tok,
    compute_metrics=compute_metrics,
)
trainer.train()
metrics = trainer.evaluate()
print(f"final test accuracy: {metrics['eval_accuracy']:.3f}")
