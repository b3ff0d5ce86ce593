#!/usr/bin/env python3
"""How the alignment's agreement with UN voting moves with the articles it rests on (issue 18).

    .venv/bin/python tools/alignment_curve.py DB --unga ../shared/data/reference/unga [--draws 4] [--splits 6] [--json]

Two measurements, both by random draws of the store's articles (seeded), nothing chosen on them:

- **the curve**: the measure made from a share (25%, 50%, 75%, all) of the articles and scored on the
  dyads, coverage and countries of all of them (as the bootstrap of ``communique eval alignment``
  does), the mean over ``--draws`` draws: what more articles per pair add, with the pairs held
  fixed. (``eval alignment``'s halves take each half's own dyads, so their figures also move
  with which pairs reach ``MIN_ARTICLES`` there.)
- **random halves**: ``--splits`` random splits of the articles into two halves, each half's figures
  as ``eval alignment`` gives those of its two halves by a hash of the article id: how far a
  half's figures move with which articles it got.

``DB``: a store made by ``communique ingest`` (the AllSides world corpus less the held-out articles
for the figures in docs/analysis.md).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from communique.evaluate.alignment import (MIN_ARTICLES, country_positions, coverage, figure,  # noqa: E402
                                           figures_of, measure, partial_spearman, read_truth, spearman)
from communique.store import Store  # noqa: E402

SHARES = (0.25, 0.5, 0.75, 1.0)
SEED = 100


def curve(store: Store, truth: tuple, draws: int, min_articles: int = MIN_ARTICLES) -> list[dict]:
    """Per share of the articles: the mean Spearman, Spearman with coverage held constant and positions'
    Spearman of the measure made from ``draws`` random draws of that share, on all articles' dyads."""
    countries, agree, ideal = truth
    index = {c: k for k, c in enumerate(countries)}
    dyads, _, _ = measure(store, truth, min_articles)
    articles = coverage(store)
    truth_values = np.array([agree[index[a], index[b]] for a, b, _ in dyads])
    covered = np.array([float(max(articles.get(a, 0), articles.get(b, 0))) for a, b, _ in dyads])
    kept = sorted(c for c in ideal if articles.get(c, 0) >= min_articles)
    ids = store.article_ids()
    result = []
    for share in SHARES:
        found = []
        for draw in range(draws if share < 1 else 1):
            part = random.Random(SEED + draw).sample(ids, round(len(ids) * share))
            with store.subset(part) as sub:
                _, scores, where = measure(sub, truth, min_articles)
            values = np.array([scores.get((a, b), 0.0) for a, b, _ in dyads])
            placed = {c: where.get(c, 0.0) for c in kept}  # not placed: the middle
            found.append((spearman(values, truth_values), partial_spearman(values, truth_values, covered),
                          country_positions(placed, kept, ideal, articles)["spearman"]))
        columns = [column[~np.isnan(column)] for column in np.array(found, float).T]
        mean = [figure(float(column.mean())) if len(column) else None for column in columns]  # None: never defined
        result.append({"share": share, "articles": round(len(ids) * share), "draws": len(found),
                       **dict(zip(("spearman", "spearman_given_coverage", "positions"), mean, strict=True))})
    return result


def random_halves(store: Store, truth: tuple, splits: int, min_articles: int = MIN_ARTICLES) -> list[list[dict]]:
    """The figures of each half of ``splits`` random splits of the articles into two halves."""
    ids = store.article_ids()
    result = []
    for k in range(splits):
        shuffled = ids[:]
        random.Random(SEED + 100 + k).shuffle(shuffled)
        pair = []
        for part in (shuffled[:len(ids) // 2], shuffled[len(ids) // 2:]):
            with store.subset(part) as sub:
                found = figures_of(sub, truth, 0, 0, min_articles, 0, 0, None, measure(sub, truth, min_articles))
            pair.append({"n_dyads": found["n_dyads"], "spearman": found.get("spearman"),
                         "spearman_given_coverage": found.get("spearman_given_coverage"),
                         "positions": (found.get("positions") or {}).get("spearman")})
        result.append(pair)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db")
    parser.add_argument("--unga", required=True, help="the UN votes folder (../shared/data/reference/unga)")
    parser.add_argument("--first", type=int, default=2012)
    parser.add_argument("--last", type=int, default=2019)
    parser.add_argument("--draws", type=int, default=4, help="random draws per share of the articles (default 4)")
    parser.add_argument("--splits", type=int, default=6, help="random splits into halves (default 6)")
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
