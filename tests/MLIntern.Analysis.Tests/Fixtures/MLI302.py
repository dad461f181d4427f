import torch
import transformers as tf
from datasets import load_dataset
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

ds = load_dataset("imdb")
tokenized = ds.map(lambda x: x)

# Flagged: the ["test"] split keeps the best checkpoint, then trainer.evaluate() reports it.
args = tf.TrainingArguments("out", eval_strategy="epoch", save_strategy="epoch", load_best_model_at_end=True)
trainer = tf.Trainer(model=None, args=args, train_dataset=tokenized["train"], eval_dataset=tokenized["test"])
trainer.train()
print(trainer.evaluate())

# Flagged: early stopping on a test-named split, then predict on the same split.
test_ds = tokenized["test"]
stopper = tf.Trainer(
    model=None,
    args=tf.TrainingArguments("out2"),
    train_dataset=tokenized["train"],
    eval_dataset=test_ds,
    callbacks=[tf.EarlyStoppingCallback(early_stopping_patience=2)],
)
stopper.train()
results = stopper.predict(test_ds)

# Flagged: a hyperparameter loop that keeps the best test accuracy and reports it.
X_train, X_test, y_train, y_test = train_test_split([[0], [1]], [0, 1], random_state=0)
best_acc, best_c = 0.0, None
for c in [0.1, 1.0, 10.0]:
    clf = LogisticRegression(C=c).fit(X_train, y_train)
    acc = accuracy_score(y_test, clf.predict(X_test))
    if acc > best_acc:
        best_acc, best_c = acc, c
print(f"test accuracy: {best_acc:.3f} (C={best_c})")


# Flagged: an epoch loop that keeps the best score on the test loader.
def fit(model, train_loader, test_loader, evaluate, epochs=3):
    best = 0.0
    for epoch in range(epochs):
        score = evaluate(model, test_loader)
        if best < score:
            best = score
            torch.save(model.state_dict(), "best.pt")
    return best


print("best test score:", fit(None, tokenized["train"], torch.utils.data.DataLoader(tokenized["test"]), None))


# Not flagged: the same loop given a validation loader, whatever its parameter is called.
def fit_on(model, test_loader, evaluate, epochs=3):
    best = 0.0
    for epoch in range(epochs):
        score = evaluate(model, test_loader)
        if best < score:
            best = score
    return best


print("best validation score:", fit_on(None, torch.utils.data.DataLoader(tokenized["validation"]), None))


# Not flagged: selection on a validation split, the test split evaluated once.
val_trainer = tf.Trainer(model=None, args=args, train_dataset=tokenized["train"], eval_dataset=tokenized["validation"])
val_trainer.train()
print(val_trainer.evaluate(tokenized["test"]))

# Not flagged: the test split as eval set without selection (no best model, no early stopping).
plain = tf.Trainer(model=None, args=tf.TrainingArguments("out3"), eval_dataset=tokenized["test"])
print(plain.evaluate())

# Not flagged: the best test score is kept but never reported; the best validation score is reported.
X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.5, random_state=0)
best_val = 0.0
for c in [0.1, 1.0]:
    clf = LogisticRegression(C=c).fit(X_fit, y_fit)
    val_acc = clf.score(X_val, y_val)
    if val_acc > best_val:
        best_val = val_acc
print(best_val)

# Not flagged: a validation split carved from the training data, though its key is "test".
carved = tokenized["train"].train_test_split(test_size=0.1, seed=0)
carved_trainer = tf.Trainer(model=None, args=args, train_dataset=carved["train"], eval_dataset=carved["test"])
carved_trainer.train()
print(carved_trainer.evaluate())



# Flagged: a helper of the file reads the data set's test file; the loop keeps the best score on it.
def read_rows(path):
    with open(path) as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh]
    return [r[0] for r in rows], [r[1] for r in rows]


held_x, held_y = read_rows("data/test.tsv")
top = 0.0
for c in [0.1, 1.0]:
    acc2 = LogisticRegression(C=c).fit(X_train, y_train).score(held_x, held_y)
    if acc2 > top:
        top = acc2
print("best held-out accuracy", top)
