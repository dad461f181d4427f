"""C sweep for the linear topic baseline."""
import json

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score


def read_jsonl(path):
    with open(path) as fh:
        rows = [json.loads(line) for line in fh]
    return [r["text"] for r in rows], [r["label"] for r in rows]


train_x, train_y = read_jsonl("data/train.jsonl")
test_x, test_y = read_jsonl("data/test.jsonl")
vec = TfidfVectorizer().fit(train_x)
Xtr, Xte = vec.transform(train_x), vec.transform(test_x)

best_score, best_c = -1.0, None
for c in (0.01, 0.1, 1.0, 10.0, 100.0):
    model = LogisticRegression(C=c, max_iter=500, random_state=0).fit(Xtr, train_y)
    score = accuracy_score(test_y, model.predict(Xte))
    if score > best_score:  # expect: MLI302
        best_score, best_c = score, c
print(f"best C={best_c}, test accuracy={best_score:.3f}")
