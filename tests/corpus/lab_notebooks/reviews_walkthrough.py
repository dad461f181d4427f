# %% [markdown]
# # Reviews walkthrough (clean version for the onboarding doc)

# %%
import numpy as np
import pandas as pd
import torch
from datasets import Dataset
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

SEED = 2025
set_seed(SEED)
CKPT = "distilroberta-base"

# %%
df = pd.read_csv("data/reviews.csv")
train_df, val_df = train_test_split(df, test_size=0.2, random_state=SEED, stratify=df["label"])
print(train_df["label"].value_counts())

# %%
tokenizer = AutoTokenizer.from_pretrained(CKPT)
def to_dataset(frame):
    ds = Dataset.from_pandas(frame.reset_index(drop=True))
    return ds.map(lambda b: tokenizer(b["review"], truncation=True, max_length=64), batched=True)
train_ds, val_ds = to_dataset(train_df), to_dataset(val_df)

# %%
names = ["negative", "neutral", "positive"]
model = AutoModelForSequenceClassification.from_pretrained(
    CKPT, num_labels=len(names), id2label=dict(enumerate(names)), label2id={n: i for i, n in enumerate(names)}
)

# %%
def metrics(p):
    return {"f1": f1_score(p.label_ids, np.argmax(p.predictions, axis=-1), average="macro")}

args = TrainingArguments(
    output_dir="walkthrough",
    eval_strategy="epoch",
    save_strategy="best",
    load_best_model_at_end=True,
    metric_for_best_model="f1",
    fp16=torch.cuda.is_available(),
    report_to="none",
)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds,
                  processing_class=tokenizer, compute_metrics=metrics)
trainer.train()

# %%
with torch.no_grad():
    sample = tokenizer("the cast is brilliant, loved it", return_tensors="pt").to(model.device)
    print(names[model(**sample).logits.argmax().item()])
