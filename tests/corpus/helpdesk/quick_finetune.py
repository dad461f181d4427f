# quick and dirty intent model, Priya's version for the demo on friday
import pandas as pd
from datasets import Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments
import transformers

transformers.set_seed(0)

df = pd.read_csv("data/tickets.csv")
df = df.rename(columns={"intent": "label"})
ds = Dataset.from_pandas(df).train_test_split(test_size=0.2, seed=0)

tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
ds = ds.map(lambda ex: tokenizer(ex["text"], truncation=True), batched=True)

model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=4)  # expect: MLI105

args = TrainingArguments("out/quick", eval_strategy="epoch", num_train_epochs=2)
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=ds["train"],  # expect: MLI101
    eval_dataset=ds["test"],
    processing_class=tokenizer,
)
trainer.train()
