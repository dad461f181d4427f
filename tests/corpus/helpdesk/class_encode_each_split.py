from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(23)
ds = load_dataset("csv", data_files="data/tickets.csv")["train"].train_test_split(test_size=0.25, seed=23)
train_split = ds["train"].class_encode_column("intent")
eval_split = ds["test"].class_encode_column("intent")  # expect: MLI104
train_split = train_split.rename_column("intent", "label")
eval_split = eval_split.rename_column("intent", "label")
names = train_split.features["label"].names

tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
train_split = train_split.map(lambda b: tok(b["text"], truncation=True), batched=True)
eval_split = eval_split.map(lambda b: tok(b["text"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased", num_labels=len(names), id2label=dict(enumerate(names)), label2id={n: i for i, n in enumerate(names)}
)
trainer = Trainer(model=model, args=TrainingArguments("per-split", eval_strategy="epoch"), train_dataset=train_split, eval_dataset=eval_split, processing_class=tok)
trainer.train()
