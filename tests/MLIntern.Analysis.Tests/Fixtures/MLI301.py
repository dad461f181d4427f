import transformers as tf
from datasets import load_dataset
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

ds = load_dataset("imdb")
train_ds = ds["train"].shuffle(seed=0)
eval_ds = train_ds

# Flagged: the same name, a copy of it, the same split of the same data set (keyword and positional).
t1 = tf.Trainer(model=None, train_dataset=train_ds, eval_dataset=train_ds)
t2 = tf.Trainer(model=None, train_dataset=train_ds, eval_dataset=eval_ds)
t3 = tf.Trainer(None, None, None, ds["train"], ds["train"])

# Flagged: a scikit-learn model scored only on the data it was fitted on.
X_train, X_test, y_train, y_test = train_test_split([[0], [1]], [0, 1], random_state=0)
clf = LogisticRegression()
clf.fit(X_train, y_train)
print(clf.score(X_train, y_train))
predictions = clf.predict(X_train)
print(accuracy_score(y_train, predictions))

# Not flagged: a held-out split; different splits of the same data set; a dict of eval sets.
t4 = tf.Trainer(model=None, train_dataset=train_ds, eval_dataset=ds["test"])
t5 = tf.Trainer(model=None, train_dataset=ds["train"], eval_dataset=ds["validation"])
t6 = tf.Trainer(model=None, train_dataset=train_ds, eval_dataset={"train": train_ds, "test": ds["test"]})

# Not flagged: the train score printed beside the test score; an unsupervised fit scored on its data;
# a prediction that feeds no metric.
svm = LogisticRegression(C=0.5)
svm.fit(X_train, y_train)
print("train", svm.score(X_train, y_train), "test", svm.score(X_test, y_test))
print(f1_score(y_test, svm.predict(X_test)))
from sklearn.cluster import KMeans
clusters = KMeans(n_clusters=2)
clusters.fit(X_train)
print(clusters.score(X_train))
other = LogisticRegression()
other.fit(X_train, y_train)
labels_for_review = other.predict(X_train)

# A name bound twice stands for the value that reaches each use: flagged where it holds the
# training split, not once it is rebound to the test split (a later notebook cell does this).
held = ds["train"]
t7 = tf.Trainer(model=None, train_dataset=ds["train"], eval_dataset=held)
held = ds["test"]
t8 = tf.Trainer(model=None, train_dataset=ds["train"], eval_dataset=held)

# Flagged: a SetFit trainer evaluated on its few-shot training sample (keyword and SetFit's positions).
from setfit import SetFitModel, Trainer as SetFitTrainer, sample_dataset

few_shot = sample_dataset(ds["train"], num_samples=8)
st_model = SetFitModel.from_pretrained("sentence-transformers/paraphrase-mpnet-base-v2")
s1 = SetFitTrainer(model=st_model, train_dataset=few_shot, eval_dataset=few_shot)
s2 = SetFitTrainer(st_model, None, few_shot, few_shot)

# Not flagged: SetFit evaluated on the held-out split.
s3 = SetFitTrainer(model=st_model, train_dataset=few_shot, eval_dataset=ds["test"])


# Not flagged: a test suite's function, run by pytest on a tiny set it trains and evaluates on by design.
def test_trainer_evaluates():
    tiny = sample_dataset(ds["train"], num_samples=2)
    trainer = SetFitTrainer(model=st_model, train_dataset=tiny, eval_dataset=tiny)
    trainer.train()
    assert trainer.evaluate()["accuracy"] >= 0
