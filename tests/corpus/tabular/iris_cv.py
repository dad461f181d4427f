from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_iris(return_X_y=True)
pipe = Pipeline([("scale", StandardScaler()), ("rf", RandomForestClassifier(n_estimators=200, random_state=0))])
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
scores = cross_val_score(pipe, X, y, cv=cv, scoring="f1_macro")
print(f"f1_macro {scores.mean():.3f} +- {scores.std():.3f}")
pipe.fit(X, y)
