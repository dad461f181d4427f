"""scikit-learn's side of `make bench-train`: TF-IDF (word 1-2-grams + char_wb 3-grams) and LinearSVC.

Reads train.csv and test.csv (columns: instruction, intent), fits on train, scores test, and prints
one JSON object: train_seconds and train_cpu_seconds (vectorizer fit + LinearSVC fit), accuracy, macro_f1.
"""
import csv
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["instruction"] for r in rows], [r["intent"] for r in rows]


def main(folder):
    x_train, y_train = read(f"{folder}/train.csv")
    x_test, y_test = read(f"{folder}/test.csv")
    started = time.perf_counter()
    cpu = time.process_time()
    features = FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), sublinear_tf=True)),
    ])
    x = features.fit_transform(x_train)
    model = LinearSVC(C=1.0, random_state=42)
    model.fit(x, y_train)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    predicted = model.predict(features.transform(x_test))
    print(json.dumps({
        "train_seconds": seconds,
        "train_cpu_seconds": cpu_seconds,
        "accuracy": accuracy_score(y_test, predicted),
        "macro_f1": f1_score(y_test, predicted, average="macro"),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
