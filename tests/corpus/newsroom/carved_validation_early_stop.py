from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, EarlyStoppingCallback, Trainer, TrainingArguments, set_seed

set_seed(70)
news = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
held = news["train"].train_test_split(test_size=0.2, seed=70)
tok = AutoTokenizer.from_pretrained("roberta-base")
enc = lambda b: tok(b["text"], truncation=True, max_length=64)
held = held.map(enc, batched=True)
final_test = news["test"].map(enc, batched=True)
n_topics = len(set(news["train"]["label"]))
names = ["sports", "business", "science", "politics"]
model = AutoModelForSequenceClassification.from_pretrained(
    "roberta-base", num_labels=n_topics, id2label=dict(enumerate(names)), label2id={n: i for i, n in enumerate(names)}
)
args = TrainingArguments(
    "carved-val", eval_strategy="epoch", save_strategy="epoch", load_best_model_at_end=True, metric_for_best_model="loss", greater_is_better=False
)
trainer = Trainer(
    model=model, args=args, train_dataset=held["train"], eval_dataset=held["test"],
    processing_class=tok, callbacks=[EarlyStoppingCallback(early_stopping_patience=2)],
)
trainer.train()
print(trainer.evaluate(final_test))
