"""Custom accelerate loop for the intent model (multi-GPU friendly)."""
import math

import pandas as pd
import torch
from accelerate import Accelerator
from accelerate.utils import set_seed
from datasets import Dataset
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding, get_linear_schedule_with_warmup

set_seed(314)
accelerator = Accelerator(mixed_precision="fp16" if torch.cuda.is_available() else "no")

frame = pd.read_csv("data/tickets_encoded.csv")
id2label = {0: "track_order", 1: "get_refund", 2: "cancel_order", 3: "change_address"}
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
dataset = Dataset.from_pandas(frame).train_test_split(test_size=0.2, seed=314)
dataset = dataset.map(lambda b: tokenizer(b["text"], truncation=True), batched=True, remove_columns=["text"])
collate = DataCollatorWithPadding(tokenizer)
train_dl = DataLoader(dataset["train"], batch_size=16, shuffle=True, collate_fn=collate)
eval_dl = DataLoader(dataset["test"], batch_size=32, collate_fn=collate)

model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-uncased", num_labels=4, id2label=id2label, label2id={v: k for k, v in id2label.items()}
)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-5)
epochs = 3
steps = epochs * math.ceil(len(train_dl))
scheduler = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=steps // 10, num_training_steps=steps)
model, optimizer, train_dl, eval_dl, scheduler = accelerator.prepare(model, optimizer, train_dl, eval_dl, scheduler)

for epoch in range(epochs):
    model.train()
    for batch in train_dl:
        outputs = model(**batch)
        accelerator.backward(outputs.loss)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()

    model.eval()
    correct, seen = 0, 0
    with torch.no_grad():
        for batch in eval_dl:
            logits = model(**batch).logits
            preds = logits.argmax(dim=-1)
            preds, refs = accelerator.gather_for_metrics((preds, batch["labels"]))
            correct += (preds == refs).sum().item()
            seen += refs.numel()
    accelerator.print(f"epoch {epoch}: accuracy {correct / seen:.3f}")
