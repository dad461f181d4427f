import os

from datasets import load_dataset
from transformers import AutoTokenizer
from trl import SFTConfig, SFTTrainer

checkpoint = "HuggingFaceTB/SmolLM2-135M"
tokenizer = AutoTokenizer.from_pretrained(checkpoint)
data = load_dataset("trl-lib/Capybara", split="train").train_test_split(test_size=0.05, seed=3)
cfg = SFTConfig(
    output_dir="smol-sft",
    eval_strategy="steps",
    eval_steps=100,
    save_steps=100,
    load_best_model_at_end=True,
    bf16=os.environ.get("USE_BF16") == "1",
    seed=3,
)
trainer = SFTTrainer(model=checkpoint, args=cfg, train_dataset=data["train"], eval_dataset=data["test"], processing_class=tokenizer)
trainer.train()
