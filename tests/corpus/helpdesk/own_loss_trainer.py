"""Intent classifier whose Trainer subclass computes the loss itself, from the `intent` ids it pops."""
import pandas as pd
import torch
from datasets import Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed


class IntentTrainer(Trainer):
    def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
        targets = inputs.pop("intent")
        outputs = model(**inputs)
        loss = torch.nn.functional.cross_entropy(outputs.logits, targets, label_smoothing=0.1)
        return (loss, outputs) if return_outputs else loss


set_seed(18)
tickets = pd.read_csv("data/tickets.csv")
intents = sorted(tickets["intent"].unique())
to_id = {name: i for i, name in enumerate(intents)}
tickets["intent"] = tickets["intent"].map(to_id)
tok = AutoTokenizer.from_pretrained("distilroberta-base")
ds = Dataset.from_pandas(tickets).map(lambda rows: tok(rows["text"], truncation=True), batched=True)
ds = ds.train_test_split(test_size=0.25, seed=18)
clf = AutoModelForSequenceClassification.from_pretrained(
    "distilroberta-base", num_labels=len(intents), id2label=dict(enumerate(intents)), label2id=to_id
)
trainer = IntentTrainer(
    model=clf,
    args=TrainingArguments("runs/intents-own-loss", eval_strategy="epoch", report_to="none", remove_unused_columns=False),
    train_dataset=ds["train"],
    eval_dataset=ds["test"],
    processing_class=tok,
)
trainer.train()
