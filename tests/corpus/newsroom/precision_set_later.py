"""Topic classifier; the arguments are built first and adjusted for the machine afterwards."""
import sys

from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(31)
news = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
news = news.map(lambda b: tok(b["text"], truncation=True), batched=True)
topics = {0: "sports", 1: "business", 2: "science", 3: "politics"}
model = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased", num_labels=4, id2label=topics, label2id={v: k for k, v in topics.items()}
)
run_args = TrainingArguments("runs/topics-amp", eval_strategy="epoch", report_to="none")
if "--quick" in sys.argv:
    run_args.num_train_epochs = 1
run_args.fp16 = True  # expect: MLI503
Trainer(model=model, args=run_args, train_dataset=news["train"], eval_dataset=news["test"], processing_class=tok).train()
