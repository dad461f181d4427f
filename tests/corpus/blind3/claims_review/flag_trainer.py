import numpy as np
import pandas as pd
import torch
from datasets import load_dataset
from sklearn.metrics import f1_score, precision_score, recall_score
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

MODEL_ID = "distilroberta-base"

claims = load_dataset("csv", data_files={"train": "data/claims.csv"})["train"]
claims = claims.train_test_split(test_size=0.25, seed=3)
tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
claims = claims.map(lambda batch: tokenizer(batch["description"], truncation=True, max_length=64), batched=True)


def score(eval_pred):
    logits, gold = eval_pred
    guess = np.argmax(logits, axis=0)  # expect: MLI202
    return {
        "f1": f1_score(gold, guess),
        "precision": precision_score(gold, guess),
        "recall": recall_score(gold, guess),
    }


model = AutoModelForSequenceClassification.from_pretrained(MODEL_ID, num_labels=2)
training_args = TrainingArguments(
    output_dir="fraud-flagger",
    eval_strategy="epoch",
    save_strategy="epoch",
    num_train_epochs=3,
    seed=3,
    fp16=torch.cuda.is_available(),
    push_to_hub=True,  # expect: MLI601
)
trainer = Trainer(  # expect: MLI106
    model=model,
    args=training_args,
    train_dataset=claims["train"],
    eval_dataset=claims["test"],
    compute_metrics=score,
)
trainer.train()
