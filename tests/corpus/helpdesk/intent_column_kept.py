"""Intent classifier; encodes the intent column in place."""
import pandas as pd
from datasets import Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(7)
raw = pd.read_csv("data/tickets.csv")
intent_list = sorted(raw["intent"].unique().tolist())
label2id = {v: k for k, v in enumerate(intent_list)}
id2label = dict(enumerate(intent_list))
raw["intent"] = raw["intent"].map(label2id)

tok = AutoTokenizer.from_pretrained("distilroberta-base")
data = Dataset.from_pandas(raw).map(lambda b: tok(b["text"], truncation=True), batched=True)
data = data.train_test_split(test_size=0.2, seed=7)

model = AutoModelForSequenceClassification.from_pretrained(
    "distilroberta-base", num_labels=len(intent_list), id2label=id2label, label2id=label2id
)
args = TrainingArguments(output_dir="out", eval_strategy="epoch", save_strategy="epoch")
trainer = Trainer(model=model, args=args, train_dataset=data["train"], eval_dataset=data["test"], processing_class=tok)  # expect: MLI106
trainer.train()
