import evaluate
import numpy as np
from datasets import load_dataset
from transformers import (
    AutoModelForTokenClassification,
    AutoTokenizer,
    DataCollatorForTokenClassification,
    Trainer,
    TrainingArguments,
    set_seed,
)

set_seed(1)
checkpoint = "bert-base-cased"

conll = load_dataset("eriktks/conll2003")
tag_names = conll["train"].features["ner_tags"].feature.names
tokenizer = AutoTokenizer.from_pretrained(checkpoint)


def align(examples):
    enc = tokenizer(examples["tokens"], is_split_into_words=True, truncation=True)
    all_labels = []
    for i, tags in enumerate(examples["ner_tags"]):
        previous = None
        row = []
        for wid in enc.word_ids(batch_index=i):
            row.append(-100 if wid is None or wid == previous else tags[wid])
            previous = wid
        all_labels.append(row)
    enc["labels"] = all_labels
    return enc


tokenized = conll.map(align, batched=True, remove_columns=conll["train"].column_names)
seqeval = evaluate.load("seqeval")


def compute_metrics(p):
    predictions, labels = p
    predictions = np.argmax(predictions, axis=2)
    true_preds = [[tag_names[pr] for pr, la in zip(ps, ls) if la != -100] for ps, ls in zip(predictions, labels)]
    true_tags = [[tag_names[la] for pr, la in zip(ps, ls) if la != -100] for ps, ls in zip(predictions, labels)]
    res = seqeval.compute(predictions=true_preds, references=true_tags)
    return {"precision": res["overall_precision"], "recall": res["overall_recall"], "f1": res["overall_f1"]}


model = AutoModelForTokenClassification.from_pretrained(
    checkpoint,
    num_labels=len(tag_names),
    id2label=dict(enumerate(tag_names)),
    label2id={t: i for i, t in enumerate(tag_names)},
)
args = TrainingArguments(
    output_dir="runs/conll-ner",
    eval_strategy="epoch",
    save_strategy="epoch",
    learning_rate=3e-5,
    num_train_epochs=3,
    weight_decay=0.01,
)
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=tokenized["train"],
    eval_dataset=tokenized["validation"],
    processing_class=tokenizer,
    data_collator=DataCollatorForTokenClassification(tokenizer),
    compute_metrics=compute_metrics,
)
trainer.train()
print(trainer.predict(tokenized["test"]).metrics)
