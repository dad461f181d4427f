"""Few-shot topic runs: a sampler from the team's utilities gives one training set per shot count."""
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

from newsroom_utils import sample_per_topic

TOPICS = ["sports", "business", "science", "politics"]
tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
news = load_dataset("json", data_files={"train": "data/train.jsonl"})["train"]
news = news.map(lambda rows: tok(rows["text"], truncation=True, max_length=64), batched=True)
for shots, subset in sample_per_topic(news, shots=[4, 8]).items():
    parts = subset.train_test_split(test_size=0.25)  # expect: MLI303
    model = AutoModelForSequenceClassification.from_pretrained(
        "distilbert-base-uncased", num_labels=4, id2label=dict(enumerate(TOPICS)), label2id={t: i for i, t in enumerate(TOPICS)}
    )
    args = TrainingArguments(f"runs/fewshot-{shots}", num_train_epochs=5, eval_strategy="epoch", report_to="none", seed=3)
    Trainer(model=model, args=args, train_dataset=parts["train"], eval_dataset=parts["test"], processing_class=tok).train()
