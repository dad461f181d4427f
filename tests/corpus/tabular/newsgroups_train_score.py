from sklearn.datasets import fetch_20newsgroups
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

cats = ["sci.space", "rec.autos", "talk.politics.misc", "comp.graphics"]
train = fetch_20newsgroups(subset="train", categories=cats, remove=("headers", "footers"))
nb = make_pipeline(TfidfVectorizer(max_features=20000), MultinomialNB(alpha=0.1))
nb.fit(train.data, train.target)
print("accuracy", accuracy_score(train.target, nb.predict(train.data)))  # expect: MLI301
