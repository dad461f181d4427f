import pandas as pd
import torch
from datasets import ClassLabel, load_dataset
from sklearn.model_selection import train_test_split as tts
from sklearn import model_selection
from torch.utils.data import random_split

# intents_small.csv: text, intent (4 classes).
df = pd.read_csv("intents_small.csv")

# Flagged: no seed, and a whole data frame of a classification data set without stratify.
train_df, test_df = tts(df, test_size=0.2)

# Flagged: the label column (through a name and .tolist()) without stratify; a module attribute; a config dict.
labels = df["intent"].tolist()
X_train, X_test, y_train, y_test = model_selection.train_test_split(
    df["text"],
    labels,
    test_size=0.1,
)
split_cfg = {"test_size": 0.2}
a, b = tts(df["text"], df["intent"], **split_cfg)

# Flagged: the label encoded first (LabelEncoder, category codes, factorize) is still the label.
from sklearn.preprocessing import LabelEncoder
y_encoded = LabelEncoder().fit_transform(df["intent"])
c1 = tts(df["text"], y_encoded, random_state=0)
c2 = tts(df["text"], df["intent"].astype("category").cat.codes, random_state=0)
c3 = tts(df["text"], pd.factorize(df["intent"])[0], random_state=0)

# Flagged: datasets splits without a seed; after class_encode_column, without stratify_by_column.
ds = load_dataset("csv", data_files="intents_small.csv")["train"]
splits = ds.train_test_split(test_size=0.2)
encoded = ds.class_encode_column('intent')
encoded_splits = encoded.train_test_split(test_size=0.2, seed=0)
cast = ds.cast_column("intent", ClassLabel(names=["a", "b", "c", "d"])).train_test_split(0.1, seed=1)

# Flagged: a seed of None is no seed (the fix replaces it rather than passing the keyword twice).
none_seed = tts(df["text"], random_state=None)

# Flagged: torch random_split without a generator.
train_set, val_set = random_split(ds, [0.9, 0.1])

# Not flagged: seeded and stratified; not shuffled; a column that is not a label; an unknown **kwargs.
ok1 = tts(df, test_size=0.2, random_state=42, stratify=df["intent"])
ok2 = tts(df["text"], df["intent"], shuffle=False)
ok3 = tts(df["text"], random_state=0)
ok4 = ds.train_test_split(test_size=0.2, seed=42)
ok5 = ds.train_test_split(test_size=0.2, generator=None, seed=7)
ok6 = random_split(ds, [0.9, 0.1], generator=torch.Generator().manual_seed(42))


def split(frame, **kwargs):
    return tts(frame, **kwargs)


# Not flagged: a list that is not a data frame, a method of something that is not a data set.
ok7 = tts([1, 2, 3, 4], random_state=1)
ok8 = something.train_test_split(test_size=0.2)

# Flagged: a data set rebound to its own split (the name read is the data set made the line before).
rebound = load_dataset("csv", data_files="intents_small.csv")["train"]
rebound = rebound.shuffle(seed=3)
rebound = rebound.train_test_split(test_size=0.2)
