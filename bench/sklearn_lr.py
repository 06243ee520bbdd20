"""scikit-learn's LogisticRegression on TF-IDF of the raw message text, on the
split spamlab's sklearn benchmark writes. Reads a JSON manifest
{"train": [[file, label], ...], "test": [...]} and prints one JSON line."""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, log_loss, roc_auc_score


def read(pairs):
    texts = [open(path, 'rb').read().decode('latin-1') for path, _ in pairs]
    return texts, [1 if label == 'spam' else 0 for _, label in pairs]


manifest = json.load(open(sys.argv[1]))
train_x, train_y = read(manifest['train'])
test_x, test_y = read(manifest['test'])
started = time.perf_counter()
vectorizer = TfidfVectorizer(sublinear_tf=True)
model = LogisticRegression(C=float(sys.argv[2]) if len(sys.argv) > 2 else 10.0, max_iter=2000)
model.fit(vectorizer.fit_transform(train_x), train_y)
fit_seconds = time.perf_counter() - started
started = time.perf_counter()
probabilities = model.predict_proba(vectorizer.transform(test_x))[:, 1]
predict_seconds = time.perf_counter() - started
print(json.dumps({
    'auc': roc_auc_score(test_y, probabilities),
    'logLoss': log_loss(test_y, probabilities),
    'f1': f1_score(test_y, probabilities >= 0.5),
    'fitSeconds': fit_seconds,
    'predictSeconds': predict_seconds,
}))
