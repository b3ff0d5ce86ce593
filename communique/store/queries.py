"""The read side of the store: every query that reads a stored database, by name.

:class:`Queries` is mixed into :class:`communique.store.Store`, so a store (or a cursor of
one) answers them; the API, the report, the analysis and the evaluation call these methods
and hold no SQL of their own, so a change of the schema is made here. Every value reaches
SQL as a parameter; the few names spliced into the text (tables, columns, orders) are this
module's own constants or the caller's code, never a request's.

Methods that take ``countries`` register that set of codes as a temporary table for the
query (the analysis passes :func:`communique.analysis.country_codes`).
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date
from typing import Iterable, Iterator, Mapping, Optional

import duckdb
import pyarrow as pa

LISTING_ORDER = "date DESC NULLS LAST, article_id, event_no"  # the API's listing of events: newest first
EVENT_COLUMNS = "* EXCLUDE (reason), reason"  # the events' columns as listed (reason last)
TABLES = ("articles", "events", "quotes", "stances", "failures", "duplicates")
Pair = tuple[str, str]
PRECISE_ENOUGH = {"day": ("day",), "week": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}


def date_filter(date_sql: str, since: Optional[str], until: Optional[str]) -> tuple[list[str], list]:
    """SQL conditions (and their parameters) keeping ``date_sql`` between ``since`` and ``until``
    (YYYY-MM-DD, either None for no bound)."""
    where, params = [], []
    if since:
        where.append(f"{date_sql} >= CAST(? AS DATE)")
        params.append(since)
    if until:
        where.append(f"{date_sql} <= CAST(? AS DATE)")
        params.append(until)
    return where, params


def event_filter(country: Optional[str] = None, type: Optional[str] = None, source: Optional[str] = None,
                 target: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
                 text: Optional[str] = None, dyad: Optional[Pair] = None, min_confidence: Optional[float] = None,
                 dyadic: bool = False) -> tuple[list[str], list]:
    """SQL conditions (and parameters) on the events table: ``country`` as source or target; ``source``
    and ``target`` countries; ``dyad`` (a, b): between the two, either way; PLOVER ``type``; dated
    between ``since`` and ``until`` (YYYY-MM-DD: a date of month or year precision is its first day);
    ``text`` in the sentence (literally); ``min_confidence``; ``dyadic``: source and target both have a
    country and they differ. Codes in any case."""
    where, params = [], []
    if country:
        where.append("(source_country = ? OR target_country = ?)")
        params += [country.upper(), country.upper()]
    for column, value in (("source_country", source), ("target_country", target), ("type", type)):
        if value:
            where.append(f"{column} = ?")
            params.append(value.upper())
    if dyad:
        a, b = (code.upper() for code in dyad)
        where.append("((source_country = ? AND target_country = ?) OR (source_country = ? AND target_country = ?))")
        params += [a, b, b, a]
    dates, dates_params = date_filter("date", since, until)
    where += dates
    params += dates_params
    if text:
        where.append("contains(lower(sentence), lower(?))")  # literally: no LIKE wildcards
        params.append(text)
    if min_confidence is not None:
        where.append("confidence >= ?")
        params.append(float(min_confidence))
    if dyadic:
        where.append("source_country IS NOT NULL AND target_country IS NOT NULL AND source_country <> target_country")
    return where, params


def records(cursor) -> list[dict]:
    """The rows of an executed query (or a relation) as dicts by column name."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def most_frequent(values: Iterable) -> Optional[str]:
    """The most frequent value that is not None (of equals, the first given), or None."""
    counts: dict = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    return max(counts, key=counts.get, default=None)  # max keeps the first of equal counts


