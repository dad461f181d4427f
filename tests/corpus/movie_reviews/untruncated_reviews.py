from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding, Trainer, TrainingArguments, set_seed

set_seed(6)
reviews = load_dataset("csv", data_files="data/reviews.csv", split="train")
reviews = reviews.train_test_split(test_size=0.2, seed=6)
ckpt = "distilbert-base-uncased"
tokenizer = AutoTokenizer.from_pretrained(ckpt)


def tokenize(batch):
    return tokenizer(batch["review"], padding="max_length")  # expect: MLI401


reviews = reviews.map(tokenize, batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    ckpt, num_labels=3, id2label={0: "negative", 1: "neutral", 2: "positive"}, label2id={"negative": 0, "neutral": 1, "positive": 2}
)
trainer = Trainer(
    model=model,
    args=TrainingArguments("untruncated", eval_strategy="epoch", save_strategy="epoch"),
    train_dataset=reviews["train"],
    eval_dataset=reviews["test"],
    data_collator=DataCollatorWithPadding(tokenizer),
)
trainer.train()
