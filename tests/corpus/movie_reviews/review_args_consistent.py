"""Review sentiment fine-tune, settings in a TrainingArguments dataclass the parser fills (consistent ones).

    python review_args_consistent.py --output_dir runs/reviews
"""
from dataclasses import dataclass, field

import numpy as np
from datasets import load_dataset
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    HfArgumentParser,
    Trainer,
    TrainingArguments,
    set_seed,
)


@dataclass
class ReviewOptions:
    checkpoint: str = field(default="distilroberta-base")
    reviews_file: str = field(default="data/reviews.csv")


@dataclass
class ReviewTrainingArguments(TrainingArguments):
    output_dir: str = "runs/reviews"
    num_train_epochs: float = 3
    learning_rate: float = 3e-5
    eval_strategy: str = "epoch"
    save_strategy: str = field(default="epoch")
    load_best_model_at_end: bool = True
    metric_for_best_model: str = "accuracy"
    report_to: str = "none"


def main():
    opts, train_args = HfArgumentParser((ReviewOptions, ReviewTrainingArguments)).parse_args_into_dataclasses()
    set_seed(train_args.seed)
    reviews = load_dataset("csv", data_files={"train": opts.reviews_file})["train"]
    reviews = reviews.train_test_split(test_size=0.2, seed=train_args.seed)
    tok = AutoTokenizer.from_pretrained(opts.checkpoint)
    reviews = reviews.map(lambda rows: tok(rows["review"], truncation=True, max_length=256), batched=True)
    names = ["negative", "neutral", "positive"]
    net = AutoModelForSequenceClassification.from_pretrained(
        opts.checkpoint, num_labels=3, id2label=dict(enumerate(names)), label2id={n: i for i, n in enumerate(names)}
    )

    def scores(pred):
        guesses = np.argmax(pred.predictions, axis=-1)
        return {"accuracy": float((guesses == pred.label_ids).mean())}

    trainer = Trainer(
        model=net,
        args=train_args,
        train_dataset=reviews["train"],
        eval_dataset=reviews["test"],
        processing_class=tok,
        compute_metrics=scores,
    )
    trainer.train()


if __name__ == "__main__":
    main()
