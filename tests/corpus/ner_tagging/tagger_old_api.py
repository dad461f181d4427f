# written against transformers 4.30, never updated
from datasets import load_dataset
from transformers import AutoModelForTokenClassification, AutoTokenizer, DataCollatorForTokenClassification, Trainer, TrainingArguments, set_seed

set_seed(3)
raw = load_dataset("conll2003")
tags = raw["train"].features["ner_tags"].feature.names
tokenizer = AutoTokenizer.from_pretrained("bert-base-cased")


def prep(b):
    e = tokenizer(b["tokens"], is_split_into_words=True, truncation=True, max_length=128)
    e["labels"] = [[-100 if w is None else t[w] for w in e.word_ids(i)] for i, t in enumerate(b["ner_tags"])]
    return e


raw = raw.map(prep, batched=True)
model = AutoModelForTokenClassification.from_pretrained(
    "bert-base-cased", num_labels=len(tags), id2label=dict(enumerate(tags)), label2id={t: i for i, t in enumerate(tags)}
)
args = TrainingArguments(
    output_dir="conll-bert-old",
    evaluation_strategy="epoch",  # expect: MLI501
    save_strategy="epoch",
    learning_rate=3e-5,
)
trainer = Trainer(
    model,
    args,
    train_dataset=raw["train"],
    eval_dataset=raw["validation"],
    data_collator=DataCollatorForTokenClassification(tokenizer),
    tokenizer=tokenizer,  # expect: MLI502
)
trainer.train()
