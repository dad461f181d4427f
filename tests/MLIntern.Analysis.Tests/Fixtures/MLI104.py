import pandas as pd
from datasets import load_dataset
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn import preprocessing as pp

df = pd.read_csv("tickets.csv")
train_df, test_df = train_test_split(df, test_size=0.2, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(df["instruction"], df["intent"], test_size=0.2, random_state=0)

# Flagged with a fix: one encoder fitted on train, then fitted again on test.
le = LabelEncoder()
train_labels = le.fit_transform(train_df["intent"])
test_labels = le.fit_transform(test_df["intent"])

# Flagged with a fix: a fresh encoder on the test split while the fitted one is in scope.
encoder = pp.LabelEncoder()
y_train_ids = encoder.fit_transform(y_train)
y_test_ids = pp.LabelEncoder().fit_transform(y_test)

# Flagged without a fix: inline encoders, fit() twice, factorize and category codes per split.
tr, te = train_test_split(df, test_size=0.2, random_state=1)
a = LabelEncoder().fit_transform(tr.intent)
b = LabelEncoder().fit_transform(te.intent)
train_part, val_part = train_test_split(df, test_size=0.1, random_state=2)
enc = LabelEncoder()
enc.fit(train_part["intent"].values)
enc.fit(val_part["intent"].values)
df_train = df.sample(frac=0.8, random_state=3)
df_eval = df.drop(df_train.index)
train_codes, train_uniques = pd.factorize(df_train["intent"])
eval_codes, eval_uniques = pd.factorize(df_eval["intent"])
train_df["label"] = train_df["intent"].astype("category").cat.codes
test_df["label"] = test_df["intent"].astype("category").cat.codes

# Flagged: ClassLabel inferred separately on each split of a DatasetDict.
raw = load_dataset("csv", data_files={"train": "tickets.csv", "test": "tickets.csv"})
train_split = raw["train"].class_encode_column("intent")
test_split = raw["test"].class_encode_column("intent")

# Flagged: names say nothing — two parts of one split called `first`/`second`, through an alias and a helper.
def carve(frame):
    return train_test_split(frame, test_size=0.25, random_state=5)


first, second = carve(df)
same_as_first = first
p = LabelEncoder().fit_transform(same_as_first["category"])
q = LabelEncoder().fit_transform(second["category"])

# Flagged: the names say train and test the wrong way round; the data flow says two splits of a DatasetDict.
parts = raw["train"].train_test_split(test_size=0.1, seed=0)
test_named = parts["train"].class_encode_column("category")
train_named = parts["test"].class_encode_column("category")

# Flagged: two data sets in different roles, whatever they are called.
x1 = load_dataset("csv", data_files="tickets.csv", split="train")
x2 = load_dataset("csv", data_files="tickets.csv", split="test")
u = pd.factorize(x1.to_pandas()["category"])
v = pd.factorize(x2.to_pandas()["category"])

# Flagged: two files the data set ships as its training and test data, whatever the variables are called.
left = pd.read_csv("data/train.csv")
right = pd.read_csv("data/test.csv")
bin_left = pp.LabelBinarizer().fit_transform(left["category"])
bin_right = pp.LabelBinarizer().fit_transform(right["category"])

# Not flagged: names that say train and test, but the same data (an alias, two reads of the same file).
train_frame = df
test_frame = train_frame
same1 = train_frame["category"].astype("category").cat.codes
same2 = test_frame["category"].astype("category").cat.codes
train_read = pd.read_csv("tickets.csv")
test_read = pd.read_csv("tickets.csv")
read1 = train_read["instruction"].factorize()
read2 = test_read["instruction"].factorize()

# Not flagged: data of unknown origin.
unknown1 = LabelEncoder().fit_transform(frame_a["category"])
unknown2 = LabelEncoder().fit_transform(frame_b["category"])

# Not flagged: fit once and transform each split; two different columns; one encoder per column.
good = LabelEncoder().fit(df["intent"])
good_train = good.transform(train_df["intent"])
good_test = good.transform(test_df["intent"])
intents = LabelEncoder().fit_transform(df["intent"])
categories = LabelEncoder().fit_transform(df["category"])
whole = raw.class_encode_column("intent")
refit = LabelEncoder().fit_transform(train_df["intent"])
codes = df["intent"].astype("category").cat.codes
