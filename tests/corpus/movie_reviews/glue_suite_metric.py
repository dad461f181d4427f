"""Three-way review sentiment scored with the MNLI metric of the GLUE suite (same label space size)."""
import evaluate
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(21)
glue_metric = evaluate.load("glue", "mnli")


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    return glue_metric.compute(predictions=logits, references=labels)  # expect: MLI201


def main():
    data = load_dataset("csv", data_files="data/reviews.csv")["train"].train_test_split(test_size=0.2, seed=21)
    tok = AutoTokenizer.from_pretrained("roberta-base")
    data = data.map(lambda b: tok(b["review"], truncation=True, max_length=128), batched=True)
    names = {0: "negative", 1: "neutral", 2: "positive"}
    model = AutoModelForSequenceClassification.from_pretrained(
        "roberta-base", num_labels=3, id2label=names, label2id={v: k for k, v in names.items()}
    )
    Trainer(
        model=model,
        args=TrainingArguments("runs/glue-reviews", eval_strategy="epoch", report_to="none"),
        train_dataset=data["train"],
        eval_dataset=data["test"],
        processing_class=tok,
        compute_metrics=compute_metrics,
    ).train()


main()
