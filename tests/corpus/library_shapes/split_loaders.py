"""Tokenizer and encoder each loaded by a helper, and both helpers called by main: they meet."""
import torch
from transformers import AutoModel, AutoTokenizer


def load_tokenizer():
    return AutoTokenizer.from_pretrained("roberta-base")  # expect: MLI402


def load_encoder():
    return AutoModel.from_pretrained("bert-base-uncased")


def main():
    tokenizer = load_tokenizer()
    encoder = load_encoder()
    encoder.eval()
    batch = tokenizer(["an example sentence"], truncation=True, return_tensors="pt")
    with torch.no_grad():
        print(encoder(**batch).last_hidden_state.mean(dim=1))


if __name__ == "__main__":
    main()
