"""Headline topics; the run's settings are a TrainingArguments subclass filled by HfArgumentParser."""
from dataclasses import dataclass

import numpy as np
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, HfArgumentParser, Trainer, TrainingArguments, set_seed


@dataclass
class TopicRunArguments(TrainingArguments):
    output_dir: str = "runs/topics-best"
    eval_strategy: str = "epoch"
    save_strategy: str = "epoch"
    load_best_model_at_end: bool = True
    metric_for_best_model: str = "accuracy"


def accuracy(pred):
    return {"accuracy": float((np.argmax(pred.predictions, axis=-1) == pred.label_ids).mean())}


if __name__ == "__main__":
    (run_args,) = HfArgumentParser(TopicRunArguments).parse_args_into_dataclasses()
    set_seed(run_args.seed)
    news = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
    tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
    news = news.map(lambda b: tok(b["text"], truncation=True), batched=True)
    topics = {0: "sports", 1: "business", 2: "science", 3: "politics"}
    model = AutoModelForSequenceClassification.from_pretrained(
        "distilbert-base-uncased", num_labels=4, id2label=topics, label2id={v: k for k, v in topics.items()}
    )
    trainer = Trainer(
        model=model,
        args=run_args,
        train_dataset=news["train"],
        eval_dataset=news["test"],  # expect: MLI302
        processing_class=tok,
        compute_metrics=accuracy,
    )
    trainer.train()
    print(trainer.evaluate())
