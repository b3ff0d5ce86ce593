"""Stances stage: who is for or against whom.

Reads ``article.events``, ``article.actors`` and ``article.doc``; writes ``article.stances``.
Two kinds of evidence, each a (holder, target, polarity, weight, sentence span):

* every event with a source and a target placed in countries and a non-zero Goldstein
  score: praise, agreement and meetings for, accusations, rejections, threats and force
  against; its weight is its confidence;
* every sentence that mentions two parties of different countries: the stance classifier
  (:mod:`.classifier`) reads who is for or against whom in it ("X, a fierce critic of Y");
  a non-neutral reading of probability at least ``MIN_PROBABILITY`` weighs half its
  probability (a sentence's tone is weaker evidence than a coded act).

Per (holder, target) pair the weights are summed with their signs; the sign of the sum is
the stance, and the evidence spans are those that agree with it.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Optional

from ..model import Actor, ActorRef, Article, Stance
from .classifier import NEGATIVE_12, NEGATIVE_21, NEUTRAL, POSITIVE_12, StanceModel

MIN_PROBABILITY = 0.6
SENTENCE_WEIGHT = 0.5
MAX_PARTIES = 6  # per sentence: the pairs grow with the square


def derive_stances(article: Article) -> Article:
    evidence: dict[tuple, list[tuple[int, float, tuple[int, int]]]] = defaultdict(list)
    for event in article.events:
        if event.source and event.target and event.source.country and event.target.country and event.goldstein:
            evidence[(astuple(event.source), astuple(event.target))].append(
                (sign(event.goldstein), event.confidence, tuple(event.span)))
    model = StanceModel.load()
    if model is not None and article.doc is not None:
        for holder, target, polarity, weight, span in sentence_stances(article, model):
            evidence[(astuple(holder.ref()), astuple(target.ref()))].append((polarity, weight, span))
    stances = []
    for (holder, target), items in evidence.items():
        score = sum(polarity * weight for polarity, weight, _ in items)
        if score == 0:
            continue
        polarity = sign(score)
        spans = sorted({span for p, _, span in items if p == polarity})
        stances.append(Stance(ActorRef(*holder), ActorRef(*target), polarity, spans))
    article.stances = stances
    return article


def sentence_stances(article: Article, model: StanceModel):
    """(holder, target, polarity, weight, sentence span) the classifier reads in each sentence."""
    doc = article.doc
    placed = [a for a in article.actors if a.country and a.mentions]
    for sent in doc.sents:
        parties = first_mentions(placed, sent.start_char, sent.end_char)[:MAX_PARTIES]
        for (a, span_a), (b, span_b) in combinations(parties, 2):
            if a.country == b.country:
                continue
            one, two = doc.char_span(*span_a, alignment_mode="expand"), doc.char_span(*span_b, alignment_mode="expand")
            if one is None or two is None:
                continue
            label, probability = model.predict(doc, one, two, sent)
            if label == NEUTRAL or probability < MIN_PROBABILITY:
                continue
            holder, target = (a, b) if label in (POSITIVE_12, NEGATIVE_12) else (b, a)
            polarity = -1 if label in (NEGATIVE_12, NEGATIVE_21) else 1
            yield holder, target, polarity, SENTENCE_WEIGHT * probability, (sent.start_char, sent.end_char)


def first_mentions(actors: list[Actor], start: int, end: int) -> list[tuple[Actor, tuple[int, int]]]:
    """Each actor's first mention inside [start, end), in text order."""
    found = []
    for actor in actors:
        inside: Optional[tuple[int, int]] = next(((s, e) for s, e in actor.mentions if start <= s and e <= end), None)
        if inside is not None:
            found.append((actor, inside))
    return sorted(found, key=lambda item: item[1])


def astuple(ref: ActorRef) -> tuple:
    return (ref.name, ref.country, ref.sector)


def sign(x: float) -> int:
    return (x > 0) - (x < 0)
