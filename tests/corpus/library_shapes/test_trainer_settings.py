"""Unit tests of a classifier's training setup; the runner calls each test, GPU ones behind a skip marker."""
import pytest
import torch
from datasets import Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

TINY = "hf-internal-testing/tiny-random-BertForSequenceClassification"
needs_gpu = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")


def tiny_set(tok):
    texts = ["good", "bad", "fine", "awful"]
    return Dataset.from_dict({"text": texts, "label": [1, 0, 1, 0]}).map(lambda b: tok(b["text"]), batched=True)


class TestMixedPrecision:
    @needs_gpu
    def test_bf16_step(self, tmp_path):
        tok = AutoTokenizer.from_pretrained(TINY)
        model = AutoModelForSequenceClassification.from_pretrained(TINY, num_labels=2)
        args = TrainingArguments(str(tmp_path), bf16=True, max_steps=1, report_to=[])
        Trainer(model=model, args=args, train_dataset=tiny_set(tok), processing_class=tok).train()


def test_untruncated_encoding_keeps_every_token():
    tok = AutoTokenizer.from_pretrained(TINY)
    ids = tok(["one two three"])["input_ids"][0]
    assert len(ids) == 5
