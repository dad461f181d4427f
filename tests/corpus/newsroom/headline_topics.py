# headline-only topic model (short inputs, fast)
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(55)
heads = load_dataset("json", data_files="data/headlines.jsonl")["train"]
heads = heads.train_test_split(test_size=0.2, seed=55)
tok = AutoTokenizer.from_pretrained("prajjwal1/bert-tiny")
heads = heads.map(lambda b: tok(b["headline"], truncation=True, max_length=32), batched=True)
topic_names = ["sports", "business", "science", "politics"]
model = AutoModelForSequenceClassification.from_pretrained(
    "prajjwal1/bert-tiny", num_labels=4, id2label=dict(enumerate(topic_names)), label2id={n: i for i, n in enumerate(topic_names)}
)
trainer = Trainer(
    model=model,
    args=TrainingArguments("tiny-headlines", eval_strategy="epoch", num_train_epochs=8),
    train_dataset=heads["train"],  # expect: MLI106
    eval_dataset=heads["test"],
    processing_class=tok,
)
trainer.train()
