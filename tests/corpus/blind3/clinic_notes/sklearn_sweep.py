"""TF-IDF + linear models, a small sweep over C; prints the held-out F1."""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score as f1
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelEncoder

table = pd.read_csv("data/notes.csv")
X_tr, X_te, y_tr, y_te = train_test_split(
    table["note"], table["specialty"], test_size=0.25, random_state=0, stratify=table["specialty"]
)
y_tr = LabelEncoder().fit_transform(y_tr)
y_te = LabelEncoder().fit_transform(y_te)  # expect: MLI104

best_score, best_pipe = -1.0, None
for c in (0.1, 1.0, 10.0):
    pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(C=c, max_iter=2000))
    pipe.fit(X_tr, y_tr)
    score = f1(y_te, pipe.predict(X_te))  # expect: MLI203
    if score > best_score:  # expect: MLI302
        best_score, best_pipe = score, pipe

print(f"test F1: {best_score:.3f}")
