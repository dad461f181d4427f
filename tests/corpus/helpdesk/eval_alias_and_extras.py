import pandas as pd
from datasets import Dataset
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments
import transformers as tf

tf.set_seed(5)
rows = pd.read_csv("data/tickets_encoded.csv")
checkpoint = "bert-base-uncased"
tokenizer = AutoTokenizer.from_pretrained(checkpoint)
train_ds = Dataset.from_pandas(rows).map(lambda b: tokenizer(b["text"], truncation=True), batched=True)
eval_ds = train_ds

config = AutoConfig.from_pretrained(checkpoint, num_labels=4)
model = AutoModelForSequenceClassification.from_pretrained(checkpoint, config=config)  # expect: MLI105
common = {"eval_strategy": "steps", "eval_steps": 200, "save_steps": 300}
args = TrainingArguments(output_dir="alias", load_best_model_at_end=True, **common)  # expect: MLI504
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=eval_ds, processing_class=tokenizer)  # expect: MLI301
trainer.train()
