"""Event counts over time: one row per key (a country, a directed dyad, an event type, or all events)
and period (day, week, month or year), every period of the range present (zeros where nothing
happened), with counts per quad class and the Goldstein sum and mean.

An event counts in a period only when its date is at least as precise as the period: an event dated
to a year only ("in 2019") counts in yearly series, not in January's. A country series counts an
event for its source's country and for its target's (once where both are the same).
"""
from __future__ import annotations

from datetime import date
from typing import Optional

import pandas as pd

FREQS = ("day", "week", "month", "year")
BY = ("country", "dyad", "type", "all")
PANDAS_FREQ = {"day": "D", "week": "W-MON", "month": "MS", "year": "YS"}  # periods as date_trunc starts them
QUADS = (1, 2, 3, 4)  # verbal cooperation, material cooperation, verbal conflict, material conflict
KEY_COLUMNS = {"country": ["country"], "dyad": ["source", "target"], "type": ["type"], "all": []}
COLUMNS = ["period", "events", *(f"quad{q}" for q in QUADS), "goldstein_sum", "goldstein_mean"]


def truncate(day: date, freq: str) -> pd.Timestamp:
    """The first day of the ``freq`` period ``day`` falls in (weeks start on Monday, as in DuckDB)."""
    stamp = pd.Timestamp(day)
    return {"day": stamp, "week": stamp - pd.Timedelta(days=stamp.weekday()), "month": stamp.replace(day=1),
            "year": stamp.replace(month=1, day=1)}[freq]


def series(store, by: str = "country", freq: str = "month", since: Optional[str] = None,
           until: Optional[str] = None, **filters) -> pd.DataFrame:
    """The event series of ``store`` by ``by`` per ``freq`` over the events its
    :meth:`~communique.store.queries.Queries.events` selects with ``filters`` and ``since``/``until``
    (the range: from ``since``, else the first period with events, to ``until``, else the last).
    Columns: the key's (``country``; ``source``, ``target``; ``type``; none for ``all``), then
    ``period`` (its first day), ``events``, ``quad1``..``quad4``, ``goldstein_sum`` and
    ``goldstein_mean`` (empty where there are no events)."""
    if by not in BY:
        raise ValueError(f"series by {by!r}: by one of {', '.join(BY)}")
    if freq not in FREQS:
        raise ValueError(f"series per {freq!r}: per one of {', '.join(FREQS)}")
    rows = store.series_counts(by, freq, since=since, until=until, **filters)
    keys = KEY_COLUMNS[by]
    if not rows:
        return pd.DataFrame(columns=keys + COLUMNS)
    raw = pd.DataFrame(rows, columns=["key", "period", "quad", "events", "goldstein_sum"])
    raw["period"] = pd.to_datetime(raw["period"])
    wide = raw.pivot_table(index=["key", "period"], columns="quad", values="events", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(QUADS), fill_value=0).rename(columns=lambda q: f"quad{q}")
    sums = raw.groupby(["key", "period"])[["events", "goldstein_sum"]].sum()
    first = truncate(date.fromisoformat(since), freq) if since else raw["period"].min()
    last = truncate(date.fromisoformat(until), freq) if until else raw["period"].max()
    periods = pd.date_range(first, last, freq=PANDAS_FREQ[freq])
    full = pd.MultiIndex.from_product([sorted(raw["key"].unique()), periods], names=["key", "period"])
    table = sums.join(wide).reindex(full, fill_value=0).reset_index()
    table["goldstein_mean"] = (table["goldstein_sum"] / table["events"]).where(table["events"] > 0)
    table["period"] = table["period"].dt.date
    if by == "dyad":
        table[["source", "target"]] = table["key"].str.split(">", expand=True).replace("-", None)
    elif keys:
        table[keys[0]] = table["key"]
    return table[keys + COLUMNS].astype({c: "int64" for c in COLUMNS[1:6]})
