import keras
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

keras.utils.set_random_seed(17)
notes = pd.read_csv("data/notes.csv")
encoder = LabelEncoder()
notes["target"] = encoder.fit_transform(notes["specialty"])

train_df, val_df = train_test_split(notes, test_size=0.2, random_state=17)  # expect: MLI303

vectorize = keras.layers.TextVectorization(max_tokens=5000, output_sequence_length=40)
vectorize.adapt(train_df["note"].to_numpy())

model = keras.Sequential([
    vectorize,
    keras.layers.Embedding(5000, 32),
    keras.layers.GlobalAveragePooling1D(),
    keras.layers.Dense(len(encoder.classes_), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(
    train_df["note"].to_numpy(), train_df["target"].to_numpy(),
    validation_data=(val_df["note"].to_numpy(), val_df["target"].to_numpy()),
    epochs=10,
)
probs = model.predict(np.array(["Tingling in the fingers and a weak grip"]))
print(encoder.inverse_transform(probs.argmax(axis=1)))
