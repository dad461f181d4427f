import torch
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(62)
news = load_dataset("json", data_files={"train": "data/train.jsonl"})["train"].train_test_split(test_size=0.2, seed=62)
tokenizer = AutoTokenizer.from_pretrained("distilroberta-base")
news = news.map(lambda b: tokenizer(b["text"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "distilroberta-base", num_labels=4,
    id2label={0: "sports", 1: "business", 2: "science", 3: "politics"},
    label2id={"sports": 0, "business": 1, "science": 2, "politics": 3},
)
if torch.cuda.is_available():
    args = TrainingArguments("guarded", eval_strategy="epoch", fp16=True, per_device_train_batch_size=64)
else:
    args = TrainingArguments("guarded", eval_strategy="epoch", per_device_train_batch_size=8, use_cpu=True)
trainer = Trainer(model=model, args=args, train_dataset=news["train"], eval_dataset=news["test"], processing_class=tokenizer)
trainer.train()
