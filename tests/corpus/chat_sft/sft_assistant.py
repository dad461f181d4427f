from datasets import load_dataset
from peft import LoraConfig
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import SFTConfig, SFTTrainer

base = "Qwen/Qwen2.5-0.5B"
tokenizer = AutoTokenizer.from_pretrained(base)
model = AutoModelForCausalLM.from_pretrained(base)
chats = load_dataset("trl-lib/Capybara", split="train")
config = SFTConfig(
    output_dir="qwen-capybara",
    max_length=1024,
    per_device_train_batch_size=2,
    gradient_accumulation_steps=8,
    seed=0,
    push_to_hub=True,  # expect: MLI601
)
trainer = SFTTrainer(
    model=model,
    args=config,
    train_dataset=chats,
    tokenizer=tokenizer,  # expect: MLI502
    peft_config=LoraConfig(r=16, lora_alpha=32, task_type="CAUSAL_LM"),
)
trainer.train()
