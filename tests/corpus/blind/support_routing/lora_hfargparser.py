"""LoRA fine-tune of a classifier, configured from the command line.

    python lora_hfargparser.py --output_dir runs/lora --eval_strategy epoch --save_strategy epoch
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch
from datasets import Dataset
from peft import LoraConfig, TaskType, get_peft_model
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    HfArgumentParser,
    Trainer,
    TrainingArguments,
    set_seed,
)


@dataclass
class ScriptArguments:
    base_model: str = field(default="roberta-base")
    data_file: str = field(default="data/requests.csv")
    lora_rank: int = field(default=8)
    holdout: float = field(default=0.2)


def load_frames(path, holdout, seed):
    df = pd.read_csv(path)
    names = sorted(df["category"].unique().tolist())
    lookup = {n: i for i, n in enumerate(names)}
    df = df.assign(label=df["category"].map(lookup))
    tr, va = train_test_split(df, test_size=holdout, random_state=seed, stratify=df["label"])
    return tr, va, names


def main():
    parser = HfArgumentParser((ScriptArguments, TrainingArguments))
    script_args, train_args = parser.parse_args_into_dataclasses()
    set_seed(train_args.seed)

    tr, va, names = load_frames(script_args.data_file, script_args.holdout, train_args.seed)
    tokenizer = AutoTokenizer.from_pretrained(script_args.base_model)

    def tok(batch):
        return tokenizer(batch["message"], truncation=True)

    cols = ["message", "label"]
    train_ds = Dataset.from_pandas(tr[cols], preserve_index=False).map(tok, batched=True)
    val_ds = Dataset.from_pandas(va[cols], preserve_index=False).map(tok, batched=True)

    model = AutoModelForSequenceClassification.from_pretrained(
        script_args.base_model,
        num_labels=len(names),
        id2label={i: n for i, n in enumerate(names)},
        label2id={n: i for i, n in enumerate(names)},
        torch_dtype=torch.float32,
    )
    peft_cfg = LoraConfig(
        task_type=TaskType.SEQ_CLS, r=script_args.lora_rank, lora_alpha=16, lora_dropout=0.1
    )
    model = get_peft_model(model, peft_cfg)
    model.print_trainable_parameters()

    def compute_metrics(p):
        preds = np.argmax(p.predictions, axis=-1)
        return {
            "accuracy": accuracy_score(p.label_ids, preds),
            "f1": f1_score(p.label_ids, preds, average="weighted"),
        }

    trainer = Trainer(
        model=model,
        args=train_args,
        train_dataset=train_ds,
        eval_dataset=val_ds,
        processing_class=tokenizer,
        data_collator=DataCollatorWithPadding(tokenizer=tokenizer),
        compute_metrics=compute_metrics,
    )
    trainer.train()
    trainer.save_model(train_args.output_dir)


if __name__ == "__main__":
    main()
