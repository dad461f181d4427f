import os

import wandb
from datasets import load_dataset
from huggingface_hub import upload_folder
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

WANDB_API_KEY = "3f9a1c0e7b5d4a2f8e6c1b9d0a7f3e5c2b8d4a6f"  # expect: MLI603
os.environ["WANDB_API_KEY"] = WANDB_API_KEY
wandb.init(project="reviews")
set_seed(21)

reviews = load_dataset("csv", data_files="data/reviews.csv")["train"].train_test_split(test_size=0.2, seed=21)
tokenizer = AutoTokenizer.from_pretrained("roberta-base", token="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")  # expect: MLI603
reviews = reviews.map(lambda b: tokenizer(b["review"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "roberta-base", num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}, label2id={"neg": 0, "neu": 1, "pos": 2}
)
trainer = Trainer(
    model=model,
    args=TrainingArguments("wandb-reviews", report_to="wandb"),
    train_dataset=reviews["train"],
    processing_class=tokenizer,
)
trainer.train()
trainer.save_model("wandb-reviews/final")
upload_folder(repo_id="reviews-team/roberta-sentiment", folder_path="wandb-reviews/final")  # expect: MLI601
