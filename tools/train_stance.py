#!/usr/bin/env python3
"""Train the stance classifier's weights (communique/data/stance_model.npz).

    .venv/bin/python tools/train_stance.py --shared ../shared

Reads the training split of the directed-sentiment data (Park, Pan & Joo 2021;
``shared/data/gold/directed-sentiment/train.txt``), parses it with the project's spaCy
pipeline, and fits a multinomial logistic regression over the hashed features of
``communique.stances.classifier`` (every pair read both ways, class-weighted, L2,
full-batch Adam from zero weights for a fixed number of iterations, so the same inputs give
the same weights). Prints the validation
split's figures (lines not repeated in the training split) for each checkpoint.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from communique.evaluate.stance import read_pairs, score_stance  # noqa: E402
from communique.language import load_nlp  # noqa: E402
from communique.resources import hashed  # noqa: E402
from communique.stances.classifier import BUCKETS, LABELS, MODEL_FILE, SWAPPED, char_features  # noqa: E402
from communique.settings import Settings  # noqa: E402


def featurize(nlp, pairs) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The hashed features of each pair, and of each pair with its entities swapped."""
    rows, swapped = [], []
    for doc, p in zip(nlp.pipe((p.text for p in pairs), batch_size=64), pairs, strict=True):
        rows.append(np.unique(hashed(char_features(doc, p.first, p.second), BUCKETS)))
        swapped.append(np.unique(hashed(char_features(doc, p.second, p.first), BUCKETS)))
    return rows, swapped


def logits(weights: np.ndarray, rows: list[np.ndarray]) -> np.ndarray:
    return np.stack([weights[r].sum(axis=0) for r in rows])


def softmax(z: np.ndarray) -> np.ndarray:
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def train(rows, labels, epochs: int, l2: float, lr: float = 0.05) -> np.ndarray:
    k = len(LABELS)
    y = np.zeros((len(rows), k))
    y[np.arange(len(rows)), labels] = 1
    counts = np.bincount(labels, minlength=k)
    class_weight = (len(labels) / (k * np.maximum(counts, 1))) ** 0.5
    sample_weight = class_weight[labels][:, None]
    flat = np.concatenate(rows)
    owner = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
    w = np.zeros((BUCKETS, k))
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, epochs + 1):
        p = softmax(logits(w, rows))
        g_rows = (p - y) * sample_weight / len(rows)
        grad = np.zeros_like(w)
        np.add.at(grad, flat, g_rows[owner])
        grad += l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return w


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--l2", type=float, default=1e-3)
    args = parser.parse_args(argv)
    folder = args.shared / "data/gold/directed-sentiment"
    nlp = load_nlp(Settings.model)
    train_pairs, valid_pairs = read_pairs(str(folder / "train.txt")), read_pairs(str(folder / "valid.txt"))
    print(f"train {len(train_pairs)} pairs, validation (unseen) {len(valid_pairs)}", flush=True)
    (train_rows, train_swapped), (valid_rows, valid_swapped) = featurize(nlp, train_pairs), featurize(nlp, valid_pairs)
    labels = np.array([p.label for p in train_pairs])
    swapped = np.array(SWAPPED)
    # every pair also read the other way round (1->2 positive becomes 2->1 positive): twice the
    # data, and as many examples of each direction
    weights = train(train_rows + train_swapped, np.concatenate([labels, swapped[labels]]), args.epochs, args.l2)
    probs = softmax(logits(weights, valid_rows)) + softmax(logits(weights, valid_swapped))[:, swapped]
    print("validation:", score_stance([p.label for p in valid_pairs], probs.argmax(axis=1).tolist()))
    out = REPO / "communique" / "data" / MODEL_FILE
    np.savez_compressed(out, weights=weights.astype(np.float32))
    print(f"wrote {out.relative_to(REPO)} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
