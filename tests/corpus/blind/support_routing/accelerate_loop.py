from functools import partial

import pandas as pd
import torch
from accelerate import Accelerator
from accelerate.utils import set_seed
from datasets import Dataset
from torch.utils.data import DataLoader
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    get_linear_schedule_with_warmup,
)

HPARAMS = {"model": "distilroberta-base", "lr": 4e-5, "epochs": 3, "bs": 16, "max_len": 128}


def encode(batch, tokenizer, max_len):
    return tokenizer(batch["message"], padding="max_length", max_length=max_len)  # expect: MLI401


def main():
    accelerator = Accelerator()
    set_seed(2024)

    df = pd.read_csv("data/requests.csv")
    classes = list(set(df["category"]))  # expect: MLI103
    if (n := len(classes)) < 2:
        raise SystemExit("need at least two queues")
    to_id = {c: i for i, c in enumerate(classes)}
    df["labels"] = df["category"].map(to_id)

    tokenizer = AutoTokenizer.from_pretrained(HPARAMS["model"])
    ds = Dataset.from_pandas(df[["message", "labels"]]).train_test_split(test_size=0.2, seed=2024)
    ds = ds.map(partial(encode, tokenizer=tokenizer, max_len=HPARAMS["max_len"]), batched=True)
    ds = ds.remove_columns(["message"])
    ds.set_format("torch")

    collate = DataCollatorWithPadding(tokenizer)
    train_dl = DataLoader(ds["train"], batch_size=HPARAMS["bs"], shuffle=True, collate_fn=collate)
    eval_dl = DataLoader(ds["test"], batch_size=HPARAMS["bs"], collate_fn=collate)

    model = AutoModelForSequenceClassification.from_pretrained(
        HPARAMS["model"], num_labels=n, id2label=dict(enumerate(classes)), label2id=to_id
    )
    opt = torch.optim.AdamW(model.parameters(), lr=HPARAMS["lr"])
    total = HPARAMS["epochs"] * len(train_dl)
    sched = get_linear_schedule_with_warmup(opt, int(0.1 * total), total)
    model, opt, train_dl, eval_dl, sched = accelerator.prepare(model, opt, train_dl, eval_dl, sched)

    for epoch in range(HPARAMS["epochs"]):
        model.train()
        for batch in train_dl:
            out = model(**batch)
            accelerator.backward(out.loss)
            opt.step()
            sched.step()
            opt.zero_grad()

        model.eval()
        hits, seen = 0, 0
        with torch.no_grad():
            for batch in eval_dl:
                logits = model(**batch).logits
                preds, refs = accelerator.gather_for_metrics((logits.argmax(dim=-1), batch["labels"]))
                hits += (preds == refs).sum().item()
                seen += refs.numel()
        accelerator.print(f"epoch {epoch}: acc={hits / seen:.3f}")

    accelerator.wait_for_everyone()
    accelerator.unwrap_model(model).save_pretrained("runs/accel-router")


if __name__ == "__main__":
    main()