class Queries:
    """Named read queries over ``self.con``, a DuckDB connection (or cursor) to a store."""

    con: duckdb.DuckDBPyConnection

    @contextmanager
    def registered(self, name: str, table: pa.Table) -> Iterator[str]:
        """``table`` registered on the connection under ``name`` for the duration of the block."""
        self.con.register(name, table)
        try:
            yield name
        finally:
            self.con.unregister(name)

    def codes_table(self, name: str, codes: Iterable[str]):
        """``codes`` registered as the one-column (``code``) table ``name`` for the duration of the block."""
        return self.registered(name, pa.table({"code": pa.array(sorted(codes), pa.string())}))

    def sql(self, query: str, params: Optional[list] = None) -> duckdb.DuckDBPyRelation:
        """Any read-only SQL over the store's tables (``?`` parameters), as a DuckDB relation (``.df()``,
        ``.fetchall()``, ``.to_arrow_table()``)."""
        return self.con.sql(query, params=params)

    # --- listings ---------------------------------------------------------------------------------

    def select(self, table: str, where: list[str], params: list, order: Optional[str], limit: Optional[int],
               columns: str = "*", offset: int = 0) -> duckdb.DuckDBPyRelation:
        """``SELECT columns FROM table WHERE ... ORDER BY order LIMIT limit OFFSET offset``; values only
        as parameters."""
        sql = f"SELECT {columns} FROM {table}" + (" WHERE " + " AND ".join(where) if where else "")
        if order:
            sql += f" ORDER BY {order}"
        if limit:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f" OFFSET {int(offset)}"
        return self.con.sql(sql, params=params)

    def events(self, country: Optional[str] = None, type: Optional[str] = None, limit: Optional[int] = None,
               source: Optional[str] = None, target: Optional[str] = None, since: Optional[str] = None,
               until: Optional[str] = None, text: Optional[str] = None, offset: int = 0,
               order: Optional[str] = "article_id, event_no", dyad: Optional[Pair] = None,
               min_confidence: Optional[float] = None, dyadic: bool = False) -> duckdb.DuckDBPyRelation:
        """Stored events that :func:`event_filter` selects with the same keywords, in ``order``."""
        where, params = event_filter(country=country, type=type, source=source, target=target, since=since,
                                     until=until, text=text, dyad=dyad, min_confidence=min_confidence,
                                     dyadic=dyadic)
        return self.select("events", where, params, order, limit, EVENT_COLUMNS, offset)

    def count_events(self, **filters) -> int:
        """The number of stored events that :meth:`events` selects with ``filters``."""
        return self.events(**filters, order=None).aggregate("count(*)").fetchall()[0][0]

    def event_export(self, dedup: bool = False, limit: Optional[int] = None, **filters) -> pa.Table:
        """The events :meth:`events` selects with ``filters`` (oldest first, undated last), each with its
        article's ``article_title``, ``article_source`` (the outlet), ``article_url`` and ``article_date``.
        ``dedup``: one event per cluster (as the ``event_clusters`` view groups them: the same date, type,
        source and target country; an undated event is its own cluster), the most confident, with
        ``cluster_events`` and ``cluster_articles``, the events and articles the cluster counts."""
        where, params = event_filter(**filters)
        cluster = ("CASE WHEN e.date IS NULL THEN e.article_id || '#' || e.event_no ELSE concat_ws('|', e.date, "
                   "e.type, coalesce(e.source_country, '-'), coalesce(e.target_country, '-')) END")
        sql = f"""
            WITH f AS (SELECT e.*, {cluster} AS cluster FROM events e
                       {"WHERE " + " AND ".join(where) if where else ""}),
            c AS (SELECT cluster, count(*) AS cluster_events, count(DISTINCT article_id) AS cluster_articles
                  FROM f GROUP BY cluster)
            SELECT f.* EXCLUDE (cluster, reason), {"c.cluster_events, c.cluster_articles, " if dedup else ""}
                   f.reason, ar.title AS article_title, ar.source AS article_source, ar.url AS article_url,
                   ar.date AS article_date
            FROM f JOIN c USING (cluster) LEFT JOIN articles ar ON ar.id = f.article_id
            {"QUALIFY row_number() OVER (PARTITION BY f.cluster ORDER BY f.confidence DESC NULLS LAST, "
             "f.article_id, f.event_no) = 1" if dedup else ""}
            ORDER BY f.date NULLS LAST, f.article_id, f.event_no {f"LIMIT {int(limit)}" if limit else ""}"""
        return self.con.sql(sql, params=params).to_arrow_table()

    def series_counts(self, by: str, freq: str, **filters) -> list[tuple]:
        """``(key, period, quad_class, events, Goldstein sum)`` of the dated events :meth:`events` selects
        with ``filters`` whose date is as precise as ``freq`` (a year-only date counts in years only), per
        ``freq`` period (``date_trunc``'s day, week, month or year: a DATE) and ``by``: ``country`` (an
        event counts for its source's and its target's country; with a ``country`` filter, for that one
        alone), ``dyad`` (``source>target``), ``type`` or ``all``."""
        where, params = event_filter(**filters)
        where.append("date_precision IN ({})".format(", ".join(f"'{p}'" for p in PRECISE_ENOUGH[freq])))
        key = {"dyad": "coalesce(source_country, '-') || '>' || coalesce(target_country, '-')", "type": "type",
               "all": "'all'"}.get(by)
        if by == "country":  # an event counts once for its source's country, once for its target's
            sql = f"""
                SELECT country AS key, CAST(date_trunc(?, date) AS DATE) AS period, quad_class, count(*),
                       sum(coalesce(goldstein, 0))
                FROM (SELECT *, source_country AS country FROM events
                      UNION ALL SELECT *, target_country FROM events WHERE target_country IS DISTINCT FROM source_country)
                WHERE country IS NOT NULL AND {" AND ".join(where)}{" AND country = ?" if filters.get("country") else ""}
                GROUP BY ALL ORDER BY 1, 2, 3"""
            one = [filters["country"].upper()] if filters.get("country") else []
            return self.con.execute(sql, [freq, *params, *one]).fetchall()
        if key is None:
            raise ValueError(f"series by {by!r}: by country, dyad, type or all")
        sql = f"""
            SELECT {key} AS key, CAST(date_trunc(?, date) AS DATE) AS period, quad_class, count(*),
                   sum(coalesce(goldstein, 0))
            FROM events WHERE {" AND ".join(where)} GROUP BY ALL ORDER BY 1, 2, 3"""
        return self.con.execute(sql, [freq, *params]).fetchall()

    def country_counts(self, **filters) -> list[tuple[str, int]]:
        """``(country, events)``: the events :meth:`events` selects that each country takes part in (as
        source or target), most first."""
        where, params = event_filter(**filters)
        sql = f"""
            WITH f AS (SELECT source_country, target_country FROM events {"WHERE " + " AND ".join(where) if where else ""})
            SELECT country, count(*) FROM (
                SELECT source_country AS country FROM f
                UNION ALL SELECT target_country FROM f WHERE target_country IS DISTINCT FROM source_country)
            WHERE country IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1"""
        return self.con.execute(sql, params).fetchall()

    def event_places(self, limit: int = 2000, **filters) -> list[tuple]:
        """``(place, country, lat, lon, events)``: where the events :meth:`events` selects took place (those
        with coordinates), the ``limit`` busiest places."""
        where, params = event_filter(**filters)
        where += ["lat IS NOT NULL", "lon IS NOT NULL"]
        return self.con.execute(f"""
            SELECT location_name, location_country, lat, lon, count(*) FROM events WHERE {" AND ".join(where)}
            GROUP BY ALL ORDER BY 5 DESC, 1 LIMIT ?""", params + [int(limit)]).fetchall()

    def partners(self, country: str, limit: int = 10, **filters) -> list[tuple]:
        """``(partner, events, events as source, Goldstein mean)``: the countries ``country`` has most events
        with (either direction), among those :meth:`events` selects with ``filters``."""
        code = country.upper()
        where, params = event_filter(**filters, country=code, dyadic=True)
        return self.con.execute(f"""
            SELECT CASE WHEN source_country = ? THEN target_country ELSE source_country END AS partner, count(*),
                   count(*) FILTER (WHERE source_country = ?), avg(goldstein)
            FROM events WHERE {" AND ".join(where)} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?""",
                                [code, code, *params, int(limit)]).fetchall()

    def quotes(self, speaker: Optional[str] = None, country: Optional[str] = None,
               limit: Optional[int] = None, offset: int = 0) -> duckdb.DuckDBPyRelation:
        """Stored quotes, optionally of speakers whose name contains ``speaker`` or of one country."""
        where, params = [], []
        if speaker:
            where.append("speaker_name ILIKE ?")
            params.append(f"%{speaker}%")
        if country:
            where.append("speaker_country = ?")
            params.append(country.upper())
        return self.select("quotes", where, params, "article_id, quote_no", limit, offset=offset)

    def stances(self, holder: Optional[str] = None, target: Optional[str] = None,
                limit: Optional[int] = None, offset: int = 0, kind: Optional[str] = None) -> duckdb.DuckDBPyRelation:
        """Stored stances, optionally of one holder country, one target country and one kind."""
        where, params = [], []
        if kind:
            where.append("kind = ?")
            params.append(kind)
        if holder:
            where.append("holder_country = ?")
            params.append(holder.upper())
        if target:
            where.append("target_country = ?")
            params.append(target.upper())
        return self.select("stances", where, params, "article_id, stance_no", limit, offset=offset)

    def counts(self, tables: Iterable[str] = TABLES) -> dict[str, int]:
        """The number of rows of each of ``tables`` (those of :data:`TABLES`)."""
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables if t in TABLES}

    def article_ids(self) -> list[str]:
        """Every stored article's id, in order."""
        return [row[0] for row in self.con.execute("SELECT id FROM articles ORDER BY id").fetchall()]

    def article_dates(self, since: Optional[str] = None, until: Optional[str] = None
                      ) -> tuple[Optional[date], Optional[date]]:
        """The first and last article date (between ``since`` and ``until``); (None, None) when none is dated."""
        where, params = date_filter("date", since, until)
        sql = "SELECT min(date), max(date) FROM articles"
        first, last = self.con.execute(sql + (" WHERE " + " AND ".join(where) if where else ""), params).fetchall()[0]
        return first, last

    # --- one event and its evidence -----------------------------------------------------------------

    def event(self, article_id: str, event_no: int) -> Optional[dict]:
        """The event ``event_no`` of the article (its columns as :meth:`events` lists them), or None."""
        found = records(self.con.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE article_id = ? AND event_no = ?",
                                         [article_id, event_no]))
        return found[0] if found else None

    def article(self, article_id: str) -> Optional[dict]:
        """The article's ``id, title, source, date, url, input`` (not its text), or None."""
        found = records(self.con.execute("SELECT id, title, source, date, url, input FROM articles WHERE id = ?",
                                         [article_id]))
        return found[0] if found else None

    def actor_mentions(self, article_id: str, names: Iterable[str]) -> list[tuple[str, Optional[str], str]]:
        """``(name, country, mentions as JSON [[start, end], ...])`` of the article's actors called ``names``."""
        names = [n for n in names if n is not None]
        if not names:
            return []
        marks = ", ".join("?" * len(names))
        return self.con.execute(f"SELECT name, country, mentions FROM actors WHERE article_id = ? AND name IN ({marks})",
                                [article_id, *names]).fetchall()

    def learned_persons(self, min_articles: int = 1, evidence: int = 3) -> list[dict]:
        """Persons the text introduced with a role or country the tables lacked (actors with evidence),
        one per name (case and accents aside), in at least ``min_articles`` articles: the most frequent
        spelling, country, sector and role (ties: the earliest seen), the other spellings as aliases,
        the first and last date seen and up to ``evidence`` sentences (the earliest; 0: none, and the
        article texts are not read), ordered by name."""
        sentence = "substring(ar.text, x.evidence_start + 1, x.evidence_end - x.evidence_start)" if evidence else "''"
        rows = self.con.execute(
            "SELECT lower(strip_accents(x.name)) AS key, x.name, x.country, x.sector, x.role, CAST(ar.date AS VARCHAR), x.article_id, "
            f"{sentence} AS sentence FROM actors x JOIN articles ar ON ar.id = x.article_id "
            "WHERE x.kind = 'person' AND x.evidence_start IS NOT NULL AND contains(x.name, ' ') "
            "ORDER BY key, ar.date NULLS LAST, x.article_id").fetchall()
        groups: dict[str, list[tuple]] = {}
        for row in rows:
            groups.setdefault(row[0], []).append(row)
        learned = []
        for group in groups.values():
            articles = {row[6] for row in group}
            if len(articles) < min_articles:
                continue
            name = most_frequent(row[1] for row in group)
            dates = [row[5] for row in group if row[5]]
            learned.append({
                "name": name, "aliases": sorted({row[1] for row in group} - {name}),
                "country": most_frequent(row[2] for row in group), "sector": most_frequent(row[3] for row in group),
                "role": most_frequent(row[4] for row in group),
                "first_seen": min(dates, default=None), "last_seen": max(dates, default=None),
                "articles": len(articles),
                "evidence": [{"article_id": row[6], "date": row[5], "sentence": " ".join(row[7].split())}
                             for row in group[:evidence]]})
        return sorted(learned, key=lambda p: p["name"])

    def quote(self, article_id: str, quote_no: int) -> Optional[dict]:
        """The quote ``quote_no`` of the article, or None."""
        found = records(self.con.execute("SELECT * FROM quotes WHERE article_id = ? AND quote_no = ?",
                                         [article_id, quote_no]))
        return found[0] if found else None

    # --- all events at once (the API's in-memory index) ---------------------------------------------------

    def events_table(self, order: str = LISTING_ORDER) -> pa.Table:
        """Every stored event (columns as :meth:`events` lists them) in ``order``, as one Arrow table."""
        return self.con.sql(f"SELECT {EVENT_COLUMNS} FROM events ORDER BY {order}").to_arrow_table()

    def drop_cached_blocks(self) -> None:
        """Let DuckDB drop the blocks a full read left in its buffer cache (a tiny limit, then the default)."""
        self.con.execute("SET memory_limit = '64MB'")
        self.con.execute("RESET memory_limit")

    # --- dyads -------------------------------------------------------------------------------------

    def dyad_counts(self, freq: str, source: Optional[str] = None, target: Optional[str] = None,
                    since: Optional[str] = None, until: Optional[str] = None, both_ways: bool = False,
                    events: Optional[pa.Table] = None) -> list[tuple]:
        """``(source, target, period, type, quad_class, events, Goldstein sum)`` of the events between two
        different countries, per ``freq`` period (a ``date_trunc`` part; None for undated events): of
        ``source`` to ``target`` (either None: any), and back too with ``both_ways``. ``events``: a
        subset of the events table to read instead of all of it (rows of :meth:`events_table`)."""
        where, params = date_filter("e.date", since, until)
        where += ["e.source_country IS NOT NULL", "e.target_country IS NOT NULL",
                  "e.source_country <> e.target_country"]
        pair = [(c, v.upper()) for c, v in (("e.source_country = ?", source), ("e.target_country = ?", target)) if v]
        if pair:
            cond = " AND ".join(c for c, _ in pair)
            params += [v for _, v in pair]
            if both_ways and source and target:
                cond = f"({cond}) OR (e.source_country = ? AND e.target_country = ?)"
                params += [target.upper(), source.upper()]
            where.append(f"({cond})")
        sql = f"""
            SELECT e.source_country, e.target_country, CAST(date_trunc(?, e.date) AS DATE), e.type,
                   e.quad_class, count(*), sum(COALESCE(e.goldstein, 0))
            FROM {{table}} e WHERE {" AND ".join(where)} GROUP BY ALL"""
        if events is None:
            return self.con.execute(sql.format(table="events"), [freq, *params]).fetchall()
        with self.registered("dyad_events", events) as name:
            return self.con.execute(sql.format(table=name), [freq, *params]).fetchall()

    def busiest_dyads(self, since: Optional[str] = None, until: Optional[str] = None,
                      n: int = 6, dated: bool = False, **filters) -> list[tuple[str, str, int]]:
        """The ``n`` undirected country pairs with the most events (among those :meth:`events` selects with
        ``filters``; with ``dated``, dated ones only), as (a, b, events), a < b."""
        where, params = event_filter(since=since, until=until, **{**filters, "dyadic": True})
        where += ["date IS NOT NULL"] if dated else []
        return self.con.execute(f"""
            SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b,
                   count(*) AS n
            FROM events WHERE {' AND '.join(where)} GROUP BY ALL ORDER BY n DESC, a, b LIMIT ?""",
                                params + [n]).fetchall()

    def dyad_events(self, a: str, b: str, limit: int) -> list[tuple]:
        """The latest ``limit`` events between ``a`` and ``b`` (either direction), newest first, as
        ``(date, type, source_country, target_country, sentence, span_start, trigger_start, trigger_end,
        article_id)``."""
        return self.con.execute("""
            SELECT date, type, source_country, target_country, sentence, span_start, trigger_start, trigger_end,
                   article_id
            FROM events
            WHERE least(source_country, target_country) = ? AND greatest(source_country, target_country) = ?
            ORDER BY date DESC NULLS LAST, article_id, event_no LIMIT ?""",
                                [a, b, limit]).fetchall()

    def mean_goldstein(self) -> dict[Pair, float]:
        """The mean Goldstein score of the events between two countries (either direction), by (a, b), a < b."""
        rows = self.con.execute("""
            SELECT least(source_country, target_country), greatest(source_country, target_country), avg(goldstein)
            FROM events WHERE source_country <> target_country GROUP BY ALL""").fetchall()
        return {(a, b): g for a, b, g in rows}

    # --- alignment ---------------------------------------------------------------------------------

    @staticmethod
    def _items_sql(since: Optional[str], until: Optional[str]) -> tuple[str, list]:
        """The attitude items (see :mod:`communique.analysis.alignment`) of articles dated between ``since``
        and ``until``: ``(article_id, a, x, v)``, the holder country ``a`` among ``alignment_countries``,
        ``v`` the sum of the polarities of the article's stances of ``a`` toward ``x``, each times the weight of
        its kind in ``attitude_kinds`` (a kind not there is left out), clipped to [-1, 1]."""
        where, params = date_filter("ar.date", since, until)
        where = ["s.holder_country IN (SELECT code FROM alignment_countries)",
                 "(s.target_country IS NOT NULL OR s.issue IS NOT NULL)",
                 "s.holder_country IS DISTINCT FROM s.target_country"] + where
        sql = f"""
            SELECT s.article_id, s.holder_country AS a, COALESCE(s.target_country, 'issue:' || s.issue) AS x,
                   greatest(-1, least(1, sum(s.polarity * k.weight))) AS v
            FROM stances s JOIN articles ar ON ar.id = s.article_id JOIN attitude_kinds k ON k.kind = s.kind
            WHERE {" AND ".join(where)}
            GROUP BY ALL HAVING sum(s.polarity * k.weight) <> 0"""
        return sql, params

    @contextmanager
    def _attitude_tables(self, countries: Iterable[str], weights: Mapping[str, float]) -> Iterator[None]:
        """The holders' ``countries`` and the stance kinds' ``weights`` registered for :meth:`_items_sql`."""
        kinds = pa.table({"kind": pa.array(list(weights), pa.string()),
                          "weight": pa.array([float(w) for w in weights.values()], pa.float64())})
        with self.codes_table("alignment_countries", countries), self.registered("attitude_kinds", kinds):
            yield

    def attitude_items(self, countries: Iterable[str], weights: Mapping[str, float], since: Optional[str] = None,
                       until: Optional[str] = None) -> list[tuple[str, str, str, float]]:
        """The attitude items themselves, ``(article_id, country, object, value)``, of the holders among
        ``countries`` (what :meth:`attitudes` sums), the stances of each kind weighing ``weights[kind]``; ordered."""
        items, params = self._items_sql(since, until)
        with self._attitude_tables(countries, weights):
            return [(r[0], r[1], r[2], float(r[3])) for r in self.con.execute(
                f"SELECT article_id, a, x, v FROM ({items}) ORDER BY 1, 2, 3", params).fetchall()]

    def attitudes(self, countries: Iterable[str], weights: Mapping[str, float], since: Optional[str] = None,
                  until: Optional[str] = None) -> list[tuple[str, str, float, int]]:
        """``(country, object, sum of the items' values, number of items)`` of the holders among ``countries``, from the
        stances (of each kind weighing ``weights[kind]``) of articles dated between ``since`` and ``until``
        (both None: all, undated ones included)."""
        items, params = self._items_sql(since, until)
        with self._attitude_tables(countries, weights):
            return self.con.execute(f"SELECT a, x, sum(v), count(*) FROM ({items}) GROUP BY ALL ORDER BY a, x",
                                    params).fetchall()

    def pair_counts(self, attitudes: list[tuple[str, str, float, int]],
                    countries: Iterable[str]) -> dict[Pair, tuple[int, int, int, float]]:
        """From :meth:`attitudes` rows, per pair of countries (a < b): ``(evidence items, direct items,
        shared objects, sum of the direct items)``."""
        table = pa.table({"a": pa.array([r[0] for r in attitudes], pa.string()),
                          "x": pa.array([r[1] for r in attitudes], pa.string()),
                          "total": pa.array([r[2] for r in attitudes], pa.float64()),
                          "n": pa.array([r[3] for r in attitudes], pa.int64())})
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
        with self.registered("alignment_attitudes", table), self.codes_table("alignment_countries", countries):
            return {(a, b): (int(ev), int(d), int(m), float(ds))
                    for a, b, ev, d, m, ds in self.con.execute(sql).fetchall()}

    def alignment_items(self, countries: Iterable[str], weights: Mapping[str, float], a: str, b: str,
                        since: Optional[str] = None, until: Optional[str] = None, limit: int = 200) -> list[dict]:
        """The attitude items behind the pair ``a``, ``b`` (upper case): rows ``{article_id, holder, object,
        polarity, value, kind}`` (``value``: the item's, see :meth:`_items_sql`; ``polarity``: its sign),
        kind ``direct`` (one toward the other) or ``shared`` (toward an object both took a position on)."""
        items, params = self._items_sql(since, until)
        sql = f"""
            WITH items AS ({items}),
            shared_x AS (SELECT x FROM items WHERE a = ? AND x NOT IN (?, ?)
                         INTERSECT SELECT x FROM items WHERE a = ? AND x NOT IN (?, ?))
            SELECT article_id, a AS holder, x AS object, CAST(sign(v) AS INTEGER) AS polarity, round(v, 4) AS value,
                   CASE WHEN x IN (?, ?) THEN 'direct' ELSE 'shared' END AS kind
            FROM items
            WHERE (a = ? AND x = ?) OR (a = ? AND x = ?)
               OR (a IN (?, ?) AND x IN (SELECT x FROM shared_x))
            ORDER BY kind, object, holder, article_id LIMIT ?"""
        params = params + [a, a, b, b, a, b, a, b, a, b, b, a, a, b, int(limit)]
        with self._attitude_tables(countries, weights):
            return records(self.con.execute(sql, params))

    # --- mentions (the evaluation's baselines) -----------------------------------------------------------

    def comentions(self, countries: Iterable[str], min_articles: int) -> list[tuple[str, str, int]]:
        """(a, b, articles) for pairs of ``countries`` (a < b) among the resolved actors of at least
        ``min_articles`` articles together."""
        with self.codes_table("mentioned_countries", countries):
            return self.con.execute("""
                WITH m AS (SELECT DISTINCT article_id, country FROM actors
                           WHERE country IN (SELECT code FROM mentioned_countries))
                SELECT m1.country, m2.country, count(*) FROM m m1 JOIN m m2
                  ON m1.article_id = m2.article_id AND m1.country < m2.country
                GROUP BY ALL HAVING count(*) >= ? ORDER BY 1, 2""", [min_articles]).fetchall()

    def coverage(self, countries: Iterable[str]) -> dict[str, int]:
        """The number of stored articles whose resolved actors include each of ``countries`` (those in any)."""
        with self.codes_table("mentioned_countries", countries):
            return dict(self.con.execute("""
                SELECT country, count(DISTINCT article_id) FROM actors
                WHERE country IN (SELECT code FROM mentioned_countries) GROUP BY 1""").fetchall())

    # --- the dashboard's views (API) ------------------------------------------------------------------

    def recent_quotes(self, country: str, since: Optional[str] = None, until: Optional[str] = None,
                      limit: int = 20) -> list[dict]:
        """The latest ``limit`` quotes of speakers of ``country`` (dated between ``since`` and ``until``
        when either is given), newest first (undated last), with their article's title."""
        where, params = date_filter("q.date", since, until)
        where.insert(0, "q.speaker_country = ?")
        return records(self.con.execute(f"""
            SELECT q.article_id, q.quote_no, q.text, q.speaker_name, q.speaker_country, q.cue, q.direct, q.date,
                   q.date_precision, ar.title AS article_title
            FROM quotes q LEFT JOIN articles ar ON ar.id = q.article_id WHERE {" AND ".join(where)}
            ORDER BY q.date DESC NULLS LAST, q.article_id, q.quote_no LIMIT ?""",
                                        [country.upper(), *params, int(limit)]))

    def stance_evidence(self, items: list[tuple[str, str, str]]) -> list[dict]:
        """The evidence sentences of the stances behind attitude items ``(article_id, holder country,
        object)`` (an object: a country code or ``issue:NAME``, as :meth:`alignment_items` gives them):
        rows ``{article_id, holder, object, start, end, sentence, event_no}``, ``event_no`` the first event
        of the article whose sentence holds the evidence (None if none), ordered by article and offset,
        each sentence once per item."""
        if not items:
            return []
        keys = pa.table({"article_id": pa.array([i[0] for i in items], pa.string()),
                         "holder": pa.array([i[1] for i in items], pa.string()),
                         "object": pa.array([i[2] for i in items], pa.string())})
        with self.registered("pair_items", keys):
            stances = self.con.execute("""
                SELECT DISTINCT s.article_id, s.holder_country, COALESCE(s.target_country, 'issue:' || s.issue),
                       s.evidence
                FROM stances s JOIN pair_items i ON i.article_id = s.article_id AND i.holder = s.holder_country
                 AND i.object = COALESCE(s.target_country, 'issue:' || s.issue)""").fetchall()
        spans = {(a, h, x, int(s), int(e)) for a, h, x, evidence in stances for s, e in json.loads(evidence or "[]")}
        if not spans:
            return []
        table = pa.table({name: pa.array([span[k] for span in spans], kind) for k, (name, kind) in enumerate(
            [("article_id", pa.string()), ("holder", pa.string()), ("object", pa.string()), ("start", pa.int64()),
             ("end", pa.int64())])})
        with self.registered("evidence_spans", table):
            rows = records(self.con.execute("""
                SELECT p.article_id, p.holder, p.object, p.start, p."end",
                       substring(ar.text, p.start + 1, p."end" - p.start) AS sentence,
                       (SELECT min(e.event_no) FROM events e WHERE e.article_id = p.article_id
                          AND e.span_start <= p.start AND p.start < e.span_end) AS event_no
                FROM evidence_spans p JOIN articles ar ON ar.id = p.article_id
                ORDER BY p.article_id, p.start, p.holder, p.object"""))
        unique: dict[tuple, dict] = {}  # two stances' spans can cover the same sentence: it is listed once
        for row in rows:
            unique.setdefault((row["article_id"], row["holder"], row["object"], " ".join(row["sentence"].split())), row)
        return list(unique.values())
