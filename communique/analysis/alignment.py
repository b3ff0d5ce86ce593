"""Country alignment: how far two countries stand together, and the evidence behind it.

The evidence is the stored stances (each already weighs the article's events, verbs of
support and opposition toward issues, and the stance classifier; see
:mod:`communique.stances`), taken per article: in one article, country A's attitude to an
object X (another country, an organisation, or an issue) is the sign of the polarities of
A's actors toward X's actors: one item.

Countries are placed on one axis by their positions, as roll-call votes place legislators
(a news counterpart of UN ideal points):

- the attitude matrix: a row per country, a column per object; a cell is the mean of the
  country's items toward the object, shrunk toward 0 by ``PSEUDO`` neutral items; a country
  stands fully with itself (its own cell is 1), so that who is for or against it places it;
- each column is centred on the mean of the countries that took a position toward its
  object: agreeing that X is a partner says nothing when everyone does;
- a country's score on the first singular vector of the centred matrix (the main line of
  disagreement), set to median 0 and scaled so that the middle 90% of countries span -1 to 1,
  is its position after ``tanh``: in (-1, 1), the middle 90% within about +-0.76. The
  squashing matters: the raw score grows with the number of positions a country takes, so
  the most covered countries (the USA above all) lie far out, and would be far from their
  own allies. The axis's direction is arbitrary, and set so that the country with the most
  items is on the positive side. Countries without a telling item (only positions nobody
  else took) are not placed.

For two countries A and B:

- their closeness: ``1 - |position A - position B|``, in (-1, 1]; 0 when either is not
  placed;
- ``direct``: A's items toward B and B's toward A (+1 cooperation, -1 conflict);
- ``score = (sum of direct items + w * closeness) / (direct + w)``: the pair's own relations
  and the closeness of their positions, which counts as ``w`` items, ``w`` the number of
  items that place the less documented of the two (its own and those toward it, the direct
  ones included, so closeness weighs at least half): in a thin period the pair's own
  relations count for much, in a rich one the positions, which rest on all its items. In
  [-1, 1]; 0 when nothing tells;
- ``shared``: the third parties and issues toward which both took a position; ``evidence``:
  the direct items plus both countries' items toward the shared objects, the items that
  bear on the pair most directly (listed by :func:`alignment_evidence`).
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

import numpy as np
import pyarrow as pa

from ..store import date_filter
from . import country_codes, countries_table, registered

PSEUDO = 2  # neutral pseudo-items that shrink a thin attitude toward 0
SPREAD = (5, 95)  # the percentiles of the positions scaled to -1 and 1 (around the median)
ARTICLE_DATE = "TRY_CAST(ar.date AS DATE)"


def _items_sql(since: Optional[str], until: Optional[str]) -> tuple[str, list]:
    where, params = date_filter(ARTICLE_DATE, since, until)
    where = ["s.holder_country IN (SELECT code FROM alignment_countries)",
             "(s.target_country IS NOT NULL OR s.issue IS NOT NULL)",
             "s.holder_country IS DISTINCT FROM s.target_country"] + where
    sql = f"""
        SELECT s.article_id, s.holder_country AS a, COALESCE(s.target_country, 'issue:' || s.issue) AS x,
               sign(sum(s.polarity)) AS v
        FROM stances s JOIN articles ar ON ar.id = s.article_id
        WHERE {" AND ".join(where)}
        GROUP BY ALL HAVING sign(sum(s.polarity)) <> 0"""
    return sql, params


def attitudes(con, since: Optional[str] = None, until: Optional[str] = None) -> list[tuple[str, str, int, int]]:
    """``(country, object, sum of items, number of items)`` from the stances of articles dated between
    ``since`` and ``until`` (both None: all articles, undated ones included)."""
    items, params = _items_sql(since, until)
    with countries_table(con, "alignment_countries"):
        return con.execute(f"SELECT a, x, sum(v), count(*) FROM ({items}) GROUP BY ALL ORDER BY a, x",
                           params).fetchall()


def positions(con, since: Optional[str] = None, until: Optional[str] = None) -> dict[str, float]:
    """Each placed country's position on the main line of disagreement (see the module's docstring)."""
    return place(attitudes(con, since, until))


def place(rows: list[tuple[str, str, int, int]]) -> dict[str, float]:
    """Positions from :func:`attitudes` rows."""
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


def closeness(p: Optional[float], q: Optional[float]) -> float:
    """How close two positions are: ``1 - |p - q|``, in (-1, 1]; 0 when either is None (not placed)."""
    return 0.0 if p is None or q is None else 1.0 - abs(p - q)


def alignment(con, since: Optional[str] = None, until: Optional[str] = None,
              country: Optional[str] = None, min_evidence: int = 1) -> list[dict]:
    """Rows ``{a, b, score, evidence, direct, shared}`` for every pair of countries (a < b) with at
    least ``min_evidence`` evidence items (0: every pair of placed countries too), from the stances
    of articles dated between ``since`` and ``until`` (both None: all articles, undated ones
    included); ``country`` keeps its pairs."""
    rows = attitudes(con, since, until)
    table = pa.table({"a": pa.array([r[0] for r in rows], pa.string()), "x": pa.array([r[1] for r in rows], pa.string()),
                      "total": pa.array([r[2] for r in rows], pa.int64()),
                      "n": pa.array([r[3] for r in rows], pa.int64())})
    sql = """
        WITH pos AS (SELECT a, x, n FROM alignment_attitudes WHERE total <> 0),
        direct AS (
            SELECT least(a, x) AS a, greatest(a, x) AS b, sum(total) AS s, sum(n) AS n FROM alignment_attitudes
            WHERE x IN (SELECT code FROM alignment_countries) GROUP BY ALL),
        shared AS (
            SELECT p1.a AS a, p2.a AS b, count(*) AS m, sum(p1.n + p2.n) AS n
            FROM pos p1 JOIN pos p2 ON p1.x = p2.x AND p1.a < p2.a
            WHERE p1.x <> p2.a AND p2.x <> p1.a GROUP BY ALL)
        SELECT a, b, COALESCE(d.n, 0) + COALESCE(sh.n, 0) AS evidence, COALESCE(d.n, 0) AS direct,
               COALESCE(sh.m, 0) AS shared, COALESCE(d.s, 0) AS direct_sum
        FROM direct d FULL JOIN shared sh USING (a, b)"""
    with registered(con, "alignment_attitudes", table), countries_table(con, "alignment_countries"):
        found = {(a, b): (int(ev), int(d), int(m), float(ds)) for a, b, ev, d, m, ds in con.execute(sql).fetchall()}
    place_of = place(rows)
    placing: Counter[str] = Counter()  # the items that place each country: its own and those toward it
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


def alignment_evidence(con, a: str, b: str, since: Optional[str] = None, until: Optional[str] = None,
                       limit: int = 200) -> list[dict]:
    """The article-level items behind the alignment of ``a`` and ``b``: rows ``{article_id, holder,
    object, polarity, kind}`` with kind ``direct`` or ``shared``, each traceable to the article's
    stances (and their evidence sentences)."""
    items, params = _items_sql(since, until)
    a, b = a.upper(), b.upper()
    sql = f"""
        WITH items AS ({items}),
        shared_x AS (SELECT x FROM items WHERE a = ? AND x NOT IN (?, ?)
                     INTERSECT SELECT x FROM items WHERE a = ? AND x NOT IN (?, ?))
        SELECT article_id, a AS holder, x AS object, CAST(v AS INTEGER) AS polarity,
               CASE WHEN x IN (?, ?) THEN 'direct' ELSE 'shared' END AS kind
        FROM items
        WHERE (a = ? AND x = ?) OR (a = ? AND x = ?)
           OR (a IN (?, ?) AND x IN (SELECT x FROM shared_x))
        ORDER BY kind, object, holder, article_id LIMIT ?"""
    params = params + [a, a, b, b, a, b, a, b, a, b, b, a, a, b, int(limit)]
    with countries_table(con, "alignment_countries"):
        cur = con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
