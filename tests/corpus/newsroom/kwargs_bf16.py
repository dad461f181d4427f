import torch
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(4)
train_kwargs = dict(
    output_dir="news-bf16",
    eval_strategy="epoch",
    save_strategy="epoch",
    per_device_train_batch_size=32,
    bf16=True,  # expect: MLI503
    gradient_checkpointing=True,
)
news = load_dataset("json", data_files={"train": "data/train.jsonl"})["train"].train_test_split(test_size=0.1, seed=4)
tokenizer = AutoTokenizer.from_pretrained("microsoft/deberta-v3-base")
news = news.map(lambda b: tokenizer(b["text"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "microsoft/deberta-v3-base", num_labels=4, torch_dtype=torch.bfloat16,
    id2label={0: "sports", 1: "business", 2: "science", 3: "politics"},
    label2id={"sports": 0, "business": 1, "science": 2, "politics": 3},
)
trainer = Trainer(model=model, args=TrainingArguments(**train_kwargs), train_dataset=news["train"], eval_dataset=news["test"], processing_class=tokenizer)
trainer.train()
