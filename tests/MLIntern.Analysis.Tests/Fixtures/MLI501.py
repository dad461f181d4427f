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

# Flagged without a fix: the new name is there too.
e = TrainingArguments("out", eval_strategy="epoch", evaluation_strategy="epoch")

# Not flagged.
f = TrainingArguments("out", eval_strategy="epoch")
g = dict(evaluation_strategy="epoch")
h = MyArguments(evaluation_strategy="epoch")
s = "TrainingArguments(evaluation_strategy='epoch')"
# TrainingArguments(evaluation_strategy='epoch')
i = TrainingArguments("out", evaluation_strategy="epoch")  # noqa: MLI501
