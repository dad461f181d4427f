"""Fine-tune DistilBERT on the support tickets. Whole-file rule: the cases that stay silent are in SeedRuleTests."""
import numpy as np
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

# Flagged: the script trains and nothing sets a seed (the finding sits on trainer.train()).
ds = load_dataset("csv", data_files="tickets.csv")
tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=16)
args = TrainingArguments(output_dir="out", num_train_epochs=3)
trainer = Trainer(model=model, args=args, train_dataset=ds["train"], processing_class=tokenizer)
trainer.train()
trainer.train(resume_from_checkpoint=True)
