import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline

frame = pd.read_csv("../helpdesk/data/tickets_encoded.csv")
tr, te = train_test_split(frame, test_size=0.25, random_state=1, stratify=frame["label"])
search = GridSearchCV(
    Pipeline([("tfidf", TfidfVectorizer()), ("lr", LogisticRegression(max_iter=1000))]),
    {"lr__C": [0.1, 1, 10], "tfidf__ngram_range": [(1, 1), (1, 2)]},
    cv=3,
    scoring="f1_macro",
)
search.fit(tr["text"], tr["label"])
print(search.best_params_)
print("test f1", f1_score(te["label"], search.predict(te["text"])))  # expect: MLI203
