import os
import pandas as pd
import transformers as tf
from transformers import AutoModelForSequenceClassification, AutoConfig, AutoModel
from transformers import BertForSequenceClassification as Bert

CHECKPOINT = "distilbert-base-uncased"
df = pd.read_csv(os.path.join(".", "tickets.csv"))

# Flagged without a fix: tickets.csv has 16 intents and the file defines no id2label/label2id yet.
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT)
model = tf.AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, num_labels=16)
cfg = {"num_labels": 16}
model = Bert.from_pretrained("bert-base-uncased", **cfg)

labels = sorted(df["intent"].unique())
id2label = dict(enumerate(labels))
label2id = {label: i for i, label in id2label.items()}

# Flagged with a fix: the mappings exist, they are just not passed (to the model or its config).
plain_config = AutoConfig.from_pretrained(CHECKPOINT, num_labels=16)
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, config=plain_config)
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, num_labels=len(labels))
model = AutoModelForSequenceClassification.from_pretrained(
    CHECKPOINT,
    num_labels=len(labels),
)
model = AutoModelForSequenceClassification.from_pretrained(
    CHECKPOINT,
    num_labels=len(labels)
)

# Not flagged: the names are passed (keyword, ** dict, config), a config of unknown origin, or the
# model is not a classifier head.
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, num_labels=16, id2label=id2label, label2id=label2id)
named = {"id2label": id2label, "label2id": label2id}
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, **named)
config = AutoConfig.from_pretrained(CHECKPOINT, num_labels=16, id2label=id2label, label2id=label2id)
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, config=config)
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, config=load_config())
encoder = AutoModel.from_pretrained(CHECKPOINT)
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, **get_kwargs())
