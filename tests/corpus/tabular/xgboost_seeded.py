import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier

X, y = load_breast_cancer(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=7, stratify=y)
booster = XGBClassifier(n_estimators=300, max_depth=4, learning_rate=0.05, subsample=0.8, random_state=7)
booster.fit(X_tr, y_tr, eval_set=[(X_te, y_te)], verbose=False)
proba = booster.predict_proba(X_te)[:, 1]
print("auc", roc_auc_score(y_te, proba), "f1", f1_score(y_te, (proba > 0.5).astype(np.int64)))
