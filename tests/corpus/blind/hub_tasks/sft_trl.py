from datasets import load_dataset
from peft import LoraConfig
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import SFTConfig, SFTTrainer

base = "Qwen/Qwen2.5-0.5B"
chats = load_dataset("trl-lib/Capybara", split="train")

tokenizer = AutoTokenizer.from_pretrained(base)
model = AutoModelForCausalLM.from_pretrained(base)

lora = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM")

config = SFTConfig(  # expect: MLI503, MLI601
    output_dir="qwen-capybara-lora",
    per_device_train_batch_size=4,
    gradient_accumulation_steps=4,
    learning_rate=2e-4,
    num_train_epochs=1,
    bf16=True,
    logging_steps=20,
    push_to_hub=True,
    seed=1337,
)
trainer = SFTTrainer(
    model=model,
    args=config,
    train_dataset=chats,
    processing_class=tokenizer,
    peft_config=lora,
)
trainer.train()
