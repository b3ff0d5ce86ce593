"""The learned part of the quotes stage: which words attribute something to someone (the cues), and
which words of the parse are what they attribute (the content).

The parse proposes; two logistic regressions decide:

* every verb, noun, auxiliary or adposition is a candidate cue; the cue model scores it over hashed
  features of the word, its lemma, its place in the parse (its head, its dependents, its subject),
  whether it stands inside quote marks, whether the project's word lists hold it, and the parser's
  vector of the token (:func:`cue_features`);
* a cue's candidate contents are the phrases the parse offers around it (:func:`content_candidates`:
  each dependent's subtree, the object of each of its prepositions, all its complements together, from
  its subject to its last complement, the clause it is set in, the rest of its sentence, the words
  before it); the content model scores each
  over features of the cue and the phrase (:func:`content_features`), and the best one is the content.

The weights (``communique/data/quote_model.npz``) are trained by ``tools/train_quotes.py`` from the
PolNeAR training month (840 annotated news articles); the thresholds are chosen on its dev month.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import numpy as np
from spacy.tokens import Token

from ..lexicons.words import attribution_verbs, stance_verbs
from ..resources import dense_vector, hashed, model_arrays

MODEL_FILE = "quote_model.npz"
BUCKETS = 1 << 17
CUE_POS = ("VERB", "AUX", "NOUN", "ADP")  # what may be a cue's head (PolNeAR dev: 98% of them)
NOT_CONTENT = ("nsubj", "agent", "aux", "auxpass", "neg", "punct", "advmod", "prt", "cc", "det", "case",
               "mark", "expl", "compound", "amod", "poss", "nummod", "dep")  # dependents that are never the content
# (a passive's subject may be: "the plan was criticized by ...")
SUBJECTS = ("nsubj", "nsubjpass")
AROUND = ("around", "host-around")  # the candidates that hold their cue


def cue_features(tok: Token, quoted: bool) -> list[str]:
    """Hashed features of a candidate cue (``quoted``: it stands inside quote marks)."""
    lemma, pos, dep, head = tok.lemma_.lower(), tok.pos_, tok.dep_, tok.head
    feats = ["b", f"l={lemma}", f"w={tok.lower_}", f"p={pos}", f"t={tok.tag_}", f"d={dep}", f"lp={lemma}|{pos}",
             f"ld={lemma}|{dep}", f"hl={head.lemma_.lower()}", f"hd={dep}|{head.pos_}", f"q={quoted}",
             f"lq={lemma}|{quoted}", f"lex={lemma in attribution_verbs()}|{lemma in stance_verbs()}|{pos}"]
    for child in tok.children:
        feats += [f"c={child.dep_}", f"lc={lemma}|{child.dep_}", f"cp={child.dep_}|{child.pos_}"]
        if child.dep_ in SUBJECTS:
            feats += [f"s={child.ent_type_ or child.pos_}", f"ls={lemma}|{child.ent_type_ or child.pos_}"]
        elif child.dep_ == "prep":
            feats.append(f"lpr={lemma}|{child.lower_}")
    doc = tok.doc
    if tok.i + 1 < len(doc):
        feats += [f"n={doc[tok.i + 1].lower_}", f"ln={lemma}|{doc[tok.i + 1].lower_}"]
    if tok.i > 0:
        feats.append(f"v={doc[tok.i - 1].lower_}")
    return feats


def trimmed(doc, first: int, last: int) -> Optional[tuple[int, int]]:
    """Tokens first..last without punctuation or spaces at either end (None: nothing left)."""
    while last >= first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    while first <= last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    return (first, last) if first <= last else None


def content_candidates(cue: Token) -> list[tuple[str, int, int]]:
    """(kind, first token, last token) of the phrases that may be the cue's content, each once (the
    first kind that finds it). Only those that run around the cue (``AROUND``) hold it: PolNeAR marks
    the content of "X, he said, Y" and of "peacekeepers have been accused of hurting civilians" from its
    first word to its last."""
    doc, sent = cue.doc, cue.sent
    found: list[tuple[str, Optional[tuple[int, int]]]] = []
    complements, subjects = [], []
    for child in cue.children:
        if child.dep_ in SUBJECTS:
            subjects.append(child)
        if child.dep_ in NOT_CONTENT:
            continue
        found.append((f"child:{child.dep_}", trimmed(doc, child.left_edge.i, child.right_edge.i)))
        if child.i > cue.i:
            complements.append(child)
        if child.dep_ == "prep":
            found += [("prep-object", trimmed(doc, p.left_edge.i, p.right_edge.i)) for p in child.children]
    if len(complements) > 1:
        found.append(("complements", trimmed(doc, complements[0].left_edge.i, complements[-1].right_edge.i)))
        objects = [p for p in complements[0].children if p.dep_ == "pobj"] if complements[0].dep_ == "prep" else []
        if objects:  # "called on police to release the videos"
            found.append(("from-object", trimmed(doc, objects[0].left_edge.i, complements[-1].right_edge.i)))
    if subjects and complements:  # "peacekeepers have been accused of hurting civilians"
        found.append(("around", trimmed(doc, subjects[0].left_edge.i, complements[-1].right_edge.i)))
    head = cue.head
    if head.i != cue.i:  # the clause the cue is set in: without the cue's words, or around them ("X, he said, Y")
        if cue.left_edge.i <= head.left_edge.i:
            found.append(("host", trimmed(doc, cue.right_edge.i + 1, head.right_edge.i)))
        elif cue.right_edge.i >= head.right_edge.i:
            found.append(("host", trimmed(doc, head.left_edge.i, cue.left_edge.i - 1)))
        else:
            found.append(("host-around", trimmed(doc, head.left_edge.i, head.right_edge.i)))
    found.append(("rest", trimmed(doc, cue.i + 1, sent.end - 1)))
    found.append(("before", trimmed(doc, sent.start, cue.left_edge.i - 1)))
    out, seen = [], set()
    for kind, span in found:
        if span is not None and span not in seen and (kind in AROUND or not span[0] <= cue.i <= span[1]):
            seen.add(span)
            out.append((kind, *span))
    return out


def content_features(cue: Token, kind: str, first: int, last: int) -> list[str]:
    """Hashed features of a candidate content of a cue."""
    doc = cue.doc
    lemma, start, end = cue.lemma_.lower(), doc[first], doc[last]
    root = doc[first:last + 1].root
    size = last - first + 1
    length = "1" if size == 1 else "2-3" if size <= 3 else "4-8" if size <= 8 else "9-20" if size <= 20 else "21+"
    side = "after" if first > cue.i else "before"
    verb = any(t.pos_ in ("VERB", "AUX") for t in doc[first:last + 1])
    return ["b", f"k={kind}", f"kl={kind}|{lemma}", f"kp={kind}|{cue.pos_}", f"kd={kind}|{cue.dep_}",
            f"f={start.lower_}", f"kf={kind}|{start.lower_}", f"fp={start.pos_}", f"e={end.pos_}",
            f"r={root.dep_}|{root.pos_}", f"kr={kind}|{root.dep_}", f"n={length}", f"kn={kind}|{length}",
            f"s={side}", f"ls={lemma}|{side}", f"v={verb}", f"kv={kind}|{verb}", f"lr={lemma}|{root.dep_}",
            f"fe={start.ent_type_}", f"re={root.ent_type_}|{root.pos_}"]


class QuoteModel:
    """The cue model's weights (BUCKETS + DENSE rows), the content model's (BUCKETS rows) and their
    thresholds."""

    def __init__(self, cue: np.ndarray, content: np.ndarray, cue_threshold: float, content_threshold: float,
                 version: str = ""):
        self.cue_weights, self.content_weights, self.version = cue, content, version
        self.cue_threshold, self.content_threshold = cue_threshold, content_threshold

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> Optional["QuoteModel"]:
        """The packaged model, or None where it is absent (the stage then keeps its rules)."""
        data = model_arrays(MODEL_FILE)
        if data is None:
            return None
        return cls(data["cue"].astype(np.float32), data["content"].astype(np.float32),
                   float(data["cue_threshold"]), float(data["content_threshold"]), str(data["version"]))

    def cue_probability(self, tok: Token, quoted: bool) -> float:
        weights = self.cue_weights
        score = weights[hashed(cue_features(tok, quoted), BUCKETS)].sum() + dense_vector(tok) @ weights[BUCKETS:]
        return float(1 / (1 + np.exp(-score)))

    def content_probabilities(self, cue: Token, candidates: list[tuple[str, int, int]]) -> np.ndarray:
        scores = [self.content_weights[hashed(content_features(cue, *cand), BUCKETS)].sum() for cand in candidates]
        return 1 / (1 + np.exp(-np.asarray(scores, dtype=np.float32)))

    def content(self, cue: Token, quoted: bool) -> Optional[tuple[int, int]]:
        """The first and last token of the cue's content, where the token is a cue and one of its
        candidates is likely enough."""
        if cue.pos_ not in CUE_POS or self.cue_probability(cue, quoted) < self.cue_threshold:
            return None
        candidates = content_candidates(cue)
        if not candidates:
            return None
        probs = self.content_probabilities(cue, candidates)
        best = int(probs.argmax())
        return candidates[best][1:] if probs[best] >= self.content_threshold else None

