"""Data prep lives in helpers; the labels were meant to be encoded in prepare() but never were."""
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

CKPT = "distilroberta-base"


def load_tickets(path):
    ds = load_dataset("csv", data_files={"train": path})["train"]
    return ds.rename_column("intent", "label")


def prepare(ds, tokenizer):
    ds = ds.map(lambda b: tokenizer(b["text"], truncation=True, max_length=64), batched=True)
    return ds.train_test_split(test_size=0.2, seed=4)


def main():
    set_seed(4)
    tokenizer = AutoTokenizer.from_pretrained(CKPT)
    splits = prepare(load_tickets("data/tickets.csv"), tokenizer)
    names = ["cancel_order", "change_address", "get_refund", "track_order"]
    model = AutoModelForSequenceClassification.from_pretrained(
        CKPT, num_labels=len(names), id2label=dict(enumerate(names)), label2id={n: i for i, n in enumerate(names)}
    )
    trainer = Trainer(
        model=model,
        args=TrainingArguments("helper-labels", eval_strategy="epoch"),
        train_dataset=splits["train"],  # expect: MLI101
        eval_dataset=splits["test"],
        processing_class=tokenizer,
    )
    trainer.train()


if __name__ == "__main__":
    main()
