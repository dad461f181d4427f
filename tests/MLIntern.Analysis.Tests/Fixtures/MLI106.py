import pandas as pd
from datasets import Dataset, load_dataset
from sklearn.model_selection import train_test_split
from transformers import AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding, Trainer, TrainingArguments
from transformers import AutoModelForCausalLM, DataCollatorForLanguageModeling
import transformers as tf

tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=16)


def tokenize(batch):
    return tokenizer(batch["instruction"], truncation=True)


# Flagged: tickets.csv keeps its labels in `intent`; nothing renames it (pandas, then datasets).
df = pd.read_csv("tickets.csv")
train_df, test_df = train_test_split(df, test_size=0.2, random_state=0)
train_ds = Dataset.from_pandas(train_df).map(tokenize, batched=True)
args = TrainingArguments(output_dir="out")
trainer = Trainer(model=model, args=args, train_dataset=train_ds, data_collator=DataCollatorWithPadding(tokenizer))

raw = load_dataset("csv", data_files={"train": "tickets.csv"})
encoded = raw.map(tokenize, batched=True)
trainer = tf.Trainer(model, args, None, encoded["train"])

# Flagged: data from a helper of the file, through an alias and a parameter, with names that say nothing.
def read_rows():
    return pd.read_csv("tickets.csv")


def prepare(frame):
    return Dataset.from_pandas(frame).map(tokenize, batched=True)


d = read_rows()
e = d
trainer = Trainer(model=model, args=args, train_dataset=prepare(e))

# Not flagged: a data set whose label column is already `label`, a custom collator, a Trainer
# subclass (it may compute its own loss), data whose columns are unknown, a causal LM whose
# collator makes its own labels.
reviews = Dataset.from_pandas(pd.read_csv("reviews.csv")).map(tokenize, batched=True)
trainer = Trainer(model=model, args=args, train_dataset=reviews)


def collate(features):
    return features


trainer = Trainer(model=model, args=args, train_dataset=train_ds, data_collator=collate)


class WeightedTrainer(Trainer):
    def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
        return super().compute_loss(model, inputs, return_outputs, **kwargs)


trainer = WeightedTrainer(model=model, args=args, train_dataset=train_ds)
imdb = load_dataset("imdb")
trainer = Trainer(model=model, args=args, train_dataset=imdb["train"])
lm = AutoModelForCausalLM.from_pretrained("gpt2")
trainer = Trainer(model=lm, args=args, train_dataset=train_ds)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, data_collator=DataCollatorForLanguageModeling(tokenizer, mlm=False))
