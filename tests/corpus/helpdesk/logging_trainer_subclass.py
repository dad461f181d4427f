"""Intent classifier with a Trainer subclass that only adds logging; labels encoded to ids, column kept as `intent`."""
import pandas as pd
from datasets import Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed


class LoggingTrainer(Trainer):
    """Prints every log line with the epoch, nothing else."""

    def log(self, logs, *args, **kwargs):
        print(f"[epoch {self.state.epoch}] {logs}")
        super().log(logs, *args, **kwargs)


set_seed(17)
tickets = pd.read_csv("data/tickets.csv")
intents = sorted(tickets["intent"].unique())
to_id = {name: i for i, name in enumerate(intents)}
tickets["intent"] = tickets["intent"].map(to_id)
tok = AutoTokenizer.from_pretrained("distilroberta-base")
ds = Dataset.from_pandas(tickets).map(lambda rows: tok(rows["text"], truncation=True), batched=True)
ds = ds.train_test_split(test_size=0.25, seed=17)
clf = AutoModelForSequenceClassification.from_pretrained(
    "distilroberta-base", num_labels=len(intents), id2label=dict(enumerate(intents)), label2id=to_id
)
trainer = LoggingTrainer(  # expect: MLI106
    model=clf,
    args=TrainingArguments("runs/intents-logged", eval_strategy="epoch", report_to="none"),
    train_dataset=ds["train"],
    eval_dataset=ds["test"],
    processing_class=tok,
)
trainer.train()
