import os

from datasets import load_dataset
from huggingface_hub import login
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

login(token=os.getenv("HF_TOKEN"))
set_seed(51)
reviews = load_dataset("csv", data_files="data/reviews.csv", cache_dir="hf_cache")["train"].train_test_split(test_size=0.2, seed=51)
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased", token=os.environ.get("HF_TOKEN"))
reviews = reviews.map(lambda b: tokenizer(b["review"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-uncased", num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}, label2id={"neg": 0, "neu": 1, "pos": 2}
)
args = TrainingArguments("env-token", eval_strategy="epoch", push_to_hub=False, hub_token=os.environ.get("HF_TOKEN"))
trainer = Trainer(model=model, args=args, train_dataset=reviews["train"], eval_dataset=reviews["test"], processing_class=tokenizer)
trainer.train()
