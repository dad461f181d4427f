"""Ticket classifier driven by HfArgumentParser (python hf_argparser_run.py --output_dir out ...)."""
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import evaluate
from datasets import load_dataset
from transformers import (
    AutoConfig,
    AutoModelForSequenceClassification,
    AutoTokenizer,
    HfArgumentParser,
    Trainer,
    TrainingArguments,
    set_seed,
)


@dataclass
class ModelArguments:
    model_name_or_path: str = field(default="distilbert-base-uncased")
    max_seq_length: int = field(default=128)


@dataclass
class DataArguments:
    train_file: str = field(default="data/tickets_encoded.csv")
    validation_split: float = field(default=0.2)
    max_train_samples: Optional[int] = field(default=None)


def main():
    parser = HfArgumentParser((ModelArguments, DataArguments, TrainingArguments))
    model_args, data_args, training_args = parser.parse_args_into_dataclasses()
    set_seed(training_args.seed)

    raw = load_dataset("csv", data_files={"train": data_args.train_file})["train"]
    if data_args.max_train_samples is not None:
        raw = raw.select(range(data_args.max_train_samples))
    splits = raw.train_test_split(test_size=data_args.validation_split, seed=training_args.seed)

    names = ["track_order", "get_refund", "cancel_order", "change_address"]
    config = AutoConfig.from_pretrained(
        model_args.model_name_or_path,
        num_labels=len(names),
        id2label=dict(enumerate(names)),
        label2id={n: i for i, n in enumerate(names)},
    )
    tokenizer = AutoTokenizer.from_pretrained(model_args.model_name_or_path)
    model = AutoModelForSequenceClassification.from_pretrained(model_args.model_name_or_path, config=config)

    def preprocess(batch):
        return tokenizer(batch["text"], truncation=True, max_length=model_args.max_seq_length)

    splits = splits.map(preprocess, batched=True)
    accuracy = evaluate.load("accuracy")

    def compute_metrics(p):
        preds = np.argmax(p.predictions, axis=1)
        return accuracy.compute(predictions=preds, references=p.label_ids)

    trainer = Trainer(
        model=model,
        args=training_args,
        train_dataset=splits["train"] if training_args.do_train else None,
        eval_dataset=splits["test"] if training_args.do_eval else None,
        processing_class=tokenizer,
        compute_metrics=compute_metrics,
    )
    if training_args.do_train:
        trainer.train()
        trainer.save_model()
    if training_args.do_eval:
        trainer.log_metrics("eval", trainer.evaluate())


if __name__ == "__main__":
    main()
