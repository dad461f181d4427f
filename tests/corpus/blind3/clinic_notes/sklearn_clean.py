"""The same sweep done properly: one encoder, C chosen by cross-validation, test used once."""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import LabelEncoder

table = pd.read_csv("data/notes.csv")
enc = LabelEncoder().fit(table["specialty"])
y = enc.transform(table["specialty"])
X_tr, X_te, y_tr, y_te = train_test_split(table["note"], y, test_size=0.25, random_state=0, stratify=y)

pipe = Pipeline([("tfidf", TfidfVectorizer(sublinear_tf=True)), ("clf", LogisticRegression(max_iter=2000))])
search = GridSearchCV(pipe, {"clf__C": [0.1, 1.0, 10.0]}, cv=3, scoring="f1_macro")
search.fit(X_tr, y_tr)

pred = search.predict(X_te)
print("best C:", search.best_params_)
print("test macro-F1:", f1_score(y_te, pred, average="macro"))
print(classification_report(y_te, pred, target_names=enc.classes_))
