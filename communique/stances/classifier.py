"""Directed sentiment between two mentions of one sentence: who is for or against whom.

A multinomial logistic regression over features of the parse that tell direction and
polarity: the dependency path between the two mentions and the verb where the paths
meet (with negation and which mention is its subject), the words between them, the
sentence's words, and the polar words of the project's lexicons on that path. Labels, as
in the directed-sentiment data of Park, Pan & Joo (2021): 0 neutral, 1 positive 1->2,
2 positive 2->1, 3 negative 1->2, 4 negative 2->1.

The weights (``communique/data/stance_model.npz``) are trained by
``tools/train_stance.py`` on the training split of that data; features are hashed into
a fixed number of buckets, so the model file holds numbers only.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import numpy as np
from spacy.tokens import Doc, Span, Token

from ..resources import data_path, hashed, read_words, softmax

BUCKETS = 1 << 17
LABELS = (0, 1, 2, 3, 4)
NEUTRAL, POSITIVE_12, POSITIVE_21, NEGATIVE_12, NEGATIVE_21 = LABELS
SWAPPED = (NEUTRAL, POSITIVE_21, POSITIVE_12, NEGATIVE_21, NEGATIVE_12)  # the label with the mentions swapped
MODEL_FILE = "stance_model.npz"


@lru_cache(maxsize=1)
def polar_words() -> dict[str, int]:
    """Lemma -> +1 or -1: the project's lexicons of praise and blame."""
    words = {w: 1 for w in read_words("positive_words.txt")}
    words.update({w: -1 for w in read_words("negative_words.txt")})
    return words


def head_of(span: Span) -> Token:
    return span.root


def path_to_root(tok: Token) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i and len(out) < 40:
        out.append(out[-1].head)
    return out


def features(doc: Doc, first: Span, second: Span, sentence: Optional[Span] = None) -> list[str]:
    """The feature strings of the pair (first = mention 1, second = mention 2) in ``sentence``
    (default: the whole ``doc``, one sentence in the training data)."""
    words = sentence if sentence is not None else doc
    h1, h2 = head_of(first), head_of(second)
    up1, up2 = path_to_root(h1), path_to_root(h2)
    ids2 = {t.i: n for n, t in enumerate(up2)}
    meet = next(((n, ids2[t.i]) for n, t in enumerate(up1) if t.i in ids2), None)
    polar = polar_words()
    feats = ["BIAS", f"ORDER={'12' if first.start < second.start else '21'}"]
    if meet is None:
        return feats + [f"S:{t.lemma_.lower()}" for t in words if t.is_alpha]
    n1, n2 = meet
    lca = up1[n1]
    role1 = up1[n1 - 1].dep_ if n1 > 0 else "self"
    role2 = up2[n2 - 1].dep_ if n2 > 0 else "self"
    lemma = lca.lemma_.lower()
    negated = any(c.dep_ == "neg" for c in lca.children)
    subject = "1" if role1.startswith("nsubj") else "2" if role2.startswith("nsubj") else "-"
    agent = "1" if role1 == "agent" else "2" if role2 == "agent" else "-"
    path = "/".join([t.dep_ for t in up1[:n1]] + ["^" + lca.pos_] + [t.dep_ for t in reversed(up2[:n2])])
    feats += [f"PATH={path}", f"ROLES={role1}|{role2}", f"LCA={lemma}", f"LCA={lemma}|{role1}|{role2}",
              f"SUBJ={subject}", f"AGENT={agent}", f"LCA={lemma}|SUBJ={subject}", f"NEG={negated}",
              f"DIST={min(abs(h1.i - h2.i), 10) // 3}"]
    on_path = up1[1:n1] + [lca] + up2[1:n2]
    for tok in on_path:
        low = tok.lemma_.lower()
        feats += [f"P:{low}", f"P:{low}|SUBJ={subject}"]
        if low in polar:
            feats += [f"POL={polar[low]}|SUBJ={subject}|NEG={negated}", f"POL={polar[low]}|AGENT={agent}"]
    start = min(first.end, second.end)
    end = max(first.start, second.start)
    between = [t for t in doc[start:end] if t.is_alpha]
    for tok in between:
        low = tok.lemma_.lower()
        feats.append(f"B:{low}")
        if low in polar:
            feats.append(f"BPOL={polar[low]}|ORDER={'12' if first.start < second.start else '21'}")
    feats += [f"B2:{a.lemma_.lower()}_{b.lemma_.lower()}" for a, b in zip(between, between[1:], strict=False)]
    feats += [f"S:{t.lemma_.lower()}" for t in words if t.is_alpha and not (first.start <= t.i < first.end)
              and not (second.start <= t.i < second.end)]
    feats += [f"SPOL={polar[t.lemma_.lower()]}" for t in words if t.lemma_.lower() in polar]
    for name, tok in (("1", h1), ("2", h2)):  # the word each mention hangs from, and how
        governor = tok.head
        feats += [f"G{name}={governor.lemma_.lower()}|{tok.dep_}", f"D{name}={tok.dep_}"]
        near = nearest_polar(words, tok, polar)
        if near is not None:
            feats.append(f"N{name}={polar[near.lemma_.lower()]}|{'subj' if tok.dep_.startswith('nsubj') else 'other'}")
    return feats


def nearest_polar(words, tok: Token, polar: dict[str, int]) -> Optional[Token]:
    """The polar word closest to ``tok`` among ``words`` (a sentence or a doc), within eight words."""
    found = [t for t in words if abs(t.i - tok.i) <= 8 and t.lemma_.lower() in polar]
    return min(found, key=lambda t: abs(t.i - tok.i)) if found else None


class StanceModel:
    """Weights (BUCKETS x labels) of the classifier; ``predict`` gives label probabilities."""

    def __init__(self, weights: np.ndarray):
        self.weights = weights

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> Optional["StanceModel"]:
        """The packaged model, or None where it is absent (the stances stage then uses events only)."""
        path = data_path(MODEL_FILE)
        if not path.exists():
            return None
        with np.load(path) as data:
            return cls(data["weights"].astype(np.float32))

    def scores(self, feats: list[str]) -> np.ndarray:
        return softmax(self.weights[hashed(feats, BUCKETS)].sum(axis=0))

    def predict(self, doc: Doc, first: Span, second: Span, sentence: Optional[Span] = None) -> tuple[int, float]:
        """(label, probability) for the pair, read both ways round and averaged."""
        probs = (self.scores(features(doc, first, second, sentence))
                 + self.scores(features(doc, second, first, sentence))[list(SWAPPED)]) / 2
        label = int(probs.argmax())
        return label, float(probs[label])

    def predict_chars(self, doc: Doc, first: tuple[int, int], second: tuple[int, int]) -> int:
        """The label of two character spans of the document (neutral where they name no tokens)."""
        spans = char_spans(doc, first, second)
        return self.predict(doc, *spans)[0] if spans else NEUTRAL


def char_spans(doc: Doc, first: tuple[int, int], second: tuple[int, int]) -> Optional[tuple[Span, Span]]:
    """Two character spans as token spans (widened to whole tokens); None if either names none."""
    one = doc.char_span(*first, alignment_mode="expand")
    two = doc.char_span(*second, alignment_mode="expand")
    return (one, two) if one is not None and two is not None and len(one) and len(two) else None


def char_features(doc: Doc, first: tuple[int, int], second: tuple[int, int]) -> list[str]:
    """``features`` for two character spans of the document."""
    spans = char_spans(doc, first, second)
    return features(doc, *spans) if spans else ["BIAS"]
