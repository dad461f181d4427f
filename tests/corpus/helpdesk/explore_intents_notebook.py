# %% [markdown]
# # Ticket intents: first look
# Exported from explore.ipynb

# %%
import pandas as pd
from datasets import Dataset, ClassLabel
from transformers import AutoTokenizer, AutoModelForSequenceClassification, TrainingArguments, Trainer

# %%
tickets = pd.read_csv("data/tickets.csv")
tickets.head()

# %%
tickets["intent"].value_counts()

# %%
ds = Dataset.from_pandas(tickets).rename_column("intent", "label")
ds = ds.class_encode_column("label")
ds = ds.train_test_split(test_size=0.2)  # expect: MLI303, MLI303

# %%
tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
ds = ds.map(lambda b: tok(b["text"], truncation=True), batched=True)
names = ds["train"].features["label"].names

# %%
mdl = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased",
    num_labels=len(names),
    id2label=dict(enumerate(names)),
    label2id={n: i for i, n in enumerate(names)},
)

# %%
targs = TrainingArguments(
    output_dir="nb-out",
    eval_strategy="epoch",
    fp16=True,  # expect: MLI503
    num_train_epochs=3,
)
trainer = Trainer(model=mdl, args=targs, train_dataset=ds["train"], eval_dataset=ds["test"], processing_class=tok)
trainer.train()  # expect: MLI505
