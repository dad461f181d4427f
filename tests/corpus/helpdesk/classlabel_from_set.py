from datasets import ClassLabel, load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments, set_seed

set_seed(3)
raw = load_dataset("csv", data_files="data/tickets.csv", split="train")
intent_set = set(raw["intent"])
intent_feature = ClassLabel(names=list(intent_set))  # expect: MLI103
raw = raw.rename_column("intent", "label").cast_column("label", intent_feature)
raw = raw.train_test_split(test_size=0.2, seed=3, stratify_by_column="label")
tok = AutoTokenizer.from_pretrained("bert-base-uncased")
raw = raw.map(lambda b: tok(b["text"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(
    "bert-base-uncased", num_labels=intent_feature.num_classes,
    id2label=dict(enumerate(intent_feature.names)), label2id={n: i for i, n in enumerate(intent_feature.names)},
)
trainer = Trainer(model=model, args=TrainingArguments("cl-set", eval_strategy="epoch"), train_dataset=raw["train"], eval_dataset=raw["test"], processing_class=tok)
trainer.train()
