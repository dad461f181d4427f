import torch
from datasets import load_dataset
from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    DataCollatorForLanguageModeling,
    Trainer,
    TrainingArguments,
)

torch.manual_seed(0)
base_id = "facebook/opt-350m"
tok = AutoTokenizer.from_pretrained(base_id)
tok.pad_token = tok.eos_token

quotes = load_dataset("Abirate/english_quotes", split="train")
quotes = quotes.map(lambda b: tok(b["quote"], truncation=True, max_length=64), batched=True)

lm = AutoModelForCausalLM.from_pretrained(base_id)
lm = prepare_model_for_kbit_training(lm)
lm = get_peft_model(lm, LoraConfig(r=16, lora_alpha=32, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"))

use_half = torch.cuda.is_available()
targs = TrainingArguments(
    output_dir="opt-quotes-lora",
    per_device_train_batch_size=4,
    gradient_accumulation_steps=4,
    max_steps=200,
    learning_rate=2e-4,
    fp16=use_half,
    logging_steps=10,
    evaluation_strategy="no",  # expect: MLI501
)
trainer = Trainer(
    model=lm,
    args=targs,
    train_dataset=quotes,
    data_collator=DataCollatorForLanguageModeling(tok, mlm=False),
)
lm.config.use_cache = False
trainer.train()
lm.push_to_hub("my-org/opt-350m-quotes-lora")  # expect: MLI601
