import pandas as pd
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split as split
from sklearn.neural_network import MLPClassifier

sms = pd.read_csv("data/sms.csv")
a, b = split(sms, test_size=0.3)  # expect: MLI303, MLI303
vec = HashingVectorizer(n_features=2**12)
mlp = MLPClassifier(hidden_layer_sizes=(64,), max_iter=300)
mlp.fit(vec.transform(a["message"]), a["label"])  # expect: MLI505
print("f1", f1_score(b["label"], mlp.predict(vec.transform(b["message"]))))
