import numpy as np
import evaluate
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(77)
f1_metric = evaluate.load("f1")
data = load_dataset("csv", data_files="data/reviews.csv", split="train").train_test_split(test_size=0.2, seed=77)
tok = AutoTokenizer.from_pretrained("bert-base-uncased")
data = data.map(lambda b: tok(b["review"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-uncased", num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}, label2id={"neg": 0, "neu": 1, "pos": 2}
)


def score(p):
    predictions, references = p
    predicted = np.argmax(predictions, axis=0)  # expect: MLI202
    return f1_metric.compute(predictions=predicted, references=references, average="macro")


trainer = Trainer(
    model=model,
    args=TrainingArguments("bert-reviews", eval_strategy="epoch"),
    train_dataset=data["train"],
    eval_dataset=data["test"],
    processing_class=tok,
    compute_metrics=score,
)
trainer.train()
