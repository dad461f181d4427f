from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelEncoder
import pandas as pd

RANDOM_STATE = 2024


def load_tickets(path="data/tickets.csv"):
    frame = pd.read_csv(path)
    return frame["text"].tolist(), frame["intent"].tolist()


def main():
    texts, intents = load_tickets()
    encoder = LabelEncoder().fit(intents)
    targets = encoder.transform(intents)
    x_tr, x_te, y_tr, y_te = train_test_split(
        texts, targets, test_size=0.25, random_state=RANDOM_STATE, stratify=targets
    )
    pipe = make_pipeline(
        TfidfVectorizer(sublinear_tf=True),
        SGDClassifier(loss="modified_huber", random_state=RANDOM_STATE),
    )
    pipe.fit(x_tr, y_tr)
    train_acc = accuracy_score(y_tr, pipe.predict(x_tr))
    test_pred = pipe.predict(x_te)
    print(f"train acc {train_acc:.3f}")
    print(f"test acc {accuracy_score(y_te, test_pred):.3f}")
    print(f"test macro f1 {f1_score(y_te, test_pred, average='macro'):.3f}")
    print(dict(zip(encoder.classes_, range(len(encoder.classes_)))))


if __name__ == "__main__":
    main()
