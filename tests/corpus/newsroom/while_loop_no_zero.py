import torch
from datasets import load_dataset
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding

torch.manual_seed(65)
tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
news = load_dataset("json", data_files="data/train.jsonl")["train"]
news = news.map(lambda b: tok(b["text"], truncation=True), batched=True, remove_columns=["text"]).rename_column("label", "labels")
loader = DataLoader(news, batch_size=8, shuffle=True, collate_fn=DataCollatorWithPadding(tok))
model = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased", num_labels=4,
    id2label={0: "sports", 1: "business", 2: "science", 3: "politics"},
    label2id={"sports": 0, "business": 1, "science": 2, "politics": 3},
)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1.0, end_factor=0.0, total_iters=30)

step, max_steps = 0, 30
batches = iter(loader)
model.train()
while step < max_steps:
    try:
        batch = next(batches)
    except StopIteration:
        batches = iter(loader)
        batch = next(batches)
    model(**batch).loss.backward()
    optimizer.step()  # expect: MLI702
    scheduler.step()
    step += 1
