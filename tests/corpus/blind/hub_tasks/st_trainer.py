from datasets import load_dataset
from sentence_transformers import (
    SentenceTransformer,
    SentenceTransformerTrainer,
    SentenceTransformerTrainingArguments,
)
from sentence_transformers.evaluation import TripletEvaluator
from sentence_transformers.losses import MultipleNegativesRankingLoss
from sentence_transformers.training_args import BatchSamplers

model = SentenceTransformer("microsoft/mpnet-base")
nli = load_dataset("sentence-transformers/all-nli", "triplet")
train_ds = nli["train"].select(range(20_000))
dev_ds = nli["dev"]

loss = MultipleNegativesRankingLoss(model)
dev_eval = TripletEvaluator(
    anchors=dev_ds["anchor"], positives=dev_ds["positive"], negatives=dev_ds["negative"], name="nli-dev"
)

args = SentenceTransformerTrainingArguments(
    output_dir="runs/mpnet-nli",
    num_train_epochs=1,
    per_device_train_batch_size=32,
    batch_sampler=BatchSamplers.NO_DUPLICATES,
    eval_strategy="steps",
    eval_steps=100,
    save_strategy="steps",
    save_steps=200,
    load_best_model_at_end=True,
    seed=12,
)
trainer = SentenceTransformerTrainer(
    model=model,
    args=args,
    train_dataset=train_ds,
    eval_dataset=dev_ds,
    loss=loss,
    evaluator=dev_eval,
)
trainer.train()
print(TripletEvaluator(
    anchors=nli["test"]["anchor"], positives=nli["test"]["positive"], negatives=nli["test"]["negative"], name="nli-test"
)(model))
