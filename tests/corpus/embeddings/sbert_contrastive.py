"""Fine-tune a sentence embedder on paraphrase pairs (sentence-transformers v3 trainer)."""
from datasets import load_dataset
from sentence_transformers import SentenceTransformer, SentenceTransformerTrainer, SentenceTransformerTrainingArguments
from sentence_transformers.losses import MultipleNegativesRankingLoss

model = SentenceTransformer("microsoft/mpnet-base")
pairs = load_dataset("sentence-transformers/all-nli", "pair", split="train[:5000]")
dev = load_dataset("sentence-transformers/all-nli", "pair", split="dev[:500]")
args = SentenceTransformerTrainingArguments(
    output_dir="mpnet-nli",
    num_train_epochs=1,
    per_device_train_batch_size=32,
    evaluation_strategy="steps",  # expect: MLI501
    eval_steps=100,
    seed=12,
)
trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=pairs, eval_dataset=dev, loss=MultipleNegativesRankingLoss(model))
trainer.train()
model.save_pretrained("mpnet-nli/final")
