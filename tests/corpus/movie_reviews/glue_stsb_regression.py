"""Review score as regression (one output), scored with GLUE's STS-B correlation metric: raw outputs are right here."""
import evaluate
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(22)
stsb = evaluate.load("glue", "stsb")


def compute_metrics(eval_pred):
    scores, targets = eval_pred
    return stsb.compute(predictions=scores.squeeze(-1), references=targets)


def main():
    data = load_dataset("csv", data_files="data/reviews.csv")["train"].train_test_split(test_size=0.2, seed=22)
    data = data.map(lambda b: {"label": float(b["label"])})
    tok = AutoTokenizer.from_pretrained("roberta-base")
    data = data.map(lambda b: tok(b["review"], truncation=True, max_length=128), batched=True)
    model = AutoModelForSequenceClassification.from_pretrained("roberta-base", num_labels=1)
    Trainer(
        model=model,
        args=TrainingArguments("runs/stsb-reviews", eval_strategy="epoch", report_to="none"),
        train_dataset=data["train"],
        eval_dataset=data["test"],
        processing_class=tok,
        compute_metrics=compute_metrics,
    ).train()


main()
