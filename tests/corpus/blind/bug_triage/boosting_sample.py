import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score

data = pd.read_csv("data/reports.csv")
train = data.sample(frac=0.75, random_state=3)
test = data.drop(train.index)

vectorizer = TfidfVectorizer(min_df=1)
Xtr = vectorizer.fit_transform(train["report"])
Xte = vectorizer.transform(test["report"])

gb = GradientBoostingClassifier(n_estimators=150, learning_rate=0.1, random_state=3)
gb.fit(Xtr, train["label"])
print("train", gb.score(Xtr, train["label"]), "test", gb.score(Xte, test["label"]))
print("f1 (blocker)", f1_score(test["label"], gb.predict(Xte)))
