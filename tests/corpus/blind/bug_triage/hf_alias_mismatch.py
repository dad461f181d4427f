import numpy as np
import pandas as pd
import transformers as hf
from datasets import Dataset

TOKENIZER_ID = "roberta-base"
BACKBONE = "google/electra-small-discriminator"

hf.set_seed(90)

df = pd.read_csv("data/reports.csv")
splits = Dataset.from_pandas(df).train_test_split(test_size=0.2, seed=90)

tok = hf.AutoTokenizer.from_pretrained(TOKENIZER_ID)  # expect: MLI402
splits = splits.map(lambda b: tok(b["report"], truncation=True, max_length=96), batched=True)

clf = hf.AutoModelForSequenceClassification.from_pretrained(BACKBONE, num_labels=2)


def metrics(p):
    return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}


trainer = hf.Trainer(
    model=clf,
    args=hf.TrainingArguments("runs/electra-triage", eval_strategy="epoch", num_train_epochs=3),
    train_dataset=splits["train"],
    eval_dataset=splits["test"],
    processing_class=tok,
    data_collator=hf.DataCollatorWithPadding(tok),
    compute_metrics=metrics,
)
trainer.train()
