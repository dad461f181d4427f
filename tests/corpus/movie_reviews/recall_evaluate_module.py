import evaluate
import numpy as np
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(8)
recall = evaluate.load("recall")
precision = evaluate.load("precision")
reviews = load_dataset("csv", data_files="data/reviews.csv")["train"].train_test_split(test_size=0.2, seed=8)
tokenizer = AutoTokenizer.from_pretrained("bert-base-cased")
reviews = reviews.map(lambda b: tokenizer(b["review"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-cased", num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}, label2id={"neg": 0, "neu": 1, "pos": 2}
)


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    preds = np.argmax(logits, axis=-1)
    out = {}
    out.update(recall.compute(predictions=preds, references=labels))  # expect: MLI203
    out.update(precision.compute(predictions=preds, references=labels, average="macro"))
    return out


trainer = Trainer(
    model=model,
    args=TrainingArguments("recall-reviews", eval_strategy="epoch"),
    train_dataset=reviews["train"],
    eval_dataset=reviews["test"],
    processing_class=tokenizer,
    compute_metrics=compute_metrics,
)
trainer.train()
