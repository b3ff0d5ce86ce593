"""Coalitions: blocs of countries that stand together, per period.

The alignment scores of a period (:mod:`.alignment`) make a signed graph of countries;
blocs are its communities by signed community detection (the spinglass method of
Reichardt & Bornholdt with negative links, Traag & Bruggeman 2009; python-igraph),
run on each connected part, seeded so that a rerun gives the same blocs. A bloc is a
community of at least two countries; its evidence is the number of items behind the
alignment scores among its members. Its stability is the best Jaccard overlap of its
members with a bloc of the previous period (None in the first period). How firmly a country
belongs to its bloc is measured on demand by resampling the articles (:func:`membership`).
"""
from __future__ import annotations

import random
from datetime import date
from typing import Optional

import igraph

from ..store import Store
from .alignment import SEED, attitude_items, attitudes, pair_scores, resamples

PERIODS = ("all", "year", "quarter", "month")


def blocs(pairs: list[dict], seed: int = SEED) -> list[dict]:
    """Blocs ``{members, evidence}`` of the signed graph of alignment rows ``{a, b, score, evidence}``,
    largest first."""
    pairs = [p for p in pairs if p["score"] != 0]
    nodes = sorted({p["a"] for p in pairs} | {p["b"] for p in pairs})
    if not nodes:
        return []
    index = {n: i for i, n in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[p["a"]], index[p["b"]]) for p in pairs])
    graph.vs["name"] = nodes
    graph.es["weight"] = [p["score"] for p in pairs]
    igraph.set_random_number_generator(random.Random(seed))
    try:
        groups = []
        for part in graph.connected_components():
            sub = graph.subgraph(part)
            if sub.vcount() < 3:  # two countries: one bloc if they align, none if they oppose
                if sub.ecount() and sub.es[0]["weight"] > 0:
                    groups.append(sub.vs["name"])
                continue
            found = sub.community_spinglass(weights="weight", implementation="negative", spins=min(25, sub.vcount()))
            groups += [[sub.vs[i]["name"] for i in community] for community in found]
    finally:
        igraph.set_random_number_generator(random)
    result = []
    for members in groups:
        if len(members) < 2:
            continue
        inside = set(members)
        evidence = sum(p["evidence"] for p in pairs if p["a"] in inside and p["b"] in inside)
        result.append({"members": sorted(members), "evidence": evidence})
    return sorted(result, key=lambda b: (-len(b["members"]), -b["evidence"], b["members"]))


Period = tuple[str, Optional[str], Optional[str]]  # label, first day, last day


def periods(store: Store, every: str, since: Optional[str], until: Optional[str]) -> list[Period]:
    """(label, first day, last day) of each period between ``since`` and ``until`` that has dated articles;
    ``every="all"`` is one period (undated articles included when no bound is given)."""
    if every not in PERIODS:
        raise ValueError(f"every must be one of {', '.join(PERIODS)}, not {every!r}")
    if every == "all":
        return [("all" if not (since or until) else f"{since or 'start'}..{until or 'end'}", since, until)]
    first, last = store.article_dates(since, until)
    if first is None:
        return []
    months = {"year": 12, "quarter": 3, "month": 1}[every]
    result = []
    start = date(first.year, (first.month - 1) // months * months + 1, 1)
    while start <= last:
        month = start.month - 1 + months
        nxt = date(start.year + month // 12, month % 12 + 1, 1)
        end = date.fromordinal(nxt.toordinal() - 1)
        label = {"year": f"{start.year}", "quarter": f"{start.year}-Q{(start.month - 1) // 3 + 1}",
                 "month": f"{start:%Y-%m}"}[every]
        lo = max(start, date.fromisoformat(since)) if since else start
        hi = min(end, date.fromisoformat(until)) if until else end
        result.append((label, lo.isoformat(), hi.isoformat()))
        start = nxt
    return result


def coalitions(store: Store, since: Optional[str] = None, until: Optional[str] = None, every: str = "all",
               min_evidence: int = 1, bootstrap: int = 0, seed: int = SEED) -> list[dict]:
    """Blocs ``{members, period, since, until, evidence, stability}`` of each period, in period order,
    from the pairs with at least ``min_evidence`` items; a bloc whose members' pairs hold fewer items
    together (a community joined through countries outside it) is left out. With ``bootstrap`` N, each
    bloc also has ``membership``: per member, the share of N resamples of the period's articles in
    which it lands in that bloc (see :func:`membership`)."""
    result: list[dict] = []
    previous: Optional[list[set[str]]] = None  # the blocs of the period before (None: first period)
    for label, lo, hi in periods(store, every, since, until):
        rows = attitudes(store, lo, hi)
        found = period_blocs(store, rows, min_evidence)
        shares = membership(store, found, lo, hi, min_evidence, bootstrap, seed) if bootstrap and found else None
        for k, bloc in enumerate(found):
            members = set(bloc["members"])
            stability = (None if previous is None else
                         round(max((len(members & p) / len(members | p) for p in previous), default=0.0), 3))
            result.append({"members": bloc["members"], "period": label, "since": lo, "until": hi,
                           "evidence": bloc["evidence"], "stability": stability,
                           **({"membership": shares[k]} if shares is not None else {})})
        previous = [set(b["members"]) for b in found]
    return result


def period_blocs(store: Store, rows: list[tuple[str, str, float, int]], min_evidence: int) -> list[dict]:
    """The blocs of a period's :func:`~.alignment.attitudes` rows that hold ``min_evidence`` items."""
    return [b for b in blocs(pair_scores(store, rows, min_evidence=min_evidence)) if b["evidence"] >= min_evidence]


def membership(store: Store, found: list[dict], since: Optional[str], until: Optional[str], min_evidence: int,
               n: int, seed: int = SEED) -> list[dict[str, float]]:
    """For each bloc of ``found`` and each of its members, the share of ``n`` resamples in which the member
    lands in that bloc: the period's articles with attitude items are drawn with replacement (seeded),
    the blocs found again, and the bloc of a resample that overlaps the original most (Jaccard) is
    its counterpart; a member counts when it is in the counterpart."""
    hits = [dict.fromkeys(b["members"], 0) for b in found]
    for rows in resamples(attitude_items(store, since, until), n, seed):
        drawn = [set(b["members"]) for b in period_blocs(store, rows, min_evidence)]
        for bloc, counts in zip(found, hits, strict=True):
            members = set(bloc["members"])
            match = max(drawn, key=lambda d: len(d & members) / len(d | members), default=set())
            for member in members & match:
                counts[member] += 1
    return [{member: round(k / n, 3) for member, k in counts.items()} for counts in hits]
