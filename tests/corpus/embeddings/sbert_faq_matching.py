"""Fine-tune a small bi-encoder to match customer questions to FAQ answers.

The dev evaluator runs during training and picks the best checkpoint; the test evaluator
reports the final figures before the model is published.
"""

import torch
from datasets import load_dataset
from sentence_transformers import (
    SentenceTransformer,
    SentenceTransformerTrainer,
    SentenceTransformerTrainingArguments,
)
from sentence_transformers.evaluation import InformationRetrievalEvaluator
from sentence_transformers.losses import MultipleNegativesRankingLoss

torch.manual_seed(7)

BASE = "sentence-transformers/all-MiniLM-L6-v2"
OUT = "faq-minilm"


def ir_evaluator(pairs, name):
    queries = {str(i): row["question"] for i, row in enumerate(pairs)}
    corpus = {str(i): row["answer"] for i, row in enumerate(pairs)}
    relevant = {qid: {qid} for qid in queries}
    return InformationRetrievalEvaluator(queries, corpus, relevant, name=name)


pairs = load_dataset("json", data_files="faq_pairs.jsonl", split="train")
# torch.manual_seed does not seed the numpy state this split draws from.
parts = pairs.train_test_split(test_size=0.2)  # expect: MLI303
held_out = parts["test"].train_test_split(test_size=0.5, seed=7)

model = SentenceTransformer(BASE)
dev_evaluator = ir_evaluator(held_out["train"], "faq-dev")

args = SentenceTransformerTrainingArguments(
    output_dir=OUT,
    num_train_epochs=2,
    per_device_train_batch_size=32,
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    # A key the evaluator logs, not compute_metrics: nothing to check against.
    metric_for_best_model="eval_faq-dev_cosine_ndcg@10",
)

trainer = SentenceTransformerTrainer(
    model=model,
    args=args,
    train_dataset=parts["train"],
    eval_dataset=held_out["train"],
    loss=MultipleNegativesRankingLoss(model),
    evaluator=dev_evaluator,
)
trainer.train()

test_evaluator = ir_evaluator(held_out["test"], "faq-test")
print(test_evaluator(model))

model.save_pretrained(f"{OUT}/final")
# Published as its own step, after the test figures above.
model.push_to_hub(OUT)
