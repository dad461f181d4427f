import torch
from transformers import TrainingArguments
from transformers import Seq2SeqTrainingArguments as S2SArgs
import transformers as tf

# Flagged: literal fp16/bf16 with nothing checking for a GPU.
a = TrainingArguments(output_dir="out", fp16=True)
b = S2SArgs("out", bf16=True, predict_with_generate=True)
c = tf.TrainingArguments(
    "out",
    fp16 = True,
)
cfg = {"output_dir": "out", "bf16": True}
d = TrainingArguments(**cfg)

# Flagged without a fix: a name bound to True (the guard belongs where it is set).
USE_FP16 = True
e = TrainingArguments("out", fp16=USE_FP16)

# Not flagged: the value asks the machine, or the call sits under a GPU check.
f = TrainingArguments("out", fp16=torch.cuda.is_available())
g = TrainingArguments("out", bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported())
if torch.cuda.is_available():
    h = TrainingArguments("out", fp16=True)
else:
    h = TrainingArguments("out")
i = TrainingArguments("out", fp16=True) if torch.cuda.device_count() > 0 else TrainingArguments("out")

# Not flagged: off, unknown, or not TrainingArguments.
j = TrainingArguments("out", fp16=False)
k = TrainingArguments("out", fp16=args.fp16)
l = MyArguments(fp16=True)
m = torch.zeros(3, dtype=torch.float16)

# Flagged: a nested config handed to the helper that builds the arguments (its one call).
SETTINGS = {"paths": {"out": "out"}, "train": {"fp16": True, "num_train_epochs": 3}}


def build_arguments(settings):
    return TrainingArguments(output_dir=settings["paths"]["out"], **settings["train"])


n = build_arguments(SETTINGS)


# Not flagged: a helper called with two different configs (which one is not known).
def make_arguments(settings):
    return TrainingArguments("out", **settings)


o = make_arguments({"fp16": torch.cuda.is_available()})
p = make_arguments({"fp16": False})
