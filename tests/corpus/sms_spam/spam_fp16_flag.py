import argparse

from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

p = argparse.ArgumentParser()
p.add_argument("--fp16", action="store_true")
p.add_argument("--model", default="bert-base-uncased")
opts = p.parse_args()
set_seed(0)

USE_FP16 = True
data = load_dataset("csv", data_files="data/sms.csv")["train"].train_test_split(test_size=0.2, seed=0)
tok = AutoTokenizer.from_pretrained(opts.model)
data = data.map(lambda b: tok(b["message"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(opts.model, num_labels=2)
user_args = TrainingArguments("spam-cli", eval_strategy="epoch", fp16=opts.fp16)
demo_args = TrainingArguments("spam-demo", eval_strategy="epoch", fp16=USE_FP16)  # expect: MLI503
trainer = Trainer(model=model, args=user_args, train_dataset=data["train"], eval_dataset=data["test"], processing_class=tok)
trainer.train()
