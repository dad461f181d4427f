from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, EarlyStoppingCallback, set_seed

set_seed(2)
reviews = load_dataset("csv", data_files="data/reviews.csv")["train"]
folds = reviews.train_test_split(test_size=0.2, seed=2)
tokenizer = AutoTokenizer.from_pretrained("google/electra-base-discriminator")
folds = folds.map(lambda b: tokenizer(b["review"], truncation=True, max_length=80), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "google/electra-base-discriminator", num_labels=3,
    id2label={0: "negative", 1: "neutral", 2: "positive"}, label2id={"negative": 0, "neutral": 1, "positive": 2},
)

args = TrainingArguments(  # expect: MLI504
    output_dir="electra-reviews",
    eval_strategy="epoch",
    load_best_model_at_end=True,
    num_train_epochs=10,
)
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=folds["train"],
    eval_dataset=folds["test"],
    processing_class=tokenizer,
    callbacks=[EarlyStoppingCallback(early_stopping_patience=2)],
)
trainer.train()
