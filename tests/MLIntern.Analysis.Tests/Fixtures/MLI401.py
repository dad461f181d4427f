import transformers as tf
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer

CHECKPOINT = "distilbert-base-uncased"
tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, num_labels=4)
bert_tokenizer = tf.BertTokenizerFast.from_pretrained("bert-base-uncased")
ds = load_dataset("imdb")


# Flagged: the function handed to Dataset.map; padding to max_length does not truncate.
def tokenize(batch):
    return tokenizer(batch["text"])


def tokenize_padded(batch):
    return tokenizer(
        batch["text"],
        padding="max_length",
        max_length=128,
    )


encoded = ds.map(tokenize, batched=True)
padded = ds.map(tokenize_padded, batched=True)

# Flagged: a lambda, an aliased tokenizer class, encode_plus.
lam = ds.map(lambda x: bert_tokenizer(x["text"], padding=True), batched=True)
one = tokenizer.encode_plus(ds["train"][0]["text"])
gen = tokenizer(t.lower() for t in ds["train"]["text"])

# Not flagged: truncation given (also through a literal dict); max_length alone truncates;
# a literal text; an unknown **kwargs; explicitly no truncation.
ok1 = ds.map(lambda x: tokenizer(x["text"], truncation=True), batched=True)
tok_cfg = {"truncation": True, "max_length": 256}
ok2 = ds.map(lambda x: tokenizer(x["text"], **tok_cfg), batched=True)
ok3 = ds.map(lambda x: tokenizer(x["text"], max_length=64), batched=True)
ok4 = tokenizer("Hello world")


def tokenize_with(batch, **kwargs):
    return tokenizer(batch["text"], **kwargs)


ok5 = tokenizer(ds["train"]["text"], truncation=False)
ok6 = tokenizer.decode([101, 102])


# Flagged: the tokenizer reaches the mapped function as a parameter bound with functools.partial.
import functools


def encode_with(batch, tok, width):
    return tok(batch["text"], padding="max_length", max_length=width)


encoded = ds.map(functools.partial(encode_with, tok=tokenizer, width=128), batched=True)


# Not flagged: the encoding is only looked at — printed, shown as a notebook cell's value, or
# assigned to a name that is only printed.
print(tokenizer(ds["train"][0]["text"]))
tokenizer(ds["train"]["text"][:3])
peek = tokenizer(ds["train"][1]["text"])
print(peek["input_ids"], len(peek.tokens()))

# Flagged: printed, and also passed to the model.
shown = tokenizer(ds["train"]["text"][:8], padding=True, return_tensors="pt")
print(shown)
outputs = model(**shown)

# Not flagged: looked at through what is computed from it — its tokens decoded, its word ids
# in a comprehension, lengths printed.
look = tokenizer(ds["train"][2]["text"])
pieces = tokenizer.convert_ids_to_tokens(look["input_ids"])
pieces
ids = look.word_ids()
starts = [i is None for i in ids]
print(len(starts), len(look["input_ids"]))


# Not flagged: a helper of the file computes from the encoding, and its result is only printed.
def aligned(tags, word_ids):
    return [tags[i] if i is not None else -100 for i in word_ids]


sample = tokenizer(ds["train"][3]["tokens"], is_split_into_words=True)
print(aligned(ds["train"][3]["tags"], sample.word_ids()))

# Flagged: the helper's result is kept (it feeds something), not printed.
kept = tokenizer(ds["train"]["tokens"], is_split_into_words=True)
targets = aligned(ds["train"]["tags"], kept.word_ids())

# Not flagged: a name bound to a literal text; flagged: a name bound to data.
greeting = "My name is Ada and I work in a lab in Lyon."
outputs = model(**tokenizer(greeting, return_tensors="pt"))
batch_texts = ds["train"]["text"][:16]
outputs = model(**tokenizer(batch_texts, padding=True, return_tensors="pt"))


# Flagged: a data module's collate function calls the tokenizer it holds as an attribute.
class NotesModule:
    def __init__(self):
        self.tok = AutoTokenizer.from_pretrained(CHECKPOINT)

    def collate(self, rows):
        return self.tok([r["text"] for r in rows], padding=True, return_tensors="pt")

    def collate_ids(self, rows):
        return self.tok.batch_encode_plus([r["text"] for r in rows], padding=True)

    # Not flagged: the same attribute, truncating.
    def collate_truncated(self, rows):
        return self.tok([r["text"] for r in rows], padding=True, truncation=True, return_tensors="pt")
