"""Distil a large topic teacher into a small student; two tokenizers on purpose."""
import torch
import torch.nn.functional as F
from datasets import load_dataset
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer

torch.manual_seed(0)
teacher_tok = AutoTokenizer.from_pretrained("roberta-large")
student_tok = AutoTokenizer.from_pretrained("distilbert-base-uncased")
teacher = AutoModelForSequenceClassification.from_pretrained("newsroom/roberta-large-topics").eval()
topics = {0: "sports", 1: "business", 2: "science", 3: "politics"}
student = AutoModelForSequenceClassification.from_pretrained(
    "distilbert-base-uncased", num_labels=4, id2label=topics, label2id={v: k for k, v in topics.items()}
)
news = load_dataset("json", data_files={"train": "data/train.jsonl"})["train"]
opt = torch.optim.AdamW(student.parameters(), lr=5e-5)
T = 2.0

student.train()
for batch in DataLoader(news, batch_size=8, shuffle=True):
    with torch.no_grad():
        t_in = teacher_tok(batch["text"], truncation=True, padding=True, return_tensors="pt")
        soft = F.softmax(teacher(**t_in).logits / T, dim=-1)
    s_in = student_tok(batch["text"], truncation=True, padding=True, return_tensors="pt")
    s_logits = student(**s_in).logits
    loss = F.kl_div(F.log_softmax(s_logits / T, dim=-1), soft, reduction="batchmean") * T * T
    loss = loss + F.cross_entropy(s_logits, batch["label"])
    opt.zero_grad()
    loss.backward()
    opt.step()
