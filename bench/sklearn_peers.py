"""scikit-learn peers for spamlab's filter bench, on the split it writes:
LogisticRegression on TF-IDF of the raw message (sublinear_tf, min_df=2) and
MultinomialNB on token counts (min_df=2), each with its one hyperparameter
chosen by 5-fold stratified CV on the training part only (neg_log_loss).

Reads a JSON manifest {"train": [[file, label], ...], "test": [file, ...]} and
prints one JSON object: per model the chosen value, the CV log-loss of every
candidate, fit seconds (the final fit, vectorizer included), CV seconds and
the test probabilities in the manifest's order."""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import MultinomialNB

warnings.filterwarnings('ignore', category=ConvergenceWarning)


def read(path):
    with open(path, 'rb') as f:
        return f.read().decode('latin-1')


MODELS = {
    'lr': {
        'param': 'C',
        'grid': [1.0, 10.0, 100.0, 1000.0],
        'vectorizer': lambda: TfidfVectorizer(sublinear_tf=True, min_df=2),
        'model': lambda c: LogisticRegression(C=c, max_iter=5000),
    },
    'nb': {
        'param': 'alpha',
        'grid': [0.001, 0.01, 0.1, 1.0],
        'vectorizer': lambda: CountVectorizer(min_df=2),
        'model': lambda a: MultinomialNB(alpha=a),
    },
}


def run(spec, train_x, train_y, test_x):
    started = time.perf_counter()
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
    losses = {value: [] for value in spec['grid']}
    for fit_idx, val_idx in folds.split(train_x, train_y):
        vectorizer = spec['vectorizer']()
        fit_m = vectorizer.fit_transform([train_x[i] for i in fit_idx])
        val_m = vectorizer.transform([train_x[i] for i in val_idx])
        for value in spec['grid']:
            model = spec['model'](value).fit(fit_m, train_y[fit_idx])
            losses[value].append(log_loss(train_y[val_idx], model.predict_proba(val_m)[:, 1], labels=[0, 1]))
    cv_seconds = time.perf_counter() - started
    mean = {value: float(np.mean(v)) for value, v in losses.items()}
    chosen = min(spec['grid'], key=lambda value: mean[value])
    started = time.perf_counter()
    vectorizer = spec['vectorizer']()
    model = spec['model'](chosen).fit(vectorizer.fit_transform(train_x), train_y)
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    probabilities = model.predict_proba(vectorizer.transform(test_x))[:, 1]
    predict_seconds = time.perf_counter() - started
    return {
        'param': spec['param'],
        'chosen': chosen,
        'cvLogLoss': {str(k): v for k, v in mean.items()},
        'cvSeconds': cv_seconds,
        'fitSeconds': fit_seconds,
        'predictSeconds': predict_seconds,
        'probabilities': probabilities.tolist(),
    }


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    train_x = [read(path) for path, _ in manifest['train']]
    train_y = np.array([1 if label == 'spam' else 0 for _, label in manifest['train']])
    test_x = [read(path) for path in manifest['test']]
    import sklearn
    out = {'version': sklearn.__version__}
    for name, spec in MODELS.items():
        out[name] = run(spec, train_x, train_y, test_x)
    print(json.dumps(out))


main()
