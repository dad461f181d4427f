import pandas as pd
from datasets import Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(42)
df = pd.read_csv("data/tickets.csv")

classes = list(set(df["intent"]))  # expect: MLI103
label2id = {c: i for i, c in enumerate(classes)}
id2label = {i: c for c, i in label2id.items()}
df["label"] = df["intent"].map(label2id)

ckpt = "bert-base-cased"
tokenizer = AutoTokenizer.from_pretrained(ckpt)
model = AutoModelForSequenceClassification.from_pretrained(ckpt, num_labels=len(classes), id2label=id2label, label2id=label2id)

ds = Dataset.from_pandas(df[["text", "label"]]).train_test_split(test_size=0.2, seed=42)
ds = ds.map(lambda x: tokenizer(x["text"], truncation=True), batched=True)

trainer = Trainer(
    model=model,
    args=TrainingArguments("out/set-mapping", eval_strategy="epoch"),
    train_dataset=ds["train"],
    eval_dataset=ds["test"],
    processing_class=tokenizer,
)
trainer.train()
model.save_pretrained("out/set-mapping/final")
