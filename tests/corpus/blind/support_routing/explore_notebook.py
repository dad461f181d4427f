# %% [markdown]
# # Support queue classifier — quick exploration
# Exported from Jupyter.

# %%
import pandas as pd
import numpy as np
import transformers
from datasets import Dataset
from transformers import AutoTokenizer, AutoModelForSequenceClassification, Trainer, TrainingArguments

transformers.set_seed(3)

# %%
df = pd.read_csv("data/requests.csv")
df.head()

# %%
df["category"].value_counts()

# %%
names = sorted(df.category.unique())
df["label"] = df.category.apply(names.index)
id2label = {i: n for i, n in enumerate(names)}
label2id = {n: i for i, n in id2label.items()}

# %%
checkpoint = "distilbert-base-uncased"
tokenizer = AutoTokenizer.from_pretrained(checkpoint)
train_ds = Dataset.from_pandas(df[["message", "label"]]).map(
    lambda x: tokenizer(x["message"], truncation=True, padding=True), batched=True
)
eval_ds = train_ds

# %%
model = AutoModelForSequenceClassification.from_pretrained(
    checkpoint, num_labels=len(names), id2label=id2label, label2id=label2id
)

# %%
args = TrainingArguments(  # expect: MLI601
    "queue-notebook",
    eval_strategy="epoch",
    num_train_epochs=2,
    push_to_hub=True,
    hub_model_id="support-queue-demo",
)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=eval_ds)  # expect: MLI301

# %%
trainer.train()

# %%
metrics = trainer.evaluate()
metrics
