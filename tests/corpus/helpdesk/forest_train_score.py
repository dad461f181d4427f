# Random forest on bag of words; Marco, v2
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

data = pd.read_csv("data/tickets_encoded.csv")
docs_train, docs_test, y_train, y_test = train_test_split(
    data["text"], data["label"], test_size=0.2, random_state=11, stratify=data["label"]
)

bow = CountVectorizer(lowercase=True)
feats_train = bow.fit_transform(docs_train)

forest = RandomForestClassifier(n_estimators=300, random_state=11)
forest.fit(feats_train, y_train)

# quick sanity number before the meeting
acc = accuracy_score(y_train, forest.predict(feats_train))  # expect: MLI301
print("accuracy", acc)
