"""Dyad series: how one country acts toward another over time.

A dyad is a directed pair (source country, target country) of stored events. Per period
(day, week or month, by the event's date: the article's unless the text dates the event)
it gets the number of events, of each quad class (1 verbal
cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict) and of each
PLOVER type, the Goldstein sum and mean, and a shrunk mean (the sum over ``n + SHRINK``:
a dyad with one event of +7 does not outrank one with forty events averaging +5).
"""
from __future__ import annotations

from typing import Optional

import pyarrow as pa

from ..store import Store

FREQUENCIES = ("day", "week", "month")
SHRINK = 5  # pseudo-events at Goldstein 0 added to every period's mean


def dyad_series(store: Store, source: Optional[str] = None, target: Optional[str] = None, freq: str = "month",
                since: Optional[str] = None, until: Optional[str] = None, both_ways: bool = False,
                events: Optional[pa.Table] = None) -> list[dict]:
    """Rows ``{source, target, period, events, quad1..quad4, goldstein_sum, goldstein_mean,
    goldstein_shrunk, types}`` ordered by dyad and period; ``types`` maps PLOVER types to counts.

    ``source``/``target`` (ISO3) select dyads; ``both_ways`` adds the reverse dyad of the pair.
    Undated events fall in period None, listed after the dated ones. ``events``: a subset of the
    events table to read instead of all of it (rows of :meth:`Store.events_table`)."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}, not {freq!r}")
    counts = store.dyad_counts(freq, source, target, since, until, both_ways, events)
    series: dict[tuple, dict] = {}
    for src, tgt, period, type_, quad, n, goldstein in counts:
        row = series.setdefault((src, tgt, period), {
            "source": src, "target": tgt, "period": period.isoformat() if period else None, "events": 0,
            "quad1": 0, "quad2": 0, "quad3": 0, "quad4": 0, "goldstein_sum": 0.0, "types": {}})
        row["events"] += n
        if quad in (1, 2, 3, 4):
            row[f"quad{quad}"] += n
        row["goldstein_sum"] += goldstein
        row["types"][type_] = row["types"].get(type_, 0) + n
    rows = [series[k] for k in sorted(series, key=lambda k: (k[0], k[1], k[2] is None, k[2] or 0))]
    for row in rows:
        row["types"] = dict(sorted(row["types"].items()))
        row["goldstein_mean"] = round(row["goldstein_sum"] / row["events"], 3)
        row["goldstein_shrunk"] = round(row["goldstein_sum"] / (row["events"] + SHRINK), 3)
        row["goldstein_sum"] = round(row["goldstein_sum"], 3)
    return rows
