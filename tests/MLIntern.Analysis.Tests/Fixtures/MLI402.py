import sys

import transformers as tf
from transformers import AutoModelForSequenceClassification as AMSC
from transformers import AutoTokenizer

MODEL_NAME = "bert-base-uncased"
TOKENIZER_NAME = "roberta-base"


# Flagged: two Hub checkpoints, through module constants and an aliased model class.
def load_constants():
    tokenizer = AutoTokenizer.from_pretrained(TOKENIZER_NAME)
    model = AMSC.from_pretrained(MODEL_NAME, num_labels=4)
    return tokenizer, model


# Flagged: literals, a specific tokenizer class, the checkpoint as a keyword.
def load_literals():
    tokenizer = tf.BertTokenizerFast.from_pretrained(pretrained_model_name_or_path='bert-base-cased')
    model = tf.AutoModelForTokenClassification.from_pretrained('xlm-roberta-base', num_labels=9)
    return tokenizer, model


# Not flagged: one checkpoint; an organisation prefix on one side; sizes of one family.
def load_same():
    checkpoint = "distilbert-base-uncased"
    return AutoTokenizer.from_pretrained(checkpoint), AMSC.from_pretrained(checkpoint)


def load_prefixed():
    return AutoTokenizer.from_pretrained("distilbert-base-uncased"), AMSC.from_pretrained("distilbert/distilbert-base-uncased")


def load_sizes():
    return AutoTokenizer.from_pretrained("roberta-base"), AMSC.from_pretrained("roberta-large")


# Not flagged: a fine-tuned model from a local folder; an unknown checkpoint; a teacher and a student.
def load_finetuned():
    return AutoTokenizer.from_pretrained("bert-base-uncased"), AMSC.from_pretrained("./out/checkpoint-500")


def load_from_argv():
    return AutoTokenizer.from_pretrained(sys.argv[1]), AMSC.from_pretrained("roberta-base")


def load_distillation():
    tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
    teacher = AMSC.from_pretrained("bert-large-uncased")
    student = AMSC.from_pretrained("prajjwal1/bert-tiny")
    return tokenizer, teacher, student
