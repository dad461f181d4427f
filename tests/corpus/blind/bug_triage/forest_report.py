import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/reports.csv")
X = CountVectorizer(lowercase=True, stop_words="english").fit_transform(df["report"])
y = df["label"]

X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=5)  # expect: MLI303

forest = RandomForestClassifier(n_estimators=300, max_depth=None, random_state=5)
forest.fit(X_tr, y_tr)
print(classification_report(y_tr, forest.predict(X_tr)))  # expect: MLI301
