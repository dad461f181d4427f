import pandas as pd
import datasets
from datasets import ClassLabel
from transformers import AutoModelForSequenceClassification

df = pd.read_csv("tickets.csv")

# Flagged: built from the label column's values (tickets.csv labels its rows in `intent`), whatever the names.
a = {v: i for i, v in enumerate(set(df["intent"]))}
b = {i: v for i, v in enumerate(set(df["intent"]))}

# Flagged: list(set(...)) of the labels (fixed where it is defined, once).
items = list(set(df.intent.tolist()))
m1 = {x: n for n, x in enumerate(items)}
m2 = dict(enumerate(items))

# Flagged: a name bound to a set, fixed where it is iterated; its mapping is applied to the label column.
seen = set()
for row in df.itertuples():
    seen.add(row.intent)
lookup = dict(zip(seen, range(len(seen))))
df["target"] = df["intent"].map(lookup)

# Flagged: a set of another column whose mapping becomes the model's id2label through an alias and an inverse.
words = {t: i for i, t in enumerate({x.lower() for x in df["category"]})}
alias = words
inverse = {i: t for t, i in alias.items()}

# Flagged: a set literal of strings, looked up with each row's label.
codes = {name: n for n, name in enumerate({"neg", "pos", "neutral"})}
ids = [codes[v] for v in df["intent"]]

# Flagged: ClassLabel names; a loop filling a mapping set as the config's label2id; a helper's result passed as label2id.
feature = ClassLabel(names=list(set(df["intent"])))
table = {}
for i, lab in enumerate(frozenset(df["category"])):
    table[lab] = i


def numbering(values):
    return {v: i for i, v in enumerate(set(values))}


numbers = numbering(df["category"])

# Flagged: looked up with each example's label inside a function mapped over the data.
names_from_file = open("labels.txt").read().split()
order = {c: k for k, c in enumerate(set(names_from_file))}


def encode(example):
    example["target"] = order[example["intent"]]
    return example


# Flagged: passed straight to the model.
model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-uncased",
    id2label={i: l for i, l in enumerate(set(df["category"]))},
    label2id=numbers,
)
model.config.id2label = inverse
model.config.label2id = table

# Not flagged: sorted sets, unique() (first-appearance order), np.unique, ordered dict keys.
ok1 = {label: i for i, label in enumerate(sorted(set(df["intent"])))}
ok2 = {label: i for i, label in enumerate(df["intent"].unique())}
ok_labels = sorted(list(set(df["intent"])))
ok3 = dict(enumerate(ok_labels))
ok_label_list = list(dict.fromkeys(df["intent"]))
ok4 = {l: i for i, l in enumerate(ok_label_list)}

# Not flagged: integer sets iterate in a fixed order; mappings of other columns that never meet the labels, whatever their names.
label_by_int = {i: v for i, v in enumerate({0, 1, 2})}
label2id = {w: i for i, w in enumerate(set(df["instruction"]))}
print(len(label2id))
word_ids = [label2id[w] for w in df["instruction"]]
class_index = dict(zip(set(df["category"]), range(10)))
unique_words = set(df["instruction"])

# Flagged: a copy of a set, made where the label names are given to a ClassLabel.
distinct = set(df["intent"])
feature = ClassLabel(names=list(distinct))
# Not flagged: the ClassLabel's own names give the ids (the same order that encodes the column).
from_feature = AutoModelForSequenceClassification.from_pretrained("bert-base-cased", id2label=dict(enumerate(feature.names)))
