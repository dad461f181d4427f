"""Summarisation fine-tune; hyperparameters come from a YAML file next to the script."""
import sys

import nltk
import numpy as np
import torch
import yaml
import evaluate
from datasets import load_dataset
from transformers import (
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    DataCollatorForSeq2Seq,
    Seq2SeqTrainer,
    Seq2SeqTrainingArguments,
    set_seed,
)

DEFAULTS = {"model": "google/flan-t5-small", "seed": 3, "epochs": 2, "lr": 3e-4, "max_source": 512, "max_target": 64}


def load_cfg(path):
    cfg = dict(DEFAULTS)
    if path:
        with open(path) as fh:
            cfg.update(yaml.safe_load(fh) or {})
    return cfg


cfg = load_cfg(sys.argv[1] if len(sys.argv) > 1 else None)
set_seed(cfg["seed"])

news = load_dataset("EdinburghNLP/xsum")
tokenizer = AutoTokenizer.from_pretrained(cfg["model"])
model = AutoModelForSeq2SeqLM.from_pretrained(cfg["model"])


def preprocess(batch):
    inputs = tokenizer(["summarize: " + d for d in batch["document"]], max_length=cfg["max_source"], truncation=True)
    inputs["labels"] = tokenizer(text_target=batch["summary"], max_length=cfg["max_target"], truncation=True)["input_ids"]
    return inputs


tokenized = news.map(preprocess, batched=True, remove_columns=news["train"].column_names)
rouge = evaluate.load("rouge")


def compute_metrics(eval_preds):
    preds, labels = eval_preds
    preds = np.where(preds != -100, preds, tokenizer.pad_token_id)
    labels = np.where(labels != -100, labels, tokenizer.pad_token_id)
    decoded_preds = tokenizer.batch_decode(preds, skip_special_tokens=True)
    decoded_labels = tokenizer.batch_decode(labels, skip_special_tokens=True)
    decoded_preds = ["\n".join(nltk.sent_tokenize(p.strip())) for p in decoded_preds]
    decoded_labels = ["\n".join(nltk.sent_tokenize(l.strip())) for l in decoded_labels]
    scores = rouge.compute(predictions=decoded_preds, references=decoded_labels, use_stemmer=True)
    return {k: round(v * 100, 2) for k, v in scores.items()}


args = Seq2SeqTrainingArguments(
    output_dir="runs/xsum-t5",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    metric_for_best_model="rougeL",
    predict_with_generate=True,
    generation_max_length=cfg["max_target"],
    learning_rate=cfg["lr"],
    num_train_epochs=cfg["epochs"],
    bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
)
trainer = Seq2SeqTrainer(
    model=model,
    args=args,
    train_dataset=tokenized["train"],
    eval_dataset=tokenized["validation"],
    processing_class=tokenizer,
    data_collator=DataCollatorForSeq2Seq(tokenizer, model=model),
    compute_metrics=compute_metrics,
)
trainer.train()
print(trainer.evaluate(tokenized["test"], metric_key_prefix="test"))
