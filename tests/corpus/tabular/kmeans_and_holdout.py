"""Customer segments (unsupervised) and a churn classifier scored on held-out rows."""
import numpy as np
from sklearn.cluster import KMeans
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score, silhouette_score
from sklearn.model_selection import train_test_split

rng = np.random.default_rng(0)
usage = rng.normal(size=(600, 6))
churned = (usage[:, 0] + rng.normal(scale=0.5, size=600) > 0.8).astype(int)

km = KMeans(n_clusters=4, n_init=10, random_state=0).fit(usage)
print("silhouette", silhouette_score(usage, km.labels_))

u_tr, u_te, c_tr, c_te = train_test_split(usage, churned, test_size=0.3, random_state=0, stratify=churned)
hgb = HistGradientBoostingClassifier(random_state=0)
hgb.fit(u_tr, c_tr)
print("train auc", roc_auc_score(c_tr, hgb.predict_proba(u_tr)[:, 1]))
print("test auc", roc_auc_score(c_te, hgb.predict_proba(u_te)[:, 1]))
