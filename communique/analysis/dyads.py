"""Dyad series: how one country acts toward another over time.

A dyad is a directed pair (source country, target country) of stored events. Per period
(day, week or month) it gets the number of events, of each quad class (1 verbal
cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict) and of each
PLOVER type, the Goldstein sum and mean, and a shrunk mean (the sum over ``n + SHRINK``:
a dyad with one event of +7 does not outrank one with forty events averaging +5).
"""
from __future__ import annotations

from typing import Optional

from . import period_filter

FREQUENCIES = ("day", "week", "month")
SHRINK = 5  # pseudo-events at Goldstein 0 added to every period's mean
EVENT_DATE = "TRY_CAST(COALESCE(e.date, a.date) AS DATE)"


def dyad_series(con, source: Optional[str] = None, target: Optional[str] = None, freq: str = "month",
                since: Optional[str] = None, until: Optional[str] = None, both_ways: bool = False) -> list[dict]:
    """Rows ``{source, target, period, events, quad1..quad4, goldstein_sum, goldstein_mean,
    goldstein_shrunk, types}`` ordered by dyad and period; ``types`` maps PLOVER types to counts.

    ``source``/``target`` (ISO3) select dyads; ``both_ways`` adds the reverse dyad of the pair.
    Events with no date (nor a dated article) fall in period None, listed after the dated ones."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}, not {freq!r}")
    where, params = period_filter(EVENT_DATE, None, None)
    where += ["e.source_country IS NOT NULL", "e.target_country IS NOT NULL",
              "e.source_country <> e.target_country"]
    pair = []
    if source:
        pair.append(("e.source_country = ?", source.upper()))
    if target:
        pair.append(("e.target_country = ?", target.upper()))
    if pair:
        cond = " AND ".join(c for c, _ in pair)
        params += [v for _, v in pair]
        if both_ways and source and target:
            cond = f"({cond}) OR (e.source_country = ? AND e.target_country = ?)"
            params += [target.upper(), source.upper()]
        where.append(f"({cond})")
    since_where, since_params = period_filter(EVENT_DATE, since, until)
    where += since_where
    params += since_params
    sql = f"""
        WITH ev AS (
            SELECT e.source_country AS source, e.target_country AS target,
                   CAST(date_trunc('{freq}', {EVENT_DATE}) AS DATE) AS period,
                   e.quad_class, e.goldstein, e.type
            FROM events e JOIN articles a ON a.id = e.article_id
            WHERE {" AND ".join(where)}),
        types AS (
            SELECT source, target, period, map(list(type ORDER BY type), list(n ORDER BY type)) AS types
            FROM (SELECT source, target, period, type, count(*) AS n FROM ev GROUP BY ALL)
            GROUP BY ALL)
        SELECT ev.source, ev.target, ev.period, count(*) AS events,
               count(*) FILTER (WHERE quad_class = 1) AS quad1, count(*) FILTER (WHERE quad_class = 2) AS quad2,
               count(*) FILTER (WHERE quad_class = 3) AS quad3, count(*) FILTER (WHERE quad_class = 4) AS quad4,
               sum(goldstein) AS goldstein_sum, avg(goldstein) AS goldstein_mean,
               sum(goldstein) / (count(*) + {SHRINK}) AS goldstein_shrunk, any_value(t.types) AS types
        FROM ev JOIN types t ON t.source = ev.source AND t.target = ev.target
             AND t.period IS NOT DISTINCT FROM ev.period
        GROUP BY ev.source, ev.target, ev.period
        ORDER BY ev.source, ev.target, ev.period NULLS LAST"""
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    for row in rows:
        row["period"] = row["period"].isoformat() if row["period"] else None
        row["types"] = dict(row["types"])
        for key in ("goldstein_sum", "goldstein_mean", "goldstein_shrunk"):
            row[key] = round(row[key], 3)
    return rows
