"""Frozen sentence embeddings + logistic regression; cheap baseline for the reviews."""
import numpy as np
import pandas as pd
from sentence_transformers import SentenceTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import train_test_split

reviews = pd.read_csv("data/reviews_text_labels.csv")
encoder = SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")
vectors = encoder.encode(reviews["text"].tolist(), batch_size=32, normalize_embeddings=True)
y = reviews["sentiment"].to_numpy()

Xtr, Xte, ytr, yte = train_test_split(vectors, y, test_size=0.3, random_state=0, stratify=y)
lr = LogisticRegression(C=2.0, max_iter=1000)
lr.fit(Xtr, ytr)
pred = lr.predict(Xte)
print(classification_report(yte, pred))
print("macro f1", f1_score(yte, pred, average="macro"))
print("classes", np.unique(y))
