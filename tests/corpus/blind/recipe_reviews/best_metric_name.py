import numpy as np
import transformers as hf
from datasets import load_dataset
from sklearn.metrics import accuracy_score, f1_score

hf.set_seed(2)
MODEL = "distilbert-base-cased"

splits = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
inner = splits["train"].train_test_split(test_size=0.25, seed=2)

tokenizer = hf.AutoTokenizer.from_pretrained(MODEL)
inner = inner.map(lambda b: tokenizer(b["review"], truncation=True), batched=True)

model = hf.AutoModelForSequenceClassification.from_pretrained(
    MODEL, num_labels=3, id2label={0: "neg", 1: "neu", 2: "pos"}, label2id={"neg": 0, "neu": 1, "pos": 2}
)


def compute_metrics(pred):
    logits = pred.predictions
    labels = pred.label_ids
    guesses = np.argmax(logits)  # expect: MLI202
    return {
        "acc": accuracy_score(labels, guesses),
        "macro_f1": f1_score(labels, guesses, average="macro"),
    }


args = hf.TrainingArguments(  # expect: MLI506
    output_dir="runs/best-metric",
    eval_strategy="epoch",
    save_strategy="epoch",
    load_best_model_at_end=True,
    metric_for_best_model="f1",
    num_train_epochs=4,
)
trainer = hf.Trainer(
    model=model,
    args=args,
    train_dataset=inner["train"],
    eval_dataset=inner["test"],
    processing_class=tokenizer,
    data_collator=hf.DataCollatorWithPadding(tokenizer),
    compute_metrics=compute_metrics,
)
trainer.train()
print(trainer.evaluate(splits["test"].map(lambda b: tokenizer(b["review"], truncation=True), batched=True)))
