# MLI000: syntax errors are reported, each at its line and column; comments do not silence them.
from transformers import Trainer, TrainingArguments


def compute_metrics(eval_pred)  # noqa
    logits, labels = eval_pred
    return {"accuracy": (logits.argmax(-1) == labels).mean()}


args = TrainingArguments(output_dir="out", num_train_epochs=3,  # mlintern: ignore
trainer = Trainer(model=model, args=args, compute_metrics=compute_metrics)

if trainer:
trainer.train()

label = "positive
print(label)

# Fine: the rest of the file parses, and valid code next to an error is not reported.
trainer.save_model("out")
