"""Country alignment: how far two countries stand together, and the evidence behind it.

The evidence is the stored stances (:mod:`communique.stances`) of three kinds: ``reported``
(the article's events, verbs of support and opposition toward issues, and the stance
classifier on sentences), ``quote`` (what a speaker's quoted words say of a party) and
``coaction`` (parties acting together), taken per article: in one article, country A's
attitude to an object X (another country, an organisation, or an issue) is the sum of the
polarities of A's actors' stances toward X's actors, each times its kind's weight (the kind's
precision measured on the hand-labelled attitude set, ``data/attitude_kinds.tsv``, over that
of the most precise kind; see :func:`kind_weights`), clipped to [-1, 1]: one item.

How far a score or a position is to be trusted is measured by resampling the articles
(:func:`pair_intervals`, :func:`position_intervals`): each pair and each country gets the 95% interval of its score or
position over the resamples, and is ``settled`` when that interval is at most ``WIDE``.

Coverage is kept from ranking the pairs in three ways, each measured by the evaluation
(:mod:`communique.evaluate.alignment`: the measure's correlation with coverage, and with UN
agreement when coverage is held constant): an attitude is a mean of items, not a sum, shrunk
toward 0 by ``PSEUDO`` neutral items; a position is squashed (below), so that the countries
with the most items do not lie far out; and a pair's own relations count against its
closeness as items, so that a much-covered pair's many direct items do not decide alone.

Countries are placed on one axis by their positions, as roll-call votes place legislators
(a news counterpart of UN ideal points):

- the attitude matrix: a row per country, a column per object toward which at least
  ``MIN_HOLDERS`` (2) countries took a position; a cell is the mean of the country's items
  toward the object, shrunk toward 0 by ``PSEUDO`` neutral items; a country stands fully with
  itself (its own cell is 1), so that who is for or against it places it. An object only one
  country took a position toward says only how the two stand to each other, which their
  pair's direct items count already; kept, such columns let one country's many single
  relations decide the axis of a thin period;
- each column is centred on the mean of the countries that took a position toward its
  object: agreeing that X is a partner says nothing when everyone does;
- a country's score on the first singular vector of the centred matrix (the main line of
  disagreement), set to median 0 and scaled so that the middle 90% of countries span -1 to 1,
  is its position after ``tanh``: in (-1, 1), the middle 90% within about +-0.76. The
  squashing matters: the raw score grows with the number of positions a country takes, so
  the most covered countries (the USA above all) lie far out, and would be far from their
  own allies. The axis's direction is arbitrary, and set so that the country with the most
  items is on the positive side. Countries without a telling item (only positions toward
  objects nobody else took a position toward) are not placed.

For two countries A and B:

- their closeness: ``1 - |position A - position B|``, in (-1, 1]; 0 when either is not
  placed;
- ``direct``: A's items toward B and B's toward A (+1 cooperation, -1 conflict);
- ``score = (sum of direct items + w * closeness) / (direct + w)``: the pair's own relations
  and the closeness of their positions, which counts as ``w`` items, ``w`` the number of
  items of the less documented of the two (its own and those toward it, the direct ones
  included, so closeness weighs at least half; also those toward objects that place nobody):
  in a thin period the pair's own
  relations count for much, in a rich one the positions, which rest on all its items. In
  [-1, 1]; 0 when nothing tells;
- ``shared``: the third parties and issues toward which both took a position; ``evidence``:
  the direct items plus both countries' items toward the shared objects, the items that
  bear on the pair most directly (listed by :func:`alignment_evidence`).
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator, Optional

import numpy as np

from ..resources import read_table
from ..store import Store
from . import country_codes

PSEUDO = 2  # neutral pseudo-items that shrink a thin attitude toward 0
SPREAD = (5, 95)  # the percentiles of the positions scaled to -1 and 1 (around the median)
SEED = 7  # of the resamples of the articles
WIDE = 1.0  # a 95% interval wider than this (half the -1..1 scale) is not a settled result
MIN_RESAMPLED = 10  # articles with items below which resampling tells nothing (every interval None)
MIN_HOLDERS = 2  # countries that took a position toward an object for it to place them


def kind_weights(kinds: Optional[Iterable[str]] = None) -> dict[str, float]:
    """The weight of each stance kind: its precision (``data/attitude_kinds.tsv``) over that of the most
    precise kind, which counts fully; of ``kinds`` only where given (the others left out: the evaluation
    measures what a kind adds by leaving it out)."""
    precision = {row["kind"]: float(row["precision"]) for row in read_table("attitude_kinds.tsv")}
    weights = {kind: p / max(precision.values()) for kind, p in precision.items()}
    if kinds is None:
        return weights
    unknown = set(kinds) - set(weights)
    if unknown:
        raise ValueError(f"unknown stance kind(s) {', '.join(sorted(unknown))}: use {', '.join(weights)}")
    return {k: w for k, w in weights.items() if k in set(kinds)}


def attitudes(store: Store, since: Optional[str] = None, until: Optional[str] = None,
              kinds: Optional[Iterable[str]] = None) -> list[tuple[str, str, float, int]]:
    """``(country, object, sum of the items' values, number of items)`` from the stances (of ``kinds``; None: all) of
    articles dated between ``since`` and ``until`` (both None: all articles, undated ones included)."""
    return store.attitudes(country_codes(), kind_weights(kinds), since, until)


def attitude_items(store: Store, since: Optional[str] = None, until: Optional[str] = None,
                   kinds: Optional[Iterable[str]] = None) -> list[tuple[str, str, str, float]]:
    """The items themselves, ``(article_id, country, object, value in [-1, 1])``, that :func:`attitudes` sums."""
    return store.attitude_items(country_codes(), kind_weights(kinds), since, until)


def positions(store: Store, since: Optional[str] = None, until: Optional[str] = None,
              kinds: Optional[Iterable[str]] = None) -> dict[str, float]:
    """Each placed country's position on the main line of disagreement (see the module's docstring)."""
    return place(attitudes(store, since, until, kinds))


def place(rows: list[tuple[str, str, float, int]]) -> dict[str, float]:
    """Positions from :func:`attitudes` rows."""
    holders = Counter(x for _, x, *_ in rows)
    rows = [r for r in rows if holders[r[1]] >= MIN_HOLDERS]
    countries = sorted({a for a, *_ in rows} | {x for _, x, *_ in rows if x in country_codes()})
    objects = sorted({x for _, x, *_ in rows} | set(countries))
    row = {c: i for i, c in enumerate(countries)}
    column = {x: j for j, x in enumerate(objects)}
    matrix = np.zeros((len(countries), len(objects)))
    seen = np.zeros(matrix.shape, dtype=bool)
    cells = [(a, x, total / (n + PSEUDO)) for a, x, total, n in rows] + [(c, c, 1.0) for c in countries]
    for a, x, value in cells:
        matrix[row[a], column[x]] = value
        seen[row[a], column[x]] = True
    mean = matrix.sum(axis=0) / seen.sum(axis=0)
    centred = np.where(seen, matrix - mean, 0.0)
    telling = np.abs(centred).max(axis=1, initial=0.0) > 1e-9
    if not telling.any():
        return {}
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    axis = u[:, 0] * s[0]
    lo, mid, hi = np.percentile(axis[telling], [SPREAD[0], 50, SPREAD[1]])
    if hi - lo < 1e-9:
        return {}
    axis = np.tanh((axis - mid) / ((hi - lo) / 2))
    busiest = int(np.argmax(seen.sum(axis=1) + seen[:, [column[c] for c in countries]].sum(axis=0)))
    if axis[busiest] < 0:
        axis = -axis
    return {c: round(float(axis[i]), 4) + 0.0 for c, i in row.items() if telling[i]}  # + 0.0: no -0.0


def resampled_attitudes(items: list[tuple[str, str, str, float]], weights: dict[str, int]
                        ) -> list[tuple[str, str, float, int]]:
    """:func:`attitudes` rows from attitude items ``(article_id, country, object, value)`` with each
    article counted ``weights[article_id]`` times (0 or absent: left out), as a bootstrap draws them."""
    totals: dict[tuple[str, str], list[float]] = {}
    for article, a, x, v in items:
        w = weights.get(article, 0)
        if w:
            cell = totals.setdefault((a, x), [0.0, 0])
            cell[0] += w * v
            cell[1] += w
    return [(a, x, total, n) for (a, x), (total, n) in sorted(totals.items())]


def resamples(items: list[tuple[str, str, str, float]], n: int, seed: int = SEED,
              ids: Optional[list[str]] = None) -> Iterator[list[tuple[str, str, float, int]]]:
    """The :func:`attitudes` rows of ``n`` resamples of the articles ``ids`` (default: those of the
    ``items``), drawn with replacement (seeded), from attitude items ``(article_id, country, object, v)``."""
    ids = sorted({item[0] for item in items}) if ids is None else ids
    rng = np.random.default_rng(seed)
    for _ in range(n):
        yield resampled_attitudes(items, Counter(ids[k] for k in rng.integers(0, len(ids), len(ids))))


def resampled(store: Store, since: Optional[str], until: Optional[str], n: int, seed: int,
              kinds: Optional[Iterable[str]]) -> Iterator[list[tuple[str, str, float, int]]]:
    """The attitude rows of ``n`` resamples of the period's articles with items (:func:`resamples`); none
    where fewer than ``MIN_RESAMPLED`` articles hold items: a resample of one article is that article
    again, and would look certain."""
    items = attitude_items(store, since, until, kinds)
    return resamples(items, n, seed) if len({item[0] for item in items}) >= MIN_RESAMPLED else iter(())


def pair_intervals(store: Store, since: Optional[str] = None, until: Optional[str] = None, n: int = 100,
                   seed: int = SEED, kinds: Optional[Iterable[str]] = None) -> dict[tuple[str, str], list[float]]:
    """Each pair's 95% interval of its score over ``n`` resamples of the articles (a pair without evidence
    in a resample scores 0 there); none where :func:`resampled` draws none."""
    scores: dict[tuple[str, str], list[float]] = {}
    for rows in resampled(store, since, until, n, seed, kinds):
        for row in pair_scores(store, rows, min_evidence=0):
            scores.setdefault((row["a"], row["b"]), []).append(row["score"])
    return {pair: spread(values + [0.0] * (n - len(values))) for pair, values in scores.items()}


def position_intervals(store: Store, since: Optional[str] = None, until: Optional[str] = None, n: int = 100,
                       seed: int = SEED, kinds: Optional[Iterable[str]] = None) -> dict[str, Optional[list[float]]]:
    """Each country's 95% interval of its position over ``n`` resamples of the articles (None where it is
    placed in fewer than half of them); none where :func:`resampled` draws none."""
    places: dict[str, list[float]] = {}
    for rows in resampled(store, since, until, n, seed, kinds):
        for country, p in place(rows).items():
            places.setdefault(country, []).append(p)
    return {c: spread(values) if 2 * len(values) >= n else None for c, values in places.items()}


def spread(values: list[float]) -> list[float]:
    """The 2.5th and 97.5th percentiles."""
    return [round(float(v), 4) + 0.0 for v in np.percentile(values, [2.5, 97.5])]


def settled(interval: Optional[list[float]]) -> bool:
    """Whether an interval is narrow enough (at most ``WIDE``) for its score or position to be a result."""
    return interval is not None and interval[1] - interval[0] <= WIDE


def closeness(p: Optional[float], q: Optional[float]) -> float:
    """How close two positions are: ``1 - |p - q|``, in (-1, 1]; 0 when either is None (not placed)."""
    return 0.0 if p is None or q is None else 1.0 - abs(p - q)


def alignment(store: Store, since: Optional[str] = None, until: Optional[str] = None,
              country: Optional[str] = None, min_evidence: int = 1, kinds: Optional[Iterable[str]] = None,
              bootstrap: int = 0) -> list[dict]:
    """Rows ``{a, b, score, evidence, direct, shared}`` for every pair of countries (a < b) with at
    least ``min_evidence`` evidence items (0: every pair of placed countries too), from the stances
    of articles dated between ``since`` and ``until`` (both None: all articles, undated ones
    included); ``country`` keeps its pairs; ``kinds``: the stance kinds taken (None: all). With
    ``bootstrap`` N, each row also has ``interval`` (95%, over N resamples of the articles: see
    :func:`pair_intervals`) and ``settled``."""
    rows = pair_scores(store, attitudes(store, since, until, kinds), country, min_evidence)
    if bootstrap:
        intervals = pair_intervals(store, since, until, bootstrap, kinds=kinds)
        for row in rows:
            row["interval"] = intervals.get((row["a"], row["b"]))
            row["settled"] = settled(row["interval"])
    return rows


def pair_scores(store: Store, rows: list[tuple[str, str, float, int]], country: Optional[str] = None,
                min_evidence: int = 1) -> list[dict]:
    """:func:`alignment` from :func:`attitudes` rows (those of a resample of the articles, say)."""
    found = store.pair_counts(rows, country_codes())
    place_of = place(rows)
    placing: Counter[str] = Counter()  # the items of each country: its own and those toward it
    for a, x, _, n in rows:
        placing[a] += n
        placing[x] += n
    if min_evidence <= 0:
        placed = sorted(place_of)
        found.update({(a, b): (0, 0, 0, 0.0) for i, a in enumerate(placed) for b in placed[i + 1:]
                      if (a, b) not in found})
    code = country.upper() if country else None
    result = []
    for (a, b), (ev, d, m, ds) in sorted(found.items()):
        if ev >= min_evidence and (code is None or code in (a, b)):
            weight = min(placing[a], placing[b]) if a in place_of and b in place_of else 0
            score = (ds + weight * closeness(place_of.get(a), place_of.get(b))) / max(d + weight, 1)
            result.append({"a": a, "b": b, "score": round(score, 4), "evidence": ev, "direct": d, "shared": m})
    return result


def alignment_evidence(store: Store, a: str, b: str, since: Optional[str] = None, until: Optional[str] = None,
                       limit: int = 200) -> list[dict]:
    """The article-level items behind the alignment of ``a`` and ``b``: rows ``{article_id, holder,
    object, polarity, value, kind}`` with kind ``direct`` or ``shared``, each traceable to the article's
    stances (and their evidence sentences)."""
    return store.alignment_items(country_codes(), kind_weights(), a.upper(), b.upper(), since, until, limit)
