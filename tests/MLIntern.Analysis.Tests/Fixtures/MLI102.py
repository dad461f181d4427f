from pathlib import Path

import pandas as pd
import transformers
from datasets import Dataset
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoModel

CHECKPOINT = "distilbert-base-uncased"
DATA = Path(".") / "tickets.csv"
df = pd.read_csv(DATA)
train_ds = Dataset.from_pandas(df)

# Flagged: num_labels missing on a 16-class data set (fix adds it, in the call's layout).
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT)
model = transformers.AutoModelForSequenceClassification.from_pretrained(
    CHECKPOINT,
    problem_type="single_label_classification",
)

# Flagged: num_labels given but wrong, as a keyword or through a ** dict.
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, num_labels=2)
model_kwargs = {"num_labels": 10, "ignore_mismatched_sizes": True}
model = transformers.BertForSequenceClassification.from_pretrained("bert-base-uncased", **model_kwargs)

# Flagged: the AutoConfig passed as config= leaves num_labels at 2 (the fix goes to the config).
base_config = AutoConfig.from_pretrained(CHECKPOINT, dropout=0.2)
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, config=base_config)

# Flagged without a fix: the mapping passed names 3 classes, the data has 16.
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, id2label={0: "refund", 1: "order", 2: "other"})

# Not flagged: the right count, a count computed at run time, a config with the right count or
# of unknown origin, not a classifier, unknown kwargs.
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, num_labels=16)
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, num_labels=df["intent"].nunique())
config = AutoConfig.from_pretrained(CHECKPOINT, num_labels=16)
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, config=config)
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, config=load_config())
encoder = AutoModel.from_pretrained(CHECKPOINT)
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, **load_kwargs())

# Not flagged: a model this project fine-tuned, loaded from its folder (the checkpoint's config has its head).
tuned = AutoModelForSequenceClassification.from_pretrained("./outputs/checkpoint-500")

# Not flagged: a teacher the script only runs (distillation): its head is the checkpoint's own.
teacher = AutoModelForSequenceClassification.from_pretrained("acme/ticket-intents-large").eval()
soft_targets = teacher(**train_ds[:8]).logits

# Flagged: the same load, trained here (its parameters go to an optimizer).
student = AutoModelForSequenceClassification.from_pretrained("acme/ticket-intents-large")
student_logits = student(**train_ds[:8]).logits
optimizer_of_student = transformers.AdamW(student.parameters())
