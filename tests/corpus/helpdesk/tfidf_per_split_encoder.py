"""Baseline: tf-idf + logistic regression on the ticket intents."""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

tickets = pd.read_csv("data/tickets.csv")
train_df, test_df = train_test_split(tickets, test_size=0.3, random_state=3, stratify=tickets["intent"])

y_train = LabelEncoder().fit_transform(train_df["intent"])
y_test = LabelEncoder().fit_transform(test_df["intent"])  # expect: MLI104

vec = TfidfVectorizer(ngram_range=(1, 2), min_df=1)
X_train = vec.fit_transform(train_df["text"])
X_test = vec.transform(test_df["text"])

clf = LogisticRegression(max_iter=2000, random_state=3)
clf.fit(X_train, y_train)
print(classification_report(y_test, clf.predict(X_test)))
