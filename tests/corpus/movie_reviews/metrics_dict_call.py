import numpy as np
from datasets import load_dataset
from sklearn.metrics import accuracy_score, f1_score
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(14)
reviews = load_dataset("csv", data_files="data/reviews.csv")["train"].train_test_split(test_size=0.2, seed=14)
tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
reviews = reviews.map(lambda b: tokenizer(b["review"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased", num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}, label2id={"neg": 0, "neu": 1, "pos": 2}
)


def metric_fn(p):
    yhat = np.argmax(p.predictions, axis=-1)
    return dict(accuracy=accuracy_score(p.label_ids, yhat), f1=f1_score(p.label_ids, yhat, average="macro"))


args = TrainingArguments(
    output_dir="dict-metrics",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    metric_for_best_model="eval_precision",  # expect: MLI506
)
trainer = Trainer(model=model, args=args, train_dataset=reviews["train"], eval_dataset=reviews["test"], processing_class=tokenizer, compute_metrics=metric_fn)
trainer.train()
