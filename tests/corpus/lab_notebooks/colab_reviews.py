# %% [markdown]
# Colab export: sentiment fine-tune
# !pip install -q transformers datasets evaluate

# %%
import os
os.environ["HF_TOKEN"] = "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"  # expect: MLI603

# %%
import evaluate
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed
set_seed(0)

# %%
ds = load_dataset("csv", data_files="data/reviews.csv")["train"].train_test_split(test_size=0.2, seed=0)
tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
ds = ds.map(lambda b: tok(b["review"], truncation=True), batched=True)

# %%
accuracy = evaluate.load("accuracy")
def compute_metrics(eval_pred):
    return accuracy.compute(predictions=eval_pred[0], references=eval_pred[1])  # expect: MLI201

# %%
model = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased", num_labels=3,
    id2label={0: "negative", 1: "neutral", 2: "positive"}, label2id={"negative": 0, "neutral": 1, "positive": 2})
trainer = Trainer(model=model, args=TrainingArguments("colab-out", eval_strategy="epoch"),
                  train_dataset=ds["train"], eval_dataset=ds["test"], processing_class=tok,
                  compute_metrics=compute_metrics)
trainer.train()
