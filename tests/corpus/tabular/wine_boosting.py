# gradient boosting on the wine data, Lena
from sklearn.datasets import load_wine
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

wine = load_wine()
X_tr, X_te, y_tr, y_te = train_test_split(wine.data, wine.target, test_size=0.25)  # expect: MLI303
gbm = GradientBoostingClassifier(n_estimators=150, learning_rate=0.05, max_depth=3)
gbm.fit(X_tr, y_tr)  # expect: MLI505
print("balanced accuracy:", balanced_accuracy_score(y_te, gbm.predict(X_te)))
