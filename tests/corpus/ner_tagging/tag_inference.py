"""Runs a trained tagger over a few sentences; no training here."""
import torch
from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

tagger_dir = "ner-bert/checkpoint-best"
tokenizer = AutoTokenizer.from_pretrained(tagger_dir)
model = AutoModelForTokenClassification.from_pretrained(tagger_dir)
ner = pipeline("token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="simple")
for sentence in ["Ada Lovelace worked with Charles Babbage in London.", "The ECB met in Frankfurt on Monday."]:
    print(ner(sentence))

model.eval()
with torch.no_grad():
    enc = tokenizer("Grace Hopper joined the Navy.", return_tensors="pt", truncation=True)
    tags = model(**enc).logits.argmax(-1)[0].tolist()
print([model.config.id2label[t] for t in tags])
