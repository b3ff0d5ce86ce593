"""Directed sentiment between two mentions of one sentence: who is for or against whom.

A fine-tuned sentence encoder: the sentence, with ``[`` and ``]`` around the two mentions,
goes through MiniLM (:mod:`communique.encoder`, whose top layers the model replaces with its
own); a linear layer reads the vectors of the two opening marks and the sentence's mean
vector. Each pair is read both ways round (mention 1 first, then mention 2 first, with the
label turned) and the two readings are averaged. Labels, as in the directed-sentiment data of
Park, Pan & Joo (2021): 0 neutral, 1 positive 1->2, 2 positive 2->1, 3 negative 1->2,
4 negative 2->1.

The model file (``communique/data/stance_model.npz``: the fine-tuned layers and the linear
layer, float16) is trained by ``tools/train_stance.py`` on the training split of that data.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional, Sequence

import numpy as np

from ..encoder import MAX_TOKENS, Encoder, tokenizer
from ..resources import model_arrays, read_words, softmax

LABELS = (0, 1, 2, 3, 4)
NEUTRAL, POSITIVE_12, POSITIVE_21, NEGATIVE_12, NEGATIVE_21 = LABELS
SWAPPED = (NEUTRAL, POSITIVE_21, POSITIVE_12, NEGATIVE_21, NEGATIVE_12)  # the label with the mentions swapped
MODEL_FILE = "stance_model.npz"
VERSION = "stance-2"
BATCH = 32  # pairs run through the encoder at once


@lru_cache(maxsize=1)
def polar_words() -> dict[str, int]:
    """Lemma -> +1 or -1: the project's lexicons of praise and blame."""
    words = {w: 1 for w in read_words("positive_words.txt")}
    words.update({w: -1 for w in read_words("negative_words.txt")})
    return words


def marked_ids(text: str, first: tuple[int, int], second: tuple[int, int]) -> tuple[list[int], int, int]:
    """The token ids of ``text`` with `` [ `` and `` ] `` around the two character spans, and the
    places of the two opening marks; at most ``MAX_TOKENS`` ids, a window that keeps the marks
    where the sentence is longer."""
    # in text order; where one mention ends as the other begins, its closing mark comes first
    marks = sorted([(first[0], "[", 1), (first[1], "]", 0), (second[0], "[", 2), (second[1], "]", 0)],
                   key=lambda m: (m[0], m[1] == "["))
    pieces, last, at = [], 0, {}
    for char, mark, which in marks:
        pieces.append(text[last:char])
        if which:
            at[which] = sum(map(len, pieces)) + 1
        pieces.append(f" {mark} ")
        last = char
    pieces.append(text[last:])
    encoding = tokenizer().encode("".join(pieces))
    ids, offsets = encoding.ids, encoding.offsets
    one, two = (next(n for n, (s, e) in enumerate(offsets) if s == at[w] and e > s) for w in (1, 2))
    if len(ids) > MAX_TOKENS:
        start = max(0, min(min(one, two) - 20, len(ids) - MAX_TOKENS))
        ids = ids[start:start + MAX_TOKENS]
        one, two = (min(max(i - start, 0), MAX_TOKENS - 1) for i in (one, two))
    return ids, one, two


class StanceModel:
    """The fine-tuned encoder and the linear layer (5 x 3*384) over its vectors."""

    def __init__(self, encoder: Encoder, weight: np.ndarray, bias: np.ndarray):
        self.encoder, self.weight, self.bias = encoder, weight, bias

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> Optional["StanceModel"]:
        """The packaged model, or None where it is absent (the stances stage then uses events only).
        Raises :class:`~communique.encoder.EncoderMissing` where the encoder's package is not installed."""
        arrays = model_arrays(MODEL_FILE)
        return cls.from_arrays(arrays) if arrays is not None else None

    @classmethod
    def from_arrays(cls, arrays) -> "StanceModel":
        """The model from the arrays of its file: ``top/<tensor name>`` and ``head.weight``, ``head.bias``."""
        top = {k[len("top/"):]: v for k, v in arrays.items() if k.startswith("top/")}
        return cls(Encoder.load(top), np.asarray(arrays["head.weight"], np.float32),
                   np.asarray(arrays["head.bias"], np.float32))

    def readings(self, vectors: np.ndarray, one: int, two: int) -> np.ndarray:
        """Label probabilities of a pair from its encoded tokens, read both ways and averaged."""
        mean = vectors.mean(axis=0)
        out = np.zeros(len(LABELS))
        for a, b, order in ((one, two, list(LABELS)), (two, one, list(SWAPPED))):
            out += softmax(self.weight @ np.concatenate([vectors[a], vectors[b], mean]) + self.bias)[order]
        return out / 2

    def probabilities(self, pairs: Sequence[tuple[str, tuple[int, int], tuple[int, int]]]) -> np.ndarray:
        """Label probabilities (pairs x 5) of (text, span of mention 1, span of mention 2), the spans
        in characters of the text; run through the encoder in batches of similar length."""
        marked = [marked_ids(text, first, second) for text, first, second in pairs]
        encoded = self.encoder.encode_all([ids for ids, _, _ in marked], BATCH)
        out = [self.readings(vectors, one, two) for vectors, (_, one, two) in zip(encoded, marked, strict=True)]
        return np.array(out).reshape(len(pairs), len(LABELS))

    def predict(self, text: str, first: tuple[int, int], second: tuple[int, int]) -> tuple[int, float]:
        """(label, probability) of one pair."""
        probs = self.probabilities([(text, first, second)])[0]
        return int(probs.argmax()), float(probs.max())

