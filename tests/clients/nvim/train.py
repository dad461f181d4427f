# A training script with mistakes ML Intern finds; the neovim client test opens it.
import pandas as pd
from datasets import Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=16)
df = pd.read_csv("tickets.csv")
train_ds = Dataset.from_pandas(df)
args = TrainingArguments(output_dir="sortie-é😀", evaluation_strategy="epoch")
trainer = Trainer(model=model, args=args, train_dataset=train_ds)
trainer.train()
