from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

CKPT = "google/mobilebert-uncased"
sms = load_dataset("csv", data_files="data/sms.csv")["train"].train_test_split(test_size=0.2, seed=0)
sms = sms.rename_column("message", "text")
tokenizer = AutoTokenizer.from_pretrained(CKPT)
sms = sms.map(lambda b: tokenizer(b["text"], truncation=True, max_length=48), batched=True)


def model_init(trial=None):
    return AutoModelForSequenceClassification.from_pretrained(CKPT, num_labels=2)


trainer = Trainer(
    model_init=model_init,
    args=TrainingArguments("spam-hpo", eval_strategy="epoch", save_strategy="no", report_to=[]),
    train_dataset=sms["train"],
    eval_dataset=sms["test"],
    processing_class=tokenizer,
)
best = trainer.hyperparameter_search(direction="minimize", n_trials=4)
print(best)
trainer.train()
