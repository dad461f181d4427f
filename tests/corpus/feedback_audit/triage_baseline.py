"""Triage classifier for in-app feedback (bug / praise / question).
The raw export has known problems; they are reported by the data checks, not fixed here."""
# expect-file: MLD002 data/app_feedback.csv
# expect-file: MLD003 data/app_feedback.csv
# expect-file: MLD008 data/app_feedback.csv
# expect-file: MLD009 data/app_feedback.csv
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

feedback = pd.read_csv("data/app_feedback.csv")
train_rows, test_rows = train_test_split(
    feedback, test_size=0.3, random_state=8, stratify=feedback["label"]
)
triage = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=1000, class_weight="balanced"))
triage.fit(train_rows["text"], train_rows["label"])
print(classification_report(test_rows["label"], triage.predict(test_rows["text"])))
