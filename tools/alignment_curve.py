#!/usr/bin/env python3
"""How the alignment's agreement with UN voting moves with the articles it rests on (issue 18).

    .venv/bin/python tools/alignment_curve.py DB --unga ../shared/data/reference/unga [--draws 20] [--splits 10]
        [--reach FIGURE=VALUE ...] [--json]

Two measurements, both by random draws of the store's articles (seeded), nothing chosen on them, and a
projection from the first:

- **the curve**: the measure made from a share (25%, 50%, 75%, all) of the articles and scored on the
  dyads, coverage and placed countries of all of them (as the bootstrap of ``communique eval
  alignment`` scores its resamples), the mean over ``--draws`` draws: what more articles per pair
  add, with the pairs held fixed. (``eval alignment``'s halves take each half's own dyads, so
  their figures also move with which pairs reach ``MIN_ARTICLES`` there.)
- **random halves**: ``--splits`` random splits of the articles into two halves, each half a
  corpus of its own as ``eval alignment`` takes its two halves by a hash of the article id: how
  far a half's figures move with which articles it got.
- **the projection** (an extrapolation, not a measurement): each figure of the curve fitted as
  ``ceiling * sqrt(r(k))``, ``r(k) = k R / (1 + (k - 1) R)``, ``k`` the multiple of the corpus: Spearman's
  correction for attenuation with the Spearman-Brown reliability ``r(k)`` of a measure made from ``k``
  times the articles (``R``: that of the corpus itself). ``ceiling`` is what the figure would reach with
  endless articles of the same kind and the same method; ``--reach FIGURE=VALUE`` (repeatable) asks how
  many times the corpus a value would need (none: beyond the ceiling). The curve's means are themselves
  draws: the projection is refitted to the means of the draws drawn again, and gives the 95% intervals.

``DB``: a store made by ``communique ingest`` (the AllSides world corpus less the held-out articles
for the figures in docs/analysis.md).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Optional

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
                          for key, column in zip(KEYS, columns, strict=True)},
                       "by_draw": {key: [figure(float(v)) for v in column] for key, column in zip(KEYS, columns, strict=True)}})
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


def projection(rows: list[dict], reach: list[tuple[str, float]] = (), resamples: int = 1000) -> dict[str, dict]:
    """Per figure defined at every share, the fit of the curve's ``rows`` (module docstring): ``ceiling``,
    ``reliability`` (``R``), the root mean square error of the fit, and for each ``(figure, value)`` of ``reach``
    the multiple of the corpus the value needs (None: not between 0 and the ceiling). How far these rest on
    which draws the curve got: ``ceiling_interval`` and, per value, ``interval`` (None above: out of reach) and
    ``out_of_reach`` (a share), over ``resamples`` refits to means of the draws drawn again with replacement
    (a share of one draw, all the articles, as it is; seeded)."""
    share = np.array([row["share"] for row in rows])
    rng = np.random.default_rng(SEED + 2)
    result = {}
    for key in KEYS:
        y = np.array([row[key] for row in rows], float)
        if np.isnan(y).any():  # a share where the figure was never defined: nothing to fit
            continue
        ceiling, reliability, rmse = fit_curve(share, y)
        draws = [np.array(row.get("by_draw", {}).get(key) or [row[key]], float) for row in rows]
        refits = [fit_curve(share, np.array([d[rng.integers(0, len(d), len(d))].mean() for d in draws]))
                  for _ in range(resamples)]
        needed = []
        for figure_key, value in reach:
            if figure_key == key:
                again = np.array([multiple(value, c, r) for c, r, _ in refits], float)  # nan: out of reach
                reached = again[~np.isnan(again)]
                interval = [round(float(v), 2) for v in np.percentile(reached, [2.5, 97.5])] if len(reached) else None
                needed.append({"value": value, "times_the_corpus": multiple(value, ceiling, reliability),
                               "interval": interval, "out_of_reach": round(1 - len(reached) / len(again), 3)})
        result[key] = {"ceiling": figure(ceiling), "reliability": round(reliability, 3), "rmse": round(rmse, 4),
                       "ceiling_interval": [figure(float(v)) for v in np.percentile([c for c, _, _ in refits], [2.5, 97.5])],
                       "reach": needed}
    return result


def fit_curve(share: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """``(ceiling, R, root mean square error)`` of the least-squares fit of ``y = ceiling * sqrt(r(share))``: over a
    grid of ``R``, and for each the best ``ceiling``, which is linear."""
    grid = np.linspace(0.001, 0.999, 999)[:, None]
    root = np.sqrt(share * grid / (1 + (share - 1) * grid))  # sqrt(r(k)), a row per R
    ceilings = root @ y / (root * root).sum(axis=1)
    errors = ((ceilings[:, None] * root - y) ** 2).mean(axis=1)
    best = int(np.argmin(errors))
    return float(ceilings[best]), float(grid[best, 0]), float(np.sqrt(errors[best]))


def multiple(value: float, ceiling: float, reliability: float) -> Optional[float]:
    """How many times the corpus the fit ``(ceiling, reliability)`` needs to reach ``value``; None when the value is
    not between 0 and the ceiling."""
    r = (value / ceiling) ** 2 if value * ceiling > 0 else 0.0 if value == 0 else 1.0
    return round(r * (1 - reliability) / (reliability * (1 - r)), 2) if r < 1 else None


def target(text: str) -> tuple[str, float]:
    """``FIGURE=VALUE`` of ``--reach``."""
    key, _, value = text.partition("=")
    if key not in KEYS:
        raise argparse.ArgumentTypeError(f"unknown figure {key!r}: use {', '.join(KEYS)}")
    return key, float(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db")
    parser.add_argument("--unga", required=True, help="the UN votes folder (../shared/data/reference/unga)")
    parser.add_argument("--first", type=int, default=2012)
    parser.add_argument("--last", type=int, default=2019)
    parser.add_argument("--draws", type=int, default=20, help="random draws per share of the articles (default 20)")
    parser.add_argument("--splits", type=int, default=10, help="random splits into halves (default 10)")
    parser.add_argument("--reach", action="append", default=[], metavar="FIGURE=VALUE", type=target,
                        help=f"a value of a figure ({', '.join(KEYS)}) to project the articles needed for (repeatable)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    truth = read_truth(Path(args.unga), args.first, args.last)
    with Store(args.db, read_only=True) as store:
        result = {"curve": curve(store, truth, args.draws), "random_halves": random_halves(store, truth, args.splits)}
    result["projection"] = projection(result["curve"], args.reach)
    if args.json:
        print(json.dumps(result, indent=1))
        return

    def show(value):
        return "n/a" if value is None else f"{value:+.3f}"

    print("the measure from a share of the articles, on all articles' dyads (mean over the draws):")
    for row in result["curve"]:
        print(f"  {row['share']:.0%} ({row['articles']} articles): Spearman {show(row['spearman'])}, with coverage held "
              f"constant {show(row['spearman_given_coverage'])}, positions {show(row['positions'])}")
    print("projection (fitted to the curve, an extrapolation): ceiling with endless articles; R: the reliability "
          "of the corpus's measure")
    for key, fit in result["projection"].items():
        print(f"  {key}: ceiling {show(fit['ceiling'])} [{show(fit['ceiling_interval'][0])}, "
              f"{show(fit['ceiling_interval'][1])}], R {fit['reliability']:.3f}, fit error {fit['rmse']:.4f}")
        for need in fit["reach"]:
            k, interval = need["times_the_corpus"], need["interval"]
            print(f"    {need['value']:+.3f}: " + (f"{k:.2f} times the corpus" if k is not None else "out of reach")
                  + (f" [{interval[0]:.2f}, {interval[1]:.2f} where reached]" if interval else "")
                  + f"; out of reach in {need['out_of_reach']:.0%} of the refits")
    print("random halves (Spearman / with coverage held constant / positions):")
    for k, pair in enumerate(result["random_halves"]):
        print(f"  split {k}: " + " | ".join(f"{show(h['spearman'])} / {show(h['spearman_given_coverage'])} / "
                                            f"{show(h['positions'])} ({h['n_dyads']} dyads)" for h in pair))


if __name__ == "__main__":
    main()
