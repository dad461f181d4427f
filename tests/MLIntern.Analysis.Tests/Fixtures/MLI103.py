import pandas as pd
import datasets
from datasets import ClassLabel
from transformers import AutoModelForSequenceClassification

df = pd.read_csv("data/tickets.csv")

# Flagged: enumerate over set(...), and its inverse.
label2id = {label: i for i, label in enumerate(set(df["intent"]))}
id2label = {i: label for i, label in enumerate(set(df["intent"]))}

# Flagged: list(set(...)) used as the label list (fixed where it is defined, once).
labels = list(set(df.intent.tolist()))
label_to_id = {l: idx for idx, l in enumerate(labels)}
id_to_label = dict(enumerate(labels))

# Flagged: a name bound to a set, fixed where it is iterated (it stays a set for other uses).
classes = set()
for row in df.itertuples():
    classes.add(row.intent)
class2idx = dict(zip(classes, range(len(classes))))

# Flagged: a set comprehension, a set literal of strings, ClassLabel names, a loop filling a mapping.
tag2id = {t: i for i, t in enumerate({x.lower() for x in df["category"]})}
target_ids = {name: n for n, name in enumerate({"neg", "pos", "neutral"})}
intents = ClassLabel(names=list(set(df["intent"])))
intent_ids = {}
for i, lab in enumerate(frozenset(df["intent"])):
    intent_ids[lab] = i
label_index = {}
for i, lab in enumerate(set(df["category"])):
    label_index[lab] = i

# Flagged: passed straight to the model.
model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-uncased",
    id2label={i: l for i, l in enumerate(set(df["intent"]))},
)

# Not flagged: sorted sets, unique() (first-appearance order), np.unique, ordered dict keys.
ok1 = {label: i for i, label in enumerate(sorted(set(df["intent"])))}
ok2 = {label: i for i, label in enumerate(df["intent"].unique())}
ok_labels = sorted(list(set(df["intent"])))
ok3 = dict(enumerate(ok_labels))
ok_label_list = list(dict.fromkeys(df["intent"]))
ok4 = {l: i for i, l in enumerate(ok_label_list)}

# Not flagged: integer sets iterate in a fixed order; mappings that are not about labels.
label_by_int = {i: v for i, v in enumerate({0, 1, 2})}
word_counts = {w: i for i, w in enumerate(set(df["instruction"]))}
unique_words = set(df["instruction"])
