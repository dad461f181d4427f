from transformers import TrainingArguments
from transformers import Seq2SeqTrainingArguments as S2S
import transformers as tf

# Flagged: keyword, aliased class, module attribute, a literal dict unpacked with **.
a = TrainingArguments(output_dir="out", evaluation_strategy="epoch")
b = S2S("out", evaluation_strategy="steps", save_strategy="steps")
c = tf.TrainingArguments(
    "out",
    evaluation_strategy = 'no',
)
cfg = {"output_dir": "out", "evaluation_strategy": "epoch"}
d = TrainingArguments(**cfg)

# Flagged: a config nested in another dict, and a dict(...) call, unpacked into the arguments.
CONFIG = {"model": "roberta-base", "training": {"output_dir": "out", "evaluation_strategy": "epoch"}}
d2 = TrainingArguments(**CONFIG["training"])
hparams = dict(output_dir="out", evaluation_strategy="steps")
d3 = S2S(**hparams)

# Flagged without a fix: the new name is there too.
e = TrainingArguments("out", eval_strategy="epoch", evaluation_strategy="epoch")

# Not flagged.
f = TrainingArguments("out", eval_strategy="epoch")
g = dict(evaluation_strategy="epoch")
h = MyArguments(evaluation_strategy="epoch")
s = "TrainingArguments(evaluation_strategy='epoch')"
# TrainingArguments(evaluation_strategy='epoch')
i = TrainingArguments("out", evaluation_strategy="epoch")  # noqa: MLI501


# Flagged: the settings reach the call through a parameter whose default is the config (called as `launch()`).
SWEEP = {"args": {"output_dir": "sweep", "evaluation_strategy": "epoch"}}


def launch(settings=SWEEP):
    return TrainingArguments(**settings["args"])


launch()
