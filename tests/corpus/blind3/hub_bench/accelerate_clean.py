"""MRPC with accelerate: checkpoint each epoch, resume, evaluate in eval mode."""
import os

import evaluate
import torch
from accelerate import Accelerator
from datasets import load_dataset
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding, set_seed

NAME = "bert-base-cased"


def loaders(accelerator, bs=16):
    tok = AutoTokenizer.from_pretrained(NAME)
    raw = load_dataset("glue", "mrpc")
    with accelerator.main_process_first():
        enc = raw.map(
            lambda e: tok(e["sentence1"], e["sentence2"], truncation=True, max_length=None),
            batched=True,
            remove_columns=["idx", "sentence1", "sentence2"],
        ).rename_column("label", "labels")
    collate = DataCollatorWithPadding(tok, pad_to_multiple_of=8 if accelerator.mixed_precision != "no" else None)
    return (
        DataLoader(enc["train"], shuffle=True, batch_size=bs, collate_fn=collate),
        DataLoader(enc["validation"], batch_size=bs, collate_fn=collate),
    )


def main(out_dir="mrpc-ckpt", epochs=3):
    accelerator = Accelerator(mixed_precision="fp16" if torch.cuda.is_available() else "no")
    set_seed(42)
    train_dl, eval_dl = loaders(accelerator)
    model = AutoModelForSequenceClassification.from_pretrained(NAME, return_dict=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    model, optimizer, train_dl, eval_dl = accelerator.prepare(model, optimizer, train_dl, eval_dl)
    metric = evaluate.load("glue", "mrpc")
    if os.path.isdir(out_dir):
        accelerator.load_state(out_dir)

    for epoch in range(epochs):
        model.train()
        for batch in train_dl:
            optimizer.zero_grad()
            accelerator.backward(model(**batch).loss)
            optimizer.step()
        accelerator.save_state(out_dir)

        model.eval()
        for batch in eval_dl:
            with torch.no_grad():
                predictions = model(**batch).logits.argmax(dim=-1)
            predictions, references = accelerator.gather_for_metrics((predictions, batch["labels"]))
            metric.add_batch(predictions=predictions, references=references)
        accelerator.print(f"epoch {epoch}:", metric.compute())


if __name__ == "__main__":
    main()
