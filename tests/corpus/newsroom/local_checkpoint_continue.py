"""Second stage: continue from the stage-one checkpoint saved next to this script."""
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(63)
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
model = AutoModelForSequenceClassification.from_pretrained("./stage1/checkpoint-best")
news = load_dataset("json", data_files={"train": "data/train.jsonl"})["train"].train_test_split(test_size=0.2, seed=63)
news = news.map(lambda b: tokenizer(b["text"], max_length=64), batched=True)
trainer = Trainer(
    model=model,
    args=TrainingArguments("stage2", eval_strategy="epoch", save_strategy="epoch", learning_rate=1e-5),
    train_dataset=news["train"],
    eval_dataset=news["test"],
    processing_class=tokenizer,
)
trainer.train()
