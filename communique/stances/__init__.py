"""Stances stage: who is for or against whom, from the coded events.

Reads ``article.events``; writes ``article.stances``. Every event with a source
and a target placed in countries, with a non-zero Goldstein score, is evidence of the source's
stance toward the target (praise, agreement and meetings for; accusations,
rejections, threats and force against). Per (holder, target) pair the evidence
is summed, each event weighing its confidence, and the sign of the sum is the
stance; the evidence spans are those of the events that agree with it.
"""
from __future__ import annotations

from collections import defaultdict

from ..model import ActorRef, Article, Event, Stance


def derive_stances(article: Article) -> Article:
    by_pair: dict[tuple, list[Event]] = defaultdict(list)
    for event in article.events:
        if event.source and event.target and event.source.country and event.target.country and event.goldstein:
            by_pair[(astuple(event.source), astuple(event.target))].append(event)
    stances = []
    for (holder, target), events in by_pair.items():
        score = sum(sign(e.goldstein) * e.confidence for e in events)
        if score == 0:
            continue
        polarity = sign(score)
        evidence = sorted({tuple(e.span) for e in events if sign(e.goldstein) == polarity})
        stances.append(Stance(ActorRef(*holder), ActorRef(*target), polarity, list(evidence)))
    article.stances = stances
    return article


def astuple(ref: ActorRef) -> tuple:
    return (ref.name, ref.country, ref.sector)


def sign(x: float) -> int:
    return (x > 0) - (x < 0)
