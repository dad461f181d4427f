from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(17)
MODEL_NAME = "bert-base-uncased"
TOKENIZER_NAME = "roberta-base"

tokenizer = AutoTokenizer.from_pretrained(TOKENIZER_NAME)  # expect: MLI402
model = AutoModelForSequenceClassification.from_pretrained(
    MODEL_NAME, num_labels=3, id2label={0: "negative", 1: "neutral", 2: "positive"},
    label2id={"negative": 0, "neutral": 1, "positive": 2},
)
ds = load_dataset("csv", data_files="data/reviews.csv")["train"].train_test_split(test_size=0.2, seed=17)
ds = ds.map(lambda b: tokenizer(b["review"], truncation=True), batched=True)
trainer = Trainer(model=model, args=TrainingArguments("mixed", eval_strategy="epoch"), train_dataset=ds["train"], eval_dataset=ds["test"], processing_class=tokenizer)
trainer.train()
