from datasets import load_dataset
from sklearn.metrics import accuracy_score
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(3)
reviews = load_dataset("csv", data_files={"train": "data/reviews.csv"})
reviews = reviews["train"].train_test_split(test_size=0.25, seed=3)
checkpoint = "microsoft/deberta-v3-small"
tokenizer = AutoTokenizer.from_pretrained(checkpoint)
reviews = reviews.map(lambda b: tokenizer(b["review"], truncation=True), batched=True)
id2label = {0: "negative", 1: "neutral", 2: "positive"}
model = AutoModelForSequenceClassification.from_pretrained(
    checkpoint, num_labels=3, id2label=id2label, label2id={v: k for k, v in id2label.items()}
)


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    return {"accuracy": accuracy_score(labels, logits)}  # expect: MLI201


trainer = Trainer(
    model=model,
    args=TrainingArguments(output_dir="deberta-reviews", eval_strategy="epoch", logging_steps=5),
    train_dataset=reviews["train"],
    eval_dataset=reviews["test"],
    processing_class=tokenizer,
    compute_metrics=compute_metrics,
)
trainer.train()
