import evaluate
import numpy as np
from datasets import load_dataset
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    Trainer,
    TrainingArguments,
)

SEED = 5
BACKBONE = "microsoft/deberta-v3-small"

raw = load_dataset("csv", data_files={"train": "data/requests.csv"})
parts = raw["train"].train_test_split(test_size=0.25, seed=SEED)

train_part = parts["train"].class_encode_column("category")
eval_part = parts["test"].class_encode_column("category")  # expect: MLI104

names = train_part.features["category"].names
tokenizer = AutoTokenizer.from_pretrained(BACKBONE)


def featurize(batch):
    return tokenizer(batch["message"], truncation=True)


train_part = train_part.map(featurize, batched=True, remove_columns=["message"])
eval_part = eval_part.map(featurize, batched=True, remove_columns=["message"])

model = AutoModelForSequenceClassification.from_pretrained(
    BACKBONE,
    num_labels=4,
    id2label={i: n for i, n in enumerate(names)},
    label2id={n: i for i, n in enumerate(names)},
)

accuracy = evaluate.load("accuracy")


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    return accuracy.compute(predictions=np.argmax(logits, axis=-1), references=labels)


args = TrainingArguments(
    output_dir="runs/deberta-router",
    eval_strategy="epoch",
    save_strategy="epoch",
    num_train_epochs=3,
    seed=SEED,
)
trainer = Trainer(  # expect: MLI106
    model=model,
    args=args,
    train_dataset=train_part,
    eval_dataset=eval_part,
    processing_class=tokenizer,
    data_collator=DataCollatorWithPadding(tokenizer),
    compute_metrics=compute_metrics,
)
trainer.train()
