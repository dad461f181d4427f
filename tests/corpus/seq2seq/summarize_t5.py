import numpy as np
import evaluate
from datasets import load_dataset
from transformers import (
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    DataCollatorForSeq2Seq,
    Seq2SeqTrainer,
    Seq2SeqTrainingArguments,
    set_seed,
)

set_seed(0)
billsum = load_dataset("billsum", split="ca_test").train_test_split(test_size=0.2, seed=0)
checkpoint = "google-t5/t5-small"
tokenizer = AutoTokenizer.from_pretrained(checkpoint)
rouge = evaluate.load("rouge")


def preprocess(batch):
    inputs = ["summarize: " + doc for doc in batch["text"]]
    model_inputs = tokenizer(inputs, max_length=512, truncation=True)
    model_inputs["labels"] = tokenizer(text_target=batch["summary"], max_length=128, truncation=True)["input_ids"]
    return model_inputs


tokenized = billsum.map(preprocess, batched=True)
model = AutoModelForSeq2SeqLM.from_pretrained(checkpoint)


def compute_metrics(eval_pred):
    preds, labels = eval_pred
    labels = np.where(labels != -100, labels, tokenizer.pad_token_id)
    decoded_preds = tokenizer.batch_decode(preds, skip_special_tokens=True)
    decoded_labels = tokenizer.batch_decode(labels, skip_special_tokens=True)
    return rouge.compute(predictions=decoded_preds, references=decoded_labels, use_stemmer=True)


args = Seq2SeqTrainingArguments(
    output_dir="billsum-t5",
    eval_strategy="epoch",
    learning_rate=2e-5,
    per_device_train_batch_size=8,
    predict_with_generate=True,
    num_train_epochs=2,
)
trainer = Seq2SeqTrainer(
    model=model,
    args=args,
    train_dataset=tokenized["train"],
    eval_dataset=tokenized["test"],
    processing_class=tokenizer,
    data_collator=DataCollatorForSeq2Seq(tokenizer=tokenizer, model=model),
    compute_metrics=compute_metrics,
)
trainer.train()
