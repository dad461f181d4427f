"""Token classification on CoNLL-2003 with label alignment to word pieces."""
import numpy as np
import evaluate
from datasets import load_dataset
from transformers import (
    AutoModelForTokenClassification,
    AutoTokenizer,
    DataCollatorForTokenClassification,
    Trainer,
    TrainingArguments,
    set_seed,
)

set_seed(42)
raw = load_dataset("conll2003")
tag_names = raw["train"].features["ner_tags"].feature.names
checkpoint = "bert-base-cased"
tokenizer = AutoTokenizer.from_pretrained(checkpoint)
seqeval = evaluate.load("seqeval")


def align(batch):
    enc = tokenizer(batch["tokens"], is_split_into_words=True, truncation=True)
    aligned = []
    for i, tags in enumerate(batch["ner_tags"]):
        previous, row = None, []
        for word in enc.word_ids(batch_index=i):
            row.append(-100 if word is None or word == previous else tags[word])
            previous = word
        aligned.append(row)
    enc["labels"] = aligned
    return enc


tokenized = raw.map(align, batched=True, remove_columns=raw["train"].column_names)
model = AutoModelForTokenClassification.from_pretrained(
    checkpoint, num_labels=len(tag_names), id2label=dict(enumerate(tag_names)), label2id={t: i for i, t in enumerate(tag_names)}
)


def compute_metrics(p):
    logits, gold = p
    pred = np.argmax(logits, axis=2)
    true_tags = [[tag_names[g] for g in row if g != -100] for row in gold]
    pred_tags = [[tag_names[q] for q, g in zip(prow, grow) if g != -100] for prow, grow in zip(pred, gold)]
    res = seqeval.compute(predictions=pred_tags, references=true_tags)
    return {"precision": res["overall_precision"], "recall": res["overall_recall"], "f1": res["overall_f1"]}


trainer = Trainer(
    model=model,
    args=TrainingArguments("ner-bert", eval_strategy="epoch", save_strategy="epoch", load_best_model_at_end=True, metric_for_best_model="f1"),
    train_dataset=tokenized["train"],
    eval_dataset=tokenized["validation"],
    processing_class=tokenizer,
    data_collator=DataCollatorForTokenClassification(tokenizer),
    compute_metrics=compute_metrics,
)
trainer.train()
print(trainer.evaluate(tokenized["test"]))
