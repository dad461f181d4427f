import random

from sentence_transformers import InputExample, SentenceTransformer, losses
from torch.utils.data import DataLoader

random.seed(0)
pairs = [
    ("how do I reset my password", "I forgot my login password", 1.0),
    ("how do I reset my password", "what are your opening hours", 0.0),
    ("the app crashes on start", "application closes right after launching", 1.0),
    ("the app crashes on start", "can I pay with a gift card", 0.0),
]
examples = [InputExample(texts=[a, b], label=score) for a, b, score in pairs]
model = SentenceTransformer("all-MiniLM-L6-v2")
loader = DataLoader(examples, shuffle=True, batch_size=2)
model.fit(train_objectives=[(loader, losses.CosineSimilarityLoss(model))], epochs=1, warmup_steps=1)
model.save("minilm-faq")
