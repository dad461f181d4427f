import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

tickets = pd.read_csv("data/requests.csv")
train_part, test_part = train_test_split(
    tickets, test_size=0.25, random_state=13, stratify=tickets["category"]
)

vec = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
X_train = vec.fit_transform(train_part["message"])
X_test = vec.transform(test_part["message"])

enc = LabelEncoder()
y_train = enc.fit_transform(train_part["category"])
y_test = enc.fit_transform(test_part["category"])  # expect: MLI104

clf = LogisticRegression(C=4.0, max_iter=2000)
clf.fit(X_train, y_train)
print(classification_report(y_test, clf.predict(X_test), target_names=enc.classes_))
