import pandas as pd
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

tickets = pd.read_csv("data/tickets.csv")
train_df, test_df = train_test_split(tickets, test_size=0.25, random_state=12, stratify=tickets["intent"])
le = LabelEncoder()
le.fit(train_df["intent"])
y_train = le.transform(train_df["intent"])
y_test = le.transform(test_df["intent"])

tfidf = TfidfVectorizer(min_df=1)
trees = ExtraTreesClassifier(n_estimators=400, random_state=12)
trees.fit(tfidf.fit_transform(train_df["text"]), y_train)
print("macro f1", f1_score(y_test, trees.predict(tfidf.transform(test_df["text"])), average="macro"))
