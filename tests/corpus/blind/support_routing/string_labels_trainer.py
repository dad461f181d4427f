import pandas as pd
import torch
from datasets import Dataset
from sklearn.model_selection import train_test_split
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

torch.manual_seed(7)

MODEL_ID = "bert-base-uncased"

df = pd.read_csv("data/requests.csv").rename(columns={"category": "label", "message": "text"})

label_names = sorted(df["label"].unique())
id2label = dict(enumerate(label_names))
label2id = {name: idx for idx, name in id2label.items()}

train_df, dev_df = train_test_split(df, test_size=0.25, random_state=7, stratify=df["label"])

tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
encode = lambda b: tokenizer(b["text"], truncation=True, padding="max_length", max_length=64)

train_ds = Dataset.from_pandas(train_df.reset_index(drop=True)).map(encode, batched=True)
dev_ds = Dataset.from_pandas(dev_df.reset_index(drop=True)).map(encode, batched=True)

model = AutoModelForSequenceClassification.from_pretrained(
    MODEL_ID, num_labels=len(label_names), id2label=id2label, label2id=label2id
)

training_args = TrainingArguments(
    output_dir="out/string-labels",
    num_train_epochs=3,
    per_device_train_batch_size=8,
    eval_strategy="epoch",
    logging_steps=10,
)

trainer = Trainer(  # expect: MLI101
    model=model,
    args=training_args,
    train_dataset=train_ds,
    eval_dataset=dev_ds,
    processing_class=tokenizer,
)
trainer.train()
