import pandas as pd
from sentence_transformers import SentenceTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

train = pd.read_json("data/train.jsonl", lines=True)
test = pd.read_json("data/test.jsonl", lines=True)

encoder = SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")
X_train = encoder.encode(train["review"].tolist(), batch_size=32, normalize_embeddings=True)
X_test = encoder.encode(test["review"].tolist(), batch_size=32, normalize_embeddings=True)

head = LogisticRegression(max_iter=1000, C=2.0, random_state=0)
head.fit(X_train, train["label"])

print("train acc", accuracy_score(train["label"], head.predict(X_train)))
pred = head.predict(X_test)
print("test acc", accuracy_score(test["label"], pred))
print("test macro-F1", f1_score(test["label"], pred, average="macro"))
