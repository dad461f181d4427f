"""Fine-tune and upload. The tokens below are made up."""
import os

from huggingface_hub import login
from transformers import AutoModelForSequenceClassification
import openai

# Flagged: a Hugging Face token passed to login, positionally and by keyword.
login("hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567")
login(token='hf_ZyXwVuTsRqPoNmLkJiHgFeDcBa98765432')

# Flagged: assigned to a secret-looking name, used as token= / use_auth_token=.
HF_TOKEN = "hf_QwErTyUiOpAsDfGhJkLzXcVbNm11223344"
WANDB_API_KEY = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"
model = AutoModelForSequenceClassification.from_pretrained("org/private-model", token="hf_PlMoKnIjBuHvGyCfTxDrZeSwAq55667788")
model2 = AutoModelForSequenceClassification.from_pretrained("org/private-model", use_auth_token="9f8e7d6c5b4a39281706f5e4d3c2b1a0")

# Flagged: an OpenAI key anywhere, even in a plain call.
client = openai.OpenAI(api_key="sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234")

# Flagged without a fix: written into the environment (the assignment itself has to go).
os.environ["HF_TOKEN"] = "hf_MnBvCxZaSdFgHjKlPoIuYtReWq99887766"

# Not flagged: read from the environment, placeholders, short or spaced strings, other names.
login(token=os.environ["HF_TOKEN"])
HF_TOKEN_PLACEHOLDER = "hf_your_token_here"
token = "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_your_token"
api_key = "short"
hub_token = "paste your token here 1234567890"
revision = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"
model3 = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", token=True)
note = "tokens look like hf_ followed by letters"
