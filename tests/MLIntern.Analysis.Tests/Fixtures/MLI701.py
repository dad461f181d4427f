import numpy as np
import torch
from sklearn.metrics import accuracy_score
from torch import nn
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.1)
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc(self.drop(x))


net = Net()
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=4)
val_loader = DataLoader(val_ds, batch_size=64)

# Flagged: neither eval() nor no_grad (module level, a local nn.Module).
correct = 0
for x, y in val_loader:
    correct += (net(x).argmax(-1) == y).sum().item()

# Flagged: no_grad but still in training mode (model.train() was the last call).
model.train()
with torch.no_grad():
    for batch in val_loader:
        preds = model(**batch).logits.argmax(dim=-1)


# Flagged: eval() but autograd on, in a function the script calls; a transformers model.
def evaluate():
    model.eval()
    all_preds = []
    for batch in val_loader:
        all_preds.extend(model(**batch).logits.argmax(-1).tolist())
    return all_preds


# Flagged: train and validate in one epoch loop; validation forgets both.
def fit(epochs):
    for epoch in range(epochs):
        net.train()
        for x, y in train_loader:
            loss = nn.functional.cross_entropy(net(x), y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        preds = []
        for x, y in val_loader:
            preds.append(net(x).argmax(-1).cpu().numpy())
        print(accuracy_score(val_labels, np.concatenate(preds)))


evaluate()
fit(3)

# Not flagged: eval() and no_grad, in every accepted form.
model.eval()
with torch.no_grad():
    for batch in val_loader:
        preds = model(**batch).logits.argmax(-1)
net.train(False)
with torch.inference_mode():
    for x, y in val_loader:
        correct += (net(x).argmax(-1) == y).sum().item()


@torch.no_grad()
def evaluate_decorated():
    model.eval()
    for batch in val_loader:
        preds = model(**batch).logits.argmax(-1)


# Not flagged: the model is a parameter and the caller puts it in eval mode under no_grad.
def evaluate_model(model, loader):
    return [model(x).argmax(-1) for x in loader] + [accuracy_score(y, model(x).argmax(-1).numpy()) for x, y in loader]


def run_eval(model, loader):
    total = 0
    for x, y in loader:
        total += (model(x).argmax(-1) == y).sum().item()
    return total


net.eval()
with torch.no_grad():
    run_eval(net, val_loader)


# Not flagged: a function nobody in this file calls, with the model as a parameter (the caller may set both).
def library_eval(model, loader):
    for x, y in loader:
        print((model(x).argmax(-1) == y).float().mean().item())


# Not flagged: training loops, loops that do not call a model.
for x, y in train_loader:
    loss = nn.functional.cross_entropy(net(x), y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
for x, y in val_loader:
    print((x == y).sum().item())


# Flagged: the model is what the caller passes (a pretrained classifier), whatever the parameter is called.
def score_split(m, batches):
    hits = 0
    for batch in batches:
        hits += (m(**batch).logits.argmax(-1) == batch["labels"]).sum().item()
    return hits


clf = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)
print(score_split(clf, val_loader))


# Flagged on the model only: the loss functions are called on its output and have no mode to set.
class SmoothedLoss(nn.Module):
    def forward(self, logits, target):
        return nn.functional.cross_entropy(logits, target, label_smoothing=0.1)


smoothed = SmoothedLoss()
criterion = nn.CrossEntropyLoss()
encoder = Net()
for x, y in val_loader:
    out = encoder(x)
    print(criterion(out, y).item(), smoothed(out, y).item(), nn.functional.nll_loss(out, y).item(), (out.argmax(-1) == y).sum().item())


# Not flagged: a function called `model` that is not a network (an argmax over the rows).
def offline_check(loader):
    def model(rows):
        return np.asarray(rows).argmax(-1)

    for rows, y in loader:
        print((model(rows) == y).sum().item())


offline_check(val_loader)


# Flagged: a validator factory returns a closure over the model it is given; the closure runs during
# training (after `.train()`), and nothing ever puts that model in evaluation mode.
def make_validator(network, loader):
    def run_loop():
        hits = 0
        with torch.no_grad():
            for x, y in loader:
                hits += (network(x).argmax(1) == y).sum().item()
        return hits

    return run_loop


trained = Net()
validate = make_validator(trained, val_loader)
for epoch in range(2):
    trained.train()
    print(validate())


# Not flagged: the same factory, but its caller switches the model it passes to evaluation mode before validating.
def make_checker(network, loader):
    def run_loop():
        hits = 0
        with torch.no_grad():
            for x, y in loader:
                hits += (network(x).argmax(1) == y).sum().item()
        return hits

    return run_loop


watched = Net()
check = make_checker(watched, val_loader)
for epoch in range(2):
    watched.train()
    watched.eval()
    print(check())


# Flagged: a class-based trainer holds the model it was constructed with (`Coach(Net())`); its scoring
# method puts it in eval mode but leaves autograd on.
class Coach:
    def __init__(self, network, lr=1e-3):
        self.network = network.to("cpu")
        self.opt = torch.optim.Adam(self.network.parameters(), lr=lr)

    def fit(self, loader):
        self.network.train()
        for xb, yb in loader:
            self.opt.zero_grad()
            nn.functional.cross_entropy(self.network(xb), yb).backward()
            self.opt.step()

    def score(self, loader):
        self.network.eval()
        hits = 0
        for xb, yb in loader:
            hits += (self.network(xb).argmax(1) == yb).sum().item()
        return hits


coach = Coach(Net())
coach.fit(val_loader)
coach.score(val_loader)


# Not flagged: the same class-based trainer scoring in eval mode under no_grad.
class GoodCoach:
    def __init__(self, network):
        self.network = network

    def score(self, loader):
        self.network.eval()
        with torch.no_grad():
            return sum((self.network(xb).argmax(1) == yb).sum().item() for xb, yb in loader)

    def rank(self, loader):
        self.network.eval()
        with torch.no_grad():
            for xb, _ in loader:
                print(self.network(xb).argmax(1))


GoodCoach(Net()).rank(val_loader)
