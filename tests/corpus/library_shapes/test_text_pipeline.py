"""Unit tests of a text pipeline: each test builds the parts it needs, a test runner calls each on its own."""
import torch
from transformers import AutoModel, AutoTokenizer

SMALL = "prajjwal1/bert-tiny"


def test_tokenizer_pads_to_longest():
    tokenizer = AutoTokenizer.from_pretrained(SMALL)
    batch = tokenizer(["a", "a longer line"], padding=True, truncation=True, return_tensors="pt")
    assert batch["input_ids"].shape[0] == 2


def test_fast_tokenizer_offsets():
    tokenizer = AutoTokenizer.from_pretrained(SMALL)
    enc = tokenizer("offsets please", return_offsets_mapping=True, truncation=True)
    assert len(enc["offset_mapping"]) == len(enc["input_ids"])


def test_encoder_hidden_size():
    encoder = AutoModel.from_pretrained("sentence-transformers/all-MiniLM-L6-v2")
    with torch.no_grad():
        out = encoder(input_ids=torch.tensor([[101, 102]]))
    assert out.last_hidden_state.shape[-1] == encoder.config.hidden_size
