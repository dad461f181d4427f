# %% [markdown]
# # Specialty triage — exploration, then a first fine-tune

# %%
import pandas as pd
from datasets import Dataset
from huggingface_hub import login
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

login(token="hf_QpZr7Ty8LmNa3XcVb2KdWe9FgHs4JuIoPq")  # expect: MLI603

# %%
notes = pd.read_csv("data/notes.csv")
notes.head()

# %%
notes["specialty"].value_counts()

# %%
ckpt = "distilbert-base-uncased"
tok = AutoTokenizer.from_pretrained(ckpt)
sample = tok(notes.loc[0, "note"])
print(tok.convert_ids_to_tokens(sample["input_ids"]))

# %%
notes = notes.rename(columns={"specialty": "label"})
ds = Dataset.from_pandas(notes).train_test_split(test_size=0.2, seed=0)
ds = ds.map(lambda b: tok(b["note"], truncation=True, padding="max_length", max_length=64), batched=True)

# %%
model = AutoModelForSequenceClassification.from_pretrained(ckpt, num_labels=notes["label"].nunique())  # expect: MLI105
args = TrainingArguments("triage-out", num_train_epochs=2, eval_strategy="epoch", seed=0, report_to="none")
trainer = Trainer(model=model, args=args, train_dataset=ds["train"], eval_dataset=ds["test"])  # expect: MLI101
trainer.train()
