"""Topic classifier as a command-line app: `python cli_topic_commands.py fit --epochs 2`."""
import typer
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

cli = typer.Typer(help="headline topics")
TOPICS = ["sports", "business", "science", "politics"]


def load_news(tok):
    news = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})
    return news.map(lambda rows: tok(rows["text"], truncation=True, max_length=64), batched=True)


@cli.command()
def fit(checkpoint: str = "distilbert-base-uncased", epochs: int = 2, seed: int = 11):
    set_seed(seed)
    tok = AutoTokenizer.from_pretrained(checkpoint)
    news = load_news(tok)
    clf = AutoModelForSequenceClassification.from_pretrained(
        checkpoint, num_labels=len(TOPICS), id2label=dict(enumerate(TOPICS)), label2id={t: i for i, t in enumerate(TOPICS)}
    )
    trainer = Trainer(
        model=clf,
        args=TrainingArguments("runs/topics", num_train_epochs=epochs, eval_strategy="epoch", report_to="none"),
        train_dataset=news["train"],
        eval_dataset=news["train"],  # expect: MLI301
        processing_class=tok,
    )
    trainer.train()
    trainer.save_model("runs/topics/final")


@cli.command()
def show(checkpoint: str = "runs/topics/final"):
    tok = AutoTokenizer.from_pretrained(checkpoint)
    print(tok("Stocks rallied after the central bank decision")["input_ids"])


if __name__ == "__main__":
    cli()
