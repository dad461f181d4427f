from datasets import load_dataset
from huggingface_hub import HfApi, upload_folder
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments
import transformers as tf

# Flagged: TrainingArguments uploads every checkpoint (keyword, module attribute, ** dict).
args = TrainingArguments(output_dir="out", push_to_hub=True, hub_model_id="me/intent-model")
args2 = tf.TrainingArguments(
    "out",
    push_to_hub = True,
)
cfg = {"output_dir": "out", "push_to_hub": True}
args3 = TrainingArguments(**cfg)

# Flagged without a fix: explicit uploads of a model, a tokenizer, a Trainer, a data set, a folder.
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=3)
tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
trainer = Trainer(model=model, args=args)
trainer.train()
model.push_to_hub("me/intent-model")
tokenizer.push_to_hub("me/intent-model", private=True)
trainer.push_to_hub(commit_message="end of training")
ds = load_dataset("csv", data_files="tickets.csv")
ds["train"].push_to_hub("me/tickets")
upload_folder(folder_path="out", repo_id="me/intent-model")
api = HfApi()
api.upload_folder(folder_path="out", repo_id="me/intent-model")

# Not flagged: off, unknown, or an object that is not from a Hub library.
args4 = TrainingArguments(output_dir="out", push_to_hub=False)
args5 = TrainingArguments(output_dir="out", push_to_hub=should_push)
repo.push_to_hub("me/thing")
MyArguments(push_to_hub=True)

# Not flagged: an explicit upload the person running the script opts into.
if args.push_to_hub:
    trainer.push_to_hub()

# Publishing as its own step after the model was evaluated: not flagged.
metrics = trainer.evaluate()
print(metrics)
trainer.push_to_hub(commit_message="evaluated: see the metrics above")
