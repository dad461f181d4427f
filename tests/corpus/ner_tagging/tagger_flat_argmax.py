import evaluate
from datasets import load_dataset
from transformers import AutoModelForTokenClassification, AutoTokenizer, DataCollatorForTokenClassification, Trainer, TrainingArguments, set_seed

set_seed(1)
wnut = load_dataset("wnut_17")
names = wnut["train"].features["ner_tags"].feature.names
tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
metric = evaluate.load("seqeval")


def tokenize_and_align(examples):
    out = tok(examples["tokens"], truncation=True, is_split_into_words=True)
    out["labels"] = [
        [-100 if w is None else tags[w] for w in out.word_ids(batch_index=i)]
        for i, tags in enumerate(examples["ner_tags"])
    ]
    return out


data = wnut.map(tokenize_and_align, batched=True)
model = AutoModelForTokenClassification.from_pretrained(
    "distilbert-base-uncased", num_labels=len(names), id2label=dict(enumerate(names)), label2id={n: i for i, n in enumerate(names)}
)


def compute_metrics(eval_pred):
    predictions, labels = eval_pred
    predictions = predictions.argmax()  # expect: MLI202
    pred_tags = [[names[p] for p, l in zip(pr, lr) if l != -100] for pr, lr in zip(predictions, labels)]
    gold_tags = [[names[l] for l in lr if l != -100] for lr in labels]
    return metric.compute(predictions=pred_tags, references=gold_tags)


trainer = Trainer(
    model=model,
    args=TrainingArguments("wnut-distil", eval_strategy="epoch"),
    train_dataset=data["train"],
    eval_dataset=data["validation"],
    processing_class=tok,
    data_collator=DataCollatorForTokenClassification(tok),
    compute_metrics=compute_metrics,
)
trainer.train()
