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


# Flagged once: the same tokenizer loaded again before the model (a notebook's next cell); the load the model meets is reported.
def load_reloaded():
    tokenizer = AutoTokenizer.from_pretrained("bert-base-cased")
    print(tokenizer.tokenize("Hello!"))
    tokenizer = AutoTokenizer.from_pretrained("bert-base-cased")
    model = tf.AutoModel.from_pretrained("gpt2")
    return tokenizer, model


# Not flagged: a repository holding only a tokenizer, trained for a model the names cannot tell.
def load_tokenizer_repository():
    tokenizer = AutoTokenizer.from_pretrained("my-org/code-search-tokenizer")
    model = tf.AutoModelForCausalLM.from_pretrained("my-org/code-parrot-small")
    return tokenizer, model


# Not flagged: a directory the script saves its run into is local, whatever its name looks like.
def load_own_output(trainer):
    run_dir = "sentiment-run"
    trainer.save_model(run_dir)
    tokenizer = AutoTokenizer.from_pretrained(run_dir)
    model = AMSC.from_pretrained("roberta-base")
    return tokenizer, model


# Flagged: the two checkpoints are keys of a config dict handed to the loader.
SETUP = {"model": {"encoder": "google/electra-base-discriminator", "vocab": "roberta-base"}}


def load_from_config(cfg):
    tokenizer = AutoTokenizer.from_pretrained(cfg["model"]["vocab"])
    model = AMSC.from_pretrained(cfg["model"]["encoder"], num_labels=3)
    return tokenizer, model


load_from_config(SETUP)


# Not flagged: the same through a config whose keys name one checkpoint.
SAME = {"model": {"encoder": "roberta-base", "vocab": "roberta-base"}}


def load_matching(cfg):
    return AutoTokenizer.from_pretrained(cfg["model"]["vocab"]), AMSC.from_pretrained(cfg["model"]["encoder"])


load_matching(SAME)
