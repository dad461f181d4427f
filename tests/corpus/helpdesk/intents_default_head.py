import pandas as pd
import torch
from datasets import Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

torch.manual_seed(1234)

frame = pd.read_csv("data/tickets.csv")
codes, uniques = pd.factorize(frame["intent"], sort=True)
frame["label"] = codes

name = "roberta-base"
tokenizer = AutoTokenizer.from_pretrained(name)
dataset = Dataset.from_pandas(frame).map(
    lambda rows: tokenizer(rows["text"], truncation=True, padding="max_length", max_length=48),
    batched=True,
)
splits = dataset.train_test_split(test_size=0.2, seed=1234)

# the head size is left to the library
net = AutoModelForSequenceClassification.from_pretrained(name)  # expect: MLI102, MLI105

trainer = Trainer(
    model=net,
    args=TrainingArguments(output_dir="tmp/roberta-intents", eval_strategy="epoch", report_to="none"),
    train_dataset=splits["train"],
    eval_dataset=splits["test"],
)
trainer.train()
