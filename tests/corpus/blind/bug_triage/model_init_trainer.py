# A fresh model per trial: model_init makes the Trainer seed before building it.
import pandas as pd
from datasets import Dataset
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    Trainer,
    TrainingArguments,
)

BASE = "bert-base-uncased"

reports = pd.read_csv("data/reports.csv")
held_out = reports.iloc[::5]
training = reports.drop(held_out.index)

tokenizer = AutoTokenizer.from_pretrained(BASE)


def to_ds(df):
    return Dataset.from_pandas(df, preserve_index=False).map(
        lambda b: tokenizer(b["report"], max_length=128), batched=True
    )


def make_model():
    return AutoModelForSequenceClassification.from_pretrained(BASE, num_labels=2)


args = TrainingArguments(
    output_dir="runs/model-init",
    eval_strategy="steps",
    eval_steps=50,
    save_steps=100,
    logging_steps=50,
    load_best_model_at_end=True,
    max_steps=400,
)
trainer = Trainer(
    model_init=make_model,
    args=args,
    train_dataset=to_ds(training),
    eval_dataset=to_ds(held_out),
    processing_class=tokenizer,
    data_collator=DataCollatorWithPadding(tokenizer),
)
trainer.train()
