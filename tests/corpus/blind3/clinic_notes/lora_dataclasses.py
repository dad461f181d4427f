from dataclasses import dataclass, field
from typing import Optional

import numpy as np
from datasets import ClassLabel, load_dataset
from peft import LoraConfig, TaskType, get_peft_model
from sklearn.metrics import accuracy_score, f1_score
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    HfArgumentParser,
    Trainer,
    TrainingArguments,
    set_seed,
)


@dataclass
class ModelArguments:
    model_name_or_path: str = field(default="microsoft/deberta-v3-base")
    lora_r: int = field(default=8, metadata={"help": "LoRA rank"})
    lora_alpha: int = field(default=16)
    num_classes: int = field(default=3, metadata={"help": "how many specialties"})


@dataclass
class DataArguments:
    csv_path: str = field(default="data/notes.csv")
    max_seq_length: Optional[int] = field(default=128)


def compute_metrics(eval_pred):
    scores, gold = eval_pred
    return {
        "accuracy": accuracy_score(gold, scores),  # expect: MLI201
        "macro_f1": f1_score(gold, np.argmax(scores, axis=-1), average="macro"),
    }


def main():
    parser = HfArgumentParser((ModelArguments, DataArguments, TrainingArguments))
    margs, dargs, targs = parser.parse_args_into_dataclasses()
    set_seed(targs.seed)

    raw = load_dataset("csv", data_files=dargs.csv_path)["train"]
    names = sorted(set(raw["specialty"]))
    raw = raw.cast_column("specialty", ClassLabel(names=names)).rename_column("specialty", "label")
    splits = raw.train_test_split(test_size=0.2, seed=targs.seed, stratify_by_column="label")

    tokenizer = AutoTokenizer.from_pretrained(margs.model_name_or_path)

    def tokenize(batch):
        return tokenizer(batch["note"], truncation=True, max_length=dargs.max_seq_length)

    splits = splits.map(tokenize, batched=True)

    base = AutoModelForSequenceClassification.from_pretrained(
        margs.model_name_or_path,
        # Not MLI102: num_labels (3 by default) disagrees, but the id2label given wins; transformers warns and makes 5 outputs.
        num_labels=margs.num_classes,
        id2label=dict(enumerate(names)),
        label2id={n: i for i, n in enumerate(names)},
    )
    lora = LoraConfig(task_type=TaskType.SEQ_CLS, r=margs.lora_r, lora_alpha=margs.lora_alpha, lora_dropout=0.1)
    model = get_peft_model(base, lora)
    model.print_trainable_parameters()

    trainer = Trainer(
        model=model,
        args=targs,
        train_dataset=splits["train"],
        eval_dataset=splits["test"],
        tokenizer=tokenizer,  # expect: MLI502
        compute_metrics=compute_metrics,
    )
    trainer.train()
    trainer.save_model()


if __name__ == "__main__":
    main()
