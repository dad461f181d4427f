import numpy as np
from datasets import load_dataset
from sklearn.metrics import f1_score
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

SEED = 1
set_seed(SEED)
LABELS = ["negative", "neutral", "positive"]
ds = load_dataset("csv", data_files="data/reviews.csv")["train"].train_test_split(test_size=0.2, seed=SEED)
tokenizer = AutoTokenizer.from_pretrained("distilbert-base-cased")
ds = ds.map(lambda b: tokenizer(b["review"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-cased", num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)}
)


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    preds = np.argmax(logits, axis=-1)
    return {"macro_f1": f1_score(labels, preds, average="macro"), "weighted_f1": f1_score(labels, preds, average="weighted")}


args = TrainingArguments(
    output_dir="out/best-metric",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    metric_for_best_model="f1",  # expect: MLI506
    greater_is_better=True,
)
trainer = Trainer(model=model, args=args, train_dataset=ds["train"], eval_dataset=ds["test"], compute_metrics=compute_metrics, processing_class=tokenizer)
trainer.train()
