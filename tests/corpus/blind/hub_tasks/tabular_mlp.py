from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_breast_cancer(return_X_y=True)
X_fit, X_hold, y_fit, y_hold = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)

pipe = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=600, random_state=0))
pipe.fit(X_fit, y_fit)

scores = {name: pipe.score(a, b) for name, (a, b) in {"train": (X_fit, y_fit), "held-out": (X_hold, y_hold)}.items()}
print(scores)
