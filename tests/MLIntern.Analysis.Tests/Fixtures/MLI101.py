import os

import pandas as pd
import torch
from datasets import Dataset, load_dataset
from sklearn.model_selection import train_test_split
from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

DATA_DIR = "."
tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=16)


def tokenize(batch):
    return tokenizer(batch["instruction"], truncation=True)


# Flagged: tickets.csv's `intent` holds strings and nothing encodes them.
df = pd.read_csv(os.path.join(DATA_DIR, "tickets.csv"))
train_df, test_df = train_test_split(df, test_size=0.2, random_state=42)
train_ds = Dataset.from_pandas(train_df).map(tokenize, batched=True)
args = TrainingArguments(output_dir="out")
trainer = Trainer(model=model, args=args, train_dataset=train_ds, processing_class=tokenizer)

raw = load_dataset("csv", data_files="tickets.csv", split="train")
trainer = Trainer(model=model, args=args, train_dataset=raw.map(tokenize, batched=True))

# Flagged: data from a helper of the file, through an alias, with names that say nothing.
def read_rows():
    return pd.read_csv("tickets.csv")


frame = read_rows()
d = frame
trainer = Trainer(model=model, args=args, train_dataset=Dataset.from_pandas(d).map(tokenize, batched=True))

# Still flagged: a mapping named after labels that never meets the label column is no encoding.
label2id = {"track_order": 0}
print(label2id["track_order"], label2id.get("cancel_order"))

# Flagged: the label column made into a tensor.
y = torch.tensor(train_df["intent"].values)
y_all = torch.tensor(df.intent.tolist())

# Not flagged: integer labels, a text column, a custom collator, data of unknown origin, a causal LM.
reviews = Dataset.from_pandas(pd.read_csv("reviews.csv"))
trainer = Trainer(model=model, args=args, train_dataset=reviews)
texts = torch.tensor(df["instruction"].values)


def collate(features):
    return features


trainer = Trainer(model=model, args=args, train_dataset=train_ds, data_collator=collate)
trainer = Trainer(model=model, args=args, train_dataset=load_dataset("imdb")["train"])
y_other = torch.tensor(other_df["intent"].values)
lm = AutoModelForCausalLM.from_pretrained("gpt2")
trainer = Trainer(model=lm, args=args, train_dataset=train_ds)
