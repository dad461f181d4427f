import pandas as pd
import torch
from datasets import Dataset
from peft import LoraConfig, TaskType, get_peft_model
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

BASE = "roberta-large"
set_seed(21)

frame = pd.read_csv("data/tickets_encoded.csv")
ds = Dataset.from_pandas(frame).train_test_split(test_size=0.2, seed=21)
intent_ids = {"track_order": 0, "get_refund": 1, "cancel_order": 2, "change_address": 3}

tokenizer = AutoTokenizer.from_pretrained(BASE)
ds = ds.map(lambda b: tokenizer(b["text"], truncation=True, max_length=64), batched=True)

base_model = AutoModelForSequenceClassification.from_pretrained(
    BASE, num_labels=4, label2id=intent_ids, id2label={v: k for k, v in intent_ids.items()}
)
lora = LoraConfig(task_type=TaskType.SEQ_CLS, r=8, lora_alpha=16, lora_dropout=0.1, target_modules=["query", "value"])
model = get_peft_model(base_model, lora)
model.print_trainable_parameters()

args = TrainingArguments(
    output_dir="lora-intents",
    eval_strategy="epoch",
    save_strategy="epoch",
    learning_rate=2e-4,
    per_device_train_batch_size=8,
    bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
    push_to_hub=True,  # expect: MLI601
    hub_model_id="acme-support/roberta-lora-intents",
)
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=ds["train"],
    eval_dataset=ds["test"],
    tokenizer=tokenizer,  # expect: MLI502
)
trainer.train()
