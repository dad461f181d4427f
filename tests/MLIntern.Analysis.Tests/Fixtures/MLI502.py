from transformers import Trainer, AutoTokenizer
from transformers import Seq2SeqTrainer as S2STrainer
import transformers as tf
from trl import SFTTrainer

tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")

# Flagged: keyword, aliased Seq2SeqTrainer, module attribute, trl, a literal dict unpacked with **.
a = Trainer(model=model, args=args, train_dataset=train_ds, tokenizer=tokenizer)
b = S2STrainer(model, args, tokenizer=tokenizer, data_collator=collator)
c = tf.Trainer(
    model=model,
    tokenizer = tokenizer,
)
d = SFTTrainer(model=model, train_dataset=ds, tokenizer=tokenizer)
trainer_kwargs = {'model': model, 'tokenizer': tokenizer}
e = Trainer(**trainer_kwargs)

# Flagged without a fix: the new name is there too.
f = Trainer(model=model, processing_class=tokenizer, tokenizer=tokenizer)

# Not flagged: the new name, a different class, a tokenizer call, a suppression.
g = Trainer(model=model, args=args, processing_class=tokenizer)
h = MyTrainer(model=model, tokenizer=tokenizer)
i = tokenizer(texts, truncation=True)
j = dict(tokenizer=tokenizer)
k = Trainer(model=model, tokenizer=tokenizer)  # noqa: MLI502

# Flagged: a Trainer subclass of this file (custom loss).
class WeightedTrainer(Trainer):
    def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
        return super().compute_loss(model, inputs, return_outputs, **kwargs)


w = WeightedTrainer(model=model, args=args, tokenizer=tokenizer)
