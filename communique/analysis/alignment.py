"""Country alignment: how far two countries stand together, and the evidence behind it.

The evidence is the stored stances (each already weighs the article's events, verbs of
support and opposition toward issues, and the stance classifier; see
:mod:`communique.stances`), taken per article: in one article, country A's attitude to an
object X (another country, or an issue) is the sign of the polarities of A's actors
toward X's actors. For two countries A and B:

- direct items: A's attitudes to B and B's to A (+1 cooperation, -1 conflict);
- shared objects: each third party or issue toward which both have taken a position (the
  sign of the sum of their items), +1 when the positions agree, -1 when they differ;
- ``score = (sum of direct items + sum of shared agreements) / (items + objects + 2)``: in
  (-1, 1), shrunk toward 0 when thin (two pseudo-items of 0);
- ``evidence``: the article-level items behind the score (direct items, plus both
  countries' items toward the shared objects).
"""
from __future__ import annotations

from typing import Optional

from ..store import date_filter
from . import countries_table

PSEUDO = 2  # neutral pseudo-items that shrink thin scores toward 0
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


def alignment(con, since: Optional[str] = None, until: Optional[str] = None,
              country: Optional[str] = None, min_evidence: int = 1) -> list[dict]:
    """Rows ``{a, b, score, evidence, direct, shared}`` for every pair of countries (a < b) with at
    least ``min_evidence`` items, from the stances of articles dated between ``since`` and
    ``until`` (both None: all articles, undated ones included); ``country`` keeps its pairs."""
    items, params = _items_sql(since, until)
    sql = f"""
        WITH items AS ({items}),
        pos AS (SELECT a, x, sign(sum(v)) AS p, count(*) AS n FROM items GROUP BY ALL HAVING sign(sum(v)) <> 0),
        direct AS (
            SELECT least(a, x) AS a, greatest(a, x) AS b, sum(v) AS s, count(*) AS n FROM items
            WHERE x IN (SELECT code FROM alignment_countries) GROUP BY ALL),
        shared AS (
            SELECT p1.a AS a, p2.a AS b, sum(p1.p * p2.p) AS s, count(*) AS m, sum(p1.n + p2.n) AS n
            FROM pos p1 JOIN pos p2 ON p1.x = p2.x AND p1.a < p2.a
            WHERE p1.x <> p2.a AND p2.x <> p1.a GROUP BY ALL)
        SELECT a, b,
               (COALESCE(d.s, 0) + COALESCE(sh.s, 0)) / (COALESCE(d.n, 0) + COALESCE(sh.m, 0) + {PSEUDO}) AS score,
               COALESCE(d.n, 0) + COALESCE(sh.n, 0) AS evidence,
               COALESCE(d.n, 0) AS direct, COALESCE(sh.m, 0) AS shared
        FROM direct d FULL JOIN shared sh USING (a, b)
        WHERE COALESCE(d.n, 0) + COALESCE(sh.n, 0) >= ? {"AND (a = ? OR b = ?)" if country else ""}
        ORDER BY a, b"""
    params = params + [min_evidence] + ([country.upper()] * 2 if country else [])
    with countries_table(con, "alignment_countries"):
        rows = con.execute(sql, params).fetchall()
    return [{"a": a, "b": b, "score": round(score, 4), "evidence": int(ev), "direct": int(d), "shared": int(m)}
            for a, b, score, ev, d, m in rows]


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
