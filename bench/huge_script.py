#!/usr/bin/env python3
"""Writes a deterministic, valid Python training script of about N lines (a benchmark input).

The script imports torch and transformers (so every ML rule runs on it) and repeats, with
numbered names, a handful of blocks a long generated or concatenated script is made of:
functions, classes, loops over a data loader, string literals and comments, and module-level
reassignments of the same few names (`lr`, `config`, `model`, `batch_size`, and 35 of `step` per
97 lines, each reading the one before, between blank lines), which is what makes
reaching-definition questions expensive: with N = 1,000,000 (about 15 MB), `step` has 360,000
definitions in one scope and the others 10,000-20,000 each.

Usage: python3 bench/huge_script.py LINES [OUT]   (OUT defaults to stdout)
The same LINES always gives the same bytes.
"""

import sys

HEADER = '''"""A generated training script: {lines} lines."""
import os
import random

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

data = TensorDataset(torch.randn(64, 32), torch.randint(0, 4, (64,)))
loss_fn = nn.CrossEntropyLoss()

MODEL_NAME = "distilbert-base-uncased"
tokenizer = AutoTokenizer.from_pretrained(MODEL_NAME)
model = AutoModelForSequenceClassification.from_pretrained(MODEL_NAME, num_labels=4)
lr = 5e-5
batch_size = 16
config = {{"lr": lr, "epochs": 3}}
step = 0
'''

# One block: 97 lines, about 1.5 KB. The {i} in every name keeps definitions distinct where they
# should be; `step` is the one name every block reassigns 35 times, as a cell-by-cell notebook
# export or a generated script does, so at 1M lines it has 350,000 definitions in one scope.
RICH = '''
# block {i}
lr = {lr}
batch_size = {bs}
config = {{"lr": lr, "batch_size": batch_size, "name": "run-{i}"}}
message_{i} = "step {i} of the generated script"


def scale_{i}(values, factor={i}):
    """Scales every value (block {i})."""
    total = 0
    for v in values:
        total += v * factor
    return total / max(len(values), 1)


class Head{i}(nn.Module):
    def forward(self, x):
        return self.proj(x)


head_{i} = Head{i}()
optimizer_{i} = torch.optim.AdamW(head_{i}.parameters(), lr=lr)
for features, labels in DataLoader(data, batch_size=batch_size):
    optimizer_{i}.zero_grad()
    loss = loss_fn(head_{i}(features), labels)
    loss.backward()
    optimizer_{i}.step()
model = head_{i}
if scale_{i}([1, 2, 3]) > {i}:
    config = dict(config, note="big")
    lr = config["lr"] * 0.5
print(message_{i}, config["lr"], lr)
'''

# The short lines that follow each rich part: 35 reassignments of `step`, each reading the one
# before, with blank lines between them.
CHAIN = ["step = step + 1", "step = step * 2 % 1009", "step = step - 3", "step += {i}", "step = max(step, 0)", "step = int(step)", "step = abs(step)"]


def block(i: int) -> str:
    rich = RICH.format(i=i, lr=f"{(i % 97 + 1)}e-5", bs=8 << (i % 4))
    short = []
    for k in range(35):
        short.append(CHAIN[k % len(CHAIN)].format(i=i))
        if k % 5 != 4:
            short.append("")
    return rich + "\n".join(short) + "\n"


FOOTER = '''
args = TrainingArguments(output_dir="out", learning_rate=lr, per_device_train_batch_size=batch_size, seed=42)
trainer = Trainer(model=model, args=args)
'''


def generate(lines: int, out) -> None:
    header = HEADER.format(lines=lines)
    out.write(header)
    written = header.count("\n") + FOOTER.count("\n")
    i = 0
    while True:
        text = block(i)
        if written + text.count("\n") > lines:
            break
        out.write(text)
        written += text.count("\n")
        i += 1
    # Pad with comments so the file has exactly the lines asked for.
    for k in range(lines - written):
        out.write(f"# padding {k}\n")
    out.write(FOOTER)


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: huge_script.py LINES [OUT]")
    lines = int(sys.argv[1])
    if len(sys.argv) == 3:
        with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as out:
            generate(lines, out)
    else:
        generate(lines, sys.stdout)


if __name__ == "__main__":
    main()
