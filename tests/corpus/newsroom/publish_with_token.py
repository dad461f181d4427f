from huggingface_hub import login
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

login(token="hf_QzLrTbWvXyNmPkJhGfDsAqWeRtYuIoPlKjHg")  # expect: MLI603
set_seed(12)

news = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
news = news.map(lambda b: tokenizer(b["text"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased", num_labels=4,
    id2label={0: "sports", 1: "business", 2: "science", 3: "politics"},
    label2id={"sports": 0, "business": 1, "science": 2, "politics": 3},
)
trainer = Trainer(
    model=model,
    args=TrainingArguments("newsroom-distil", num_train_epochs=2),
    train_dataset=news["train"],
    processing_class=tokenizer,
)
trainer.train()
trainer.push_to_hub("newsroom/distil-topics")  # expect: MLI601
print(trainer.evaluate(news["test"]))
