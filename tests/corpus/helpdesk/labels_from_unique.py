import numpy as np
import pandas as pd
from datasets import Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(40)
tickets = pd.read_csv("data/tickets.csv")
label_names = np.unique(tickets["intent"]).tolist()
label2id = dict(zip(sorted(set(label_names)), range(len(label_names))))
id2label = {i: name for name, i in label2id.items()}
tickets["labels"] = tickets["intent"].map(label2id)

tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
ds = Dataset.from_pandas(tickets[["text", "labels"]]).train_test_split(test_size=0.2, seed=40)
ds = ds.map(lambda batch: tokenizer(batch["text"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased", num_labels=len(label2id), id2label=id2label, label2id=label2id
)
trainer = Trainer(
    model=model,
    args=TrainingArguments("unique-labels", eval_strategy="epoch", save_strategy="epoch"),
    train_dataset=ds["train"],
    eval_dataset=ds["test"],
    processing_class=tokenizer,
)
trainer.train()
