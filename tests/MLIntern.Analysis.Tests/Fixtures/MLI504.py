from transformers import TrainingArguments, IntervalStrategy
from transformers import Seq2SeqTrainingArguments as S2SArgs
import transformers as tf

# Flagged: the save strategy differs from the evaluation strategy.
a = TrainingArguments(output_dir="out", eval_strategy="epoch", save_strategy="steps", load_best_model_at_end=True)
b = S2SArgs(
    output_dir="out",
    evaluation_strategy='steps',
    save_strategy='epoch',
    load_best_model_at_end=True,
)

# Flagged: the defaults (eval "no", save "steps") do not match.
c = TrainingArguments("out", load_best_model_at_end=True)
d = tf.TrainingArguments("out", eval_strategy="epoch", load_best_model_at_end=True)
e = TrainingArguments("out", eval_strategy=IntervalStrategy.EPOCH, load_best_model_at_end=True)

# Flagged: settings in a literal dict unpacked with **.
cfg = {"output_dir": "out", "eval_strategy": "epoch", "load_best_model_at_end": True}
f = TrainingArguments(**cfg)

# Flagged: both "steps", but save_steps is not a multiple of eval_steps (or of logging_steps, its default).
g = TrainingArguments("out", eval_strategy="steps", eval_steps=300, load_best_model_at_end=True)
h = TrainingArguments("out", eval_strategy="steps", logging_steps=200, save_steps=500, load_best_model_at_end=True)

# Not flagged: matching strategies, save_strategy="best", load_best_model_at_end off or unknown.
i = TrainingArguments("out", eval_strategy="epoch", save_strategy="epoch", load_best_model_at_end=True)
j = TrainingArguments("out", eval_strategy="steps", eval_steps=250, save_steps=500, load_best_model_at_end=True)
k = TrainingArguments("out", eval_strategy="steps", save_strategy="best", load_best_model_at_end=True)
l = TrainingArguments("out", eval_strategy="epoch", load_best_model_at_end=False)
m = TrainingArguments("out", eval_strategy="epoch", load_best_model_at_end=flag)

# Not flagged: a strategy we cannot read (a variable, an unknown ** mapping, a ratio of steps).
n = TrainingArguments("out", eval_strategy=strategy, load_best_model_at_end=True)
o = TrainingArguments("out", load_best_model_at_end=True, **other_settings)
p = TrainingArguments("out", eval_strategy="steps", eval_steps=0.1, load_best_model_at_end=True)
q = MyArguments(eval_strategy="epoch", load_best_model_at_end=True)

# Flagged: the strategies in a nested config passed to the function that builds the arguments.
RUN = {"train": {"eval_strategy": "epoch", "save_strategy": "steps", "load_best_model_at_end": True}}


def arguments_from(run):
    return TrainingArguments("out", **run["train"])


r = arguments_from(RUN)


# Not flagged: the same helper, strategies that match.
GOOD = {"train": {"eval_strategy": "epoch", "save_strategy": "epoch", "load_best_model_at_end": True}}


def arguments_matching(run):
    return TrainingArguments("out", **run["train"])


s = arguments_matching(GOOD)
