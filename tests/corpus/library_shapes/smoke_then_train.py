"""A quick smoke test, then the real run: both are called when the script runs."""
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

CKPT = "distilbert-base-uncased"


def test_pipeline(tok):
    enc = tok(["a quick smoke test of the tokenizer"])  # expect: MLI401
    assert enc["input_ids"]


def train(tok):
    data = load_dataset("imdb")
    data = data.map(lambda b: tok(b["text"], truncation=True), batched=True)
    model = AutoModelForSequenceClassification.from_pretrained(CKPT, num_labels=2)
    args = TrainingArguments("runs/imdb", fp16=True, eval_strategy="epoch", report_to="none")  # expect: MLI503
    Trainer(model=model, args=args, train_dataset=data["train"], eval_dataset=data["test"], processing_class=tok).train()


if __name__ == "__main__":
    set_seed(4)
    tokenizer = AutoTokenizer.from_pretrained(CKPT)
    test_pipeline(tokenizer)
    train(tokenizer)
