#!/usr/bin/env python3
"""How the alignment's agreement with UN voting moves with the articles it rests on (issue 18).

    .venv/bin/python tools/alignment_curve.py DB --unga ../shared/data/reference/unga [--draws 20] [--splits 10] [--json]

Two measurements, both by random draws of the store's articles (seeded), nothing chosen on them:

- **the curve**: the measure made from a share (25%, 50%, 75%, all) of the articles and scored on the
  dyads, coverage and placed countries of all of them (as the bootstrap of ``communique eval
  alignment`` scores its resamples), the mean over ``--draws`` draws: what more articles per pair
  add, with the pairs held fixed. (``eval alignment``'s halves take each half's own dyads, so
  their figures also move with which pairs reach ``MIN_ARTICLES`` there.)
- **random halves**: ``--splits`` random splits of the articles into two halves, each half a
  corpus of its own as ``eval alignment`` takes its two halves by a hash of the article id: how
  far a half's figures move with which articles it got.

``DB``: a store made by ``communique ingest`` (the AllSides world corpus less the held-out articles
for the figures in docs/analysis.md).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from communique.analysis.alignment import attitude_items, pair_scores, place, resampled_attitudes  # noqa: E402
from communique.evaluate.alignment import (MIN_ARTICLES, correlations, coverage, figure, measure,  # noqa: E402
                                           read_truth)
from communique.store import Store  # noqa: E402

SHARES = (0.25, 0.5, 0.75, 1.0)
SEED = 100
KEYS = ("spearman", "spearman_given_coverage", "positions")


def against_all(store: Store, truth: tuple, min_articles: int) -> tuple:
    """What a measure is scored against (:func:`~communique.evaluate.alignment.correlations`'s arguments
    after the scores and positions) in the corpus of ``store``: its dyads, their UN agreement and coverage,
    the countries it places in at least ``min_articles`` articles with ideal points, and those points."""
    countries, agree, ideal = truth
    index = {c: k for k, c in enumerate(countries)}
    dyads, scores, where = measure(store, truth, min_articles)
    articles = coverage(store)
    kept = sorted(c for c in where if c in ideal and articles.get(c, 0) >= min_articles)
    return (scores, where), (dyads, np.array([agree[index[a], index[b]] for a, b, _ in dyads]),
                             np.array([float(max(articles.get(a, 0), articles.get(b, 0))) for a, b, _ in dyads]),
                             kept, ideal)


def curve(store: Store, truth: tuple, draws: int, min_articles: int = MIN_ARTICLES) -> list[dict]:
    """Per share of the articles: the mean, over ``draws`` random draws of that share, of the figures
    (:func:`~communique.evaluate.alignment.correlations`) of the measure made from the draw's articles, on
    all articles' dyads and the countries all articles place, as the bootstrap of ``eval alignment``
    scores its resamples."""
    _, scored_on = against_all(store, truth, min_articles)
    items, ids = attitude_items(store), store.article_ids()
    rng = np.random.default_rng(SEED)
    result = []
    for share in SHARES:
        found = []
        for _ in range(draws if share < 1 else 1):
            rows = resampled_attitudes(items, dict.fromkeys(map(str, rng.choice(ids, round(len(ids) * share), replace=False)), 1))
            scores = {(r["a"], r["b"]): r["score"] for r in pair_scores(store, rows, min_evidence=0)}
            found.append(correlations(scores, place(rows), *scored_on))
        columns = [column[~np.isnan(column)] for column in np.array(found, float).T]
        result.append({"share": share, "articles": round(len(ids) * share), "draws": len(found),
                       **{key: figure(float(column.mean())) if len(column) else None  # None: never defined
                          for key, column in zip(KEYS, columns, strict=True)}})
    return result


def random_halves(store: Store, truth: tuple, splits: int, min_articles: int = MIN_ARTICLES) -> list[list[dict]]:
    """The figures (:func:`~communique.evaluate.alignment.correlations`) of each half of ``splits`` random
    splits of the articles into two halves, each half a corpus of its own (its own dyads, coverage and
    placed countries)."""
    ids = store.article_ids()
    rng = np.random.default_rng(SEED + 1)
    result = []
    for _ in range(splits):
        shuffled = [str(i) for i in rng.permutation(ids)]
        pair = []
        for part in (shuffled[:len(ids) // 2], shuffled[len(ids) // 2:]):
            with store.subset(part) as sub:
                measured, scored_on = against_all(sub, truth, min_articles)
            dyads = scored_on[0]
            values = correlations(*measured, *scored_on) if len(dyads) >= 3 else (float("nan"),) * 3
            pair.append({"n_dyads": len(dyads), **{key: figure(v) for key, v in zip(KEYS, values, strict=True)}})
        result.append(pair)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db")
    parser.add_argument("--unga", required=True, help="the UN votes folder (../shared/data/reference/unga)")
    parser.add_argument("--first", type=int, default=2012)
    parser.add_argument("--last", type=int, default=2019)
    parser.add_argument("--draws", type=int, default=20, help="random draws per share of the articles (default 20)")
    parser.add_argument("--splits", type=int, default=10, help="random splits into halves (default 10)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    truth = read_truth(Path(args.unga), args.first, args.last)
    with Store(args.db, read_only=True) as store:
        result = {"curve": curve(store, truth, args.draws), "random_halves": random_halves(store, truth, args.splits)}
    if args.json:
        print(json.dumps(result, indent=1))
        return

    def show(value):
        return "n/a" if value is None else f"{value:+.3f}"

    print("the measure from a share of the articles, on all articles' dyads (mean over the draws):")
    for row in result["curve"]:
        print(f"  {row['share']:.0%} ({row['articles']} articles): Spearman {show(row['spearman'])}, with coverage held "
              f"constant {show(row['spearman_given_coverage'])}, positions {show(row['positions'])}")
    print("random halves (Spearman / with coverage held constant / positions):")
    for k, pair in enumerate(result["random_halves"]):
        print(f"  split {k}: " + " | ".join(f"{show(h['spearman'])} / {show(h['spearman_given_coverage'])} / "
                                            f"{show(h['positions'])} ({h['n_dyads']} dyads)" for h in pair))


if __name__ == "__main__":
    main()
