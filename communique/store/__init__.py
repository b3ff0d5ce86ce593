"""Store stage: coded articles in DuckDB, and queries and exports over them.

One :class:`Store` owns the database file and is its only writer. Writes are
bulk inserts of one batch of articles at a time (Arrow tables, not row by row),
inside one transaction; re-writing an article replaces its earlier rows, so a
re-run never duplicates. All SQL takes its values as parameters. The queries that
read a store are the named methods of :class:`communique.store.queries.Queries`,
which every store answers.

The schema is created (or migrated) in one transaction that ends by recording its
version: a creation cut short (even by SIGKILL) leaves nothing behind, and a reader
opens only a store whose version row says it is complete and current, and otherwise
stops with a message that says how to repair it (open it for writing once).
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
import time
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..dedup import band_keys, signature, text_hash
from ..model import ActorRef, Article, Failure
from .queries import Queries

SCHEMA_VERSION = 7
LOCK_WAIT = 120  # seconds an ingest waits for another process (a reader, `serve`) to let go of the file

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY, title VARCHAR, source VARCHAR, place VARCHAR, date DATE, date_precision VARCHAR,
    url VARCHAR, input VARCHAR, text VARCHAR, hash VARCHAR, minhash BLOB);
CREATE TABLE IF NOT EXISTS article_bands (article_id VARCHAR, band_key BIGINT);
CREATE TABLE IF NOT EXISTS actors (
    article_id VARCHAR, actor_id INTEGER, name VARCHAR, kind VARCHAR, country VARCHAR,
    sector VARCHAR, role VARCHAR, mentions VARCHAR, reason VARCHAR, evidence_start INTEGER, evidence_end INTEGER);
CREATE TABLE IF NOT EXISTS events (
    article_id VARCHAR, event_no INTEGER, type VARCHAR, mode VARCHAR, context VARCHAR, cameo VARCHAR,
    goldstein DOUBLE, quad_class INTEGER,
    source_name VARCHAR, source_country VARCHAR, source_sector VARCHAR,
    target_name VARCHAR, target_country VARCHAR, target_sector VARCHAR,
    location_name VARCHAR, location_country VARCHAR, lat DOUBLE, lon DOUBLE,
    date DATE, date_precision VARCHAR, historical BOOLEAN, sentence VARCHAR, span_start INTEGER, span_end INTEGER,
    trigger VARCHAR, trigger_start INTEGER, trigger_end INTEGER, confidence DOUBLE, reason VARCHAR,
    quote_no INTEGER);
CREATE TABLE IF NOT EXISTS quotes (
    article_id VARCHAR, quote_no INTEGER, text VARCHAR, span_start INTEGER, span_end INTEGER,
    speaker_name VARCHAR, speaker_country VARCHAR, speaker_sector VARCHAR,
    speaker_start INTEGER, speaker_end INTEGER, cue VARCHAR, direct BOOLEAN, cue_start INTEGER, cue_end INTEGER,
    date DATE, date_precision VARCHAR);
CREATE TABLE IF NOT EXISTS stances (
    article_id VARCHAR, stance_no INTEGER,
    holder_name VARCHAR, holder_country VARCHAR, holder_sector VARCHAR,
    target_name VARCHAR, target_country VARCHAR, target_sector VARCHAR, issue VARCHAR,
    polarity INTEGER, evidence VARCHAR, kind VARCHAR DEFAULT 'reported');
CREATE TABLE IF NOT EXISTS failures (
    input VARCHAR, reason VARCHAR, recorded_at TIMESTAMP DEFAULT current_timestamp, stage VARCHAR);
CREATE TABLE IF NOT EXISTS duplicates (
    input VARCHAR, id VARCHAR, hash VARCHAR, duplicate_of VARCHAR, kind VARCHAR, similarity DOUBLE,
    recorded_at TIMESTAMP DEFAULT current_timestamp);
CREATE OR REPLACE VIEW event_clusters AS
    SELECT e.date, e.type, e.source_country, e.target_country, count(*) AS events,
           count(DISTINCT e.article_id) AS sources, list(DISTINCT e.sentence) AS sentences,
           list(DISTINCT e.article_id) AS article_ids
    FROM events e WHERE e.date IS NOT NULL
    GROUP BY e.date, e.type, e.source_country, e.target_country;
"""

SCHEMA_TABLES = ("meta", "articles", "article_bands", "actors", "events", "quotes", "stances", "failures", "duplicates")
EXPORT_FORMATS = ("table", "csv", "jsonl", "parquet")
_COLUMNS: dict[str, dict[str, list[str]]] = {}  # database files this process has set up, and their columns
CHILD_TABLES = ("actors", "events", "quotes", "stances", "article_bands")


PRECISIONS = {4: "year", 7: "month", 10: "day"}  # length of the coder's date text -> its precision
DATE_SQL = ("TRY_CAST(CASE length({0}) WHEN 4 THEN {0} || '-01-01' WHEN 7 THEN {0} || '-01' ELSE {0} END AS DATE)",
            "CASE length({0}) WHEN 4 THEN 'year' WHEN 7 THEN 'month' WHEN 10 THEN 'day' END")  # the same in SQL


def date_columns(text: Optional[str]) -> dict:
    """The coder's date text (YYYY, YYYY-MM or YYYY-MM-DD) as a DATE (the first day of a year or month)
    and its precision: ``{"date": date or None, "date_precision": "day" | "month" | "year" | None}``."""
    precision = PRECISIONS.get(len(text)) if text else None
    if precision is None:
        return {"date": None, "date_precision": None}
    return {"date": date.fromisoformat(text + {"year": "-01-01", "month": "-01", "day": ""}[precision]),
            "date_precision": precision}


def ref_columns(prefix: str, ref: Optional[ActorRef]) -> dict:
    return {f"{prefix}_name": ref.name if ref else None, f"{prefix}_country": ref.country if ref else None,
            f"{prefix}_sector": ref.sector if ref else None}


def article_rows(a: Article) -> dict[str, list[dict]]:
    """The rows of every table for one coded article."""
    sig = signature(a.text)
    return {
        "articles": [{"id": a.id, "title": a.title, "source": a.source, "place": a.place, **date_columns(a.date),
                      "url": a.url, "input": a.input, "text": a.text, "hash": text_hash(a.text),
                      "minhash": sig.tobytes() if sig is not None else None}],
        "article_bands": [{"article_id": a.id, "band_key": k} for k in (band_keys(sig) if sig is not None else [])],
        "actors": [{"article_id": a.id, "actor_id": x.id, "name": x.name, "kind": x.kind, "country": x.country,
                    "sector": x.sector, "role": x.role, "mentions": json.dumps([list(m) for m in x.mentions]),
                    "reason": x.reason, "evidence_start": x.evidence[0] if x.evidence else None,
                    "evidence_end": x.evidence[1] if x.evidence else None} for x in a.actors],
        "events": [event_row(a.id, n, e) for n, e in enumerate(a.events)],
        "quotes": [{"article_id": a.id, "quote_no": n, "text": q.text, "span_start": q.span[0],
                    "span_end": q.span[1], **ref_columns("speaker", q.speaker),
                    "speaker_start": q.speaker_span[0] if q.speaker_span else None,
                    "speaker_end": q.speaker_span[1] if q.speaker_span else None,
                    "cue": q.cue, "direct": q.direct, "cue_start": q.cue_span[0] if q.cue_span else None,
                    "cue_end": q.cue_span[1] if q.cue_span else None, **date_columns(a.date)}
                   for n, q in enumerate(a.quotes)],
        "stances": [{"article_id": a.id, "stance_no": n, **ref_columns("holder", s.holder),
                     **ref_columns("target", s.target), "issue": s.issue, "polarity": s.polarity,
                     "evidence": json.dumps([list(x) for x in s.evidence]), "kind": s.kind} for n, s in enumerate(a.stances)],
    }


def event_row(article_id: str, n: int, e) -> dict:
    loc = e.location
    return {"article_id": article_id, "event_no": n, "type": e.type, "mode": e.mode, "context": e.context,
            "cameo": e.cameo, "goldstein": e.goldstein, "quad_class": e.quad_class,
            **ref_columns("source", e.source), **ref_columns("target", e.target),
            "location_name": loc.name if loc else None, "location_country": loc.country if loc else None,
            "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
            **date_columns(e.date), "historical": e.historical, "sentence": e.sentence,
            "span_start": e.span[0], "span_end": e.span[1], "trigger": e.trigger,
            "trigger_start": e.trigger_span[0], "trigger_end": e.trigger_span[1],
            "confidence": e.confidence, "reason": e.reason, "quote_no": e.quote}


class IncompleteStore(RuntimeError):
    """A store that cannot be read as it is: incomplete, or of another schema version."""


@dataclass
class Shared:
    """The one DuckDB connection this process holds to a database file, lent out as cursors."""

    con: duckdb.DuckDBPyConnection
    read_only: bool
    users: int = 0


_SHARED: dict[str, Shared] = {}  # resolved path -> the process's connection to it


def file_key(path: str) -> Optional[str]:
    """The key of a database file in this process's tables (its resolved path); None for ``:memory:``."""
    return None if path == ":memory:" else str(Path(path).resolve())


def connect(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """A cursor of this process's connection to ``path``, opened on first use. DuckDB refuses a second
    connection of another configuration to a file within one process, so a read-only store opened
    beside a writing one shares its connection; a writer beside a read-only one is refused clearly."""
    key = file_key(path)
    if key is None:
        return open_file(path, read_only, wait)
    shared = _SHARED.get(key)
    if shared is not None:
        if shared.read_only and not read_only:
            raise RuntimeError(f"{path} is open read-only in this process: close that Store before opening it "
                               "for writing")
    else:
        shared = _SHARED[key] = Shared(open_file(path, read_only, wait), read_only)
    shared.users += 1
    return shared.con.cursor()


def release(path: str) -> None:
    """One user of ``path``'s shared connection is done; the last one closes it."""
    key = file_key(path)
    shared = _SHARED.get(key) if key else None
    if shared is not None:
        shared.users -= 1
        if shared.users <= 0:
            del _SHARED[key]
            shared.con.close()


def open_file(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    if Path(path).is_file() and not is_duckdb_file(path):
        raise ValueError(f"{path} is not a communique database (a DuckDB file written by `communique ingest`)"
                         + (": to read an export, use DuckDB or pandas on it directly"
                            if Path(path).suffix.lower() in (".csv", ".parquet", ".jsonl", ".json") else ""))
    deadline = time.monotonic() + wait
    said = False
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc) or time.monotonic() >= deadline:
                raise RuntimeError(f"cannot open the database {path}: {exc}") from exc
            if not said:
                print(f"communique: {path} is in use by another process; waiting up to {wait:.0f} s",
                      file=sys.stderr, flush=True)
                said = True
            time.sleep(0.5)


def is_duckdb_file(path: str) -> bool:
    """True for a DuckDB database file (its header says DUCK at byte 8), or an empty file."""
    with open(path, "rb") as f:
        head = f.read(12)
    return not head or head[8:12] == b"DUCK"


class Store(Queries):
    """The DuckDB database of coded articles."""

    def __init__(self, path: str, read_only: bool = False, wait: float = 0):
        """Open ``path``; while another process holds the file (DuckDB allows one writing process, or
        readers only), retry for up to ``wait`` seconds, saying so once on standard error. Opened for
        writing, the schema is created or migrated; read-only, a store that is not complete and current
        raises :class:`IncompleteStore`."""
        self.path, self.cursor_of = path, None
        if read_only and not Path(path).exists():
            raise FileNotFoundError(f"no database at {path}")
        self.con = connect(path, read_only, wait)
        key = file_key(path)
        if key in _COLUMNS:  # set up by this process already: an ingest opens the file once per batch
            self.columns = _COLUMNS[key]
            return
        try:
            if read_only:
                self.check_schema()
            else:
                self.create_schema()
        except BaseException:
            self.close()
            raise
        self.columns = {t: [c[0] for c in self.con.execute(f"DESCRIBE {t}").fetchall()]
                        for t in ("articles",) + CHILD_TABLES}
        if key is not None and not read_only:
            _COLUMNS[key] = self.columns

    def create_schema(self) -> None:
        """Create or migrate the schema and record its version, all in one transaction."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute(SCHEMA)
            self.migrate()
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def schema_version(self) -> Optional[int]:
        """The version the schema's creation recorded; None when it recorded none (or some table is missing)."""
        present = {r[0] for r in self.con.execute("SELECT table_name FROM duckdb_tables() "
                                                  "WHERE database_name = current_database()").fetchall()}
        if not set(SCHEMA_TABLES) <= present:
            return None
        found = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        return int(found[0][0]) if found and found[0][0].isdigit() else None

    def check_schema(self) -> None:
        """Raise :class:`IncompleteStore` unless the store was created completely with this schema."""
        version = self.schema_version()
        name = Path(self.path).name
        if version is None:
            raise IncompleteStore(f"{name} is not a complete communique store (its creation was cut short, or "
                                  "it is another DuckDB file): open it for writing once to complete it, e.g. "
                                  "with `communique ingest`")
        if version < SCHEMA_VERSION:
            raise IncompleteStore(f"{name} has schema version {version}, this communique reads {SCHEMA_VERSION}: "
                                  "open it for writing once to migrate it, e.g. with `communique ingest`")
        if version > SCHEMA_VERSION:
            raise IncompleteStore(f"{name} has schema version {version}, newer than this communique's "
                                  f"{SCHEMA_VERSION}: read it with a newer communique")

    def migrate(self) -> None:
        """Bring a database of an earlier schema up to this one (version 2: events.quote_no, quotes.cue_*;
        version 3: articles.hash and minhash, article_bands, duplicates, the event_clusters view; the
        articles stored before keep empty keys and are not compared for near-duplicates; version 4:
        failures.stage; version 5: actors.evidence_start and evidence_end, empty for the actors stored before;
        version 6: the dates of articles and events as DATE with a precision (the text ``2021`` becomes
        2021-01-01, year), and quotes.date, their article's; version 7: stances.kind, ``reported`` for the
        stances stored before, the only kind there was)."""
        for table in ("articles", "events", "quotes"):
            kind = dict(self.con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall())
            if kind.get("date") == "VARCHAR":
                self.con.execute(f"ALTER TABLE {table} ADD COLUMN date_precision VARCHAR")
                self.con.execute(f"UPDATE {table} SET date_precision = {DATE_SQL[1].format('date')}")
                self.con.execute(f"ALTER TABLE {table} ALTER date SET DATA TYPE DATE USING {DATE_SQL[0].format('date')}")
            elif "date" not in kind:
                self.con.execute(f"ALTER TABLE {table} ADD COLUMN date DATE")
                self.con.execute(f"ALTER TABLE {table} ADD COLUMN date_precision VARCHAR")
                if table == "quotes":
                    self.con.execute("UPDATE quotes q SET date = a.date, date_precision = a.date_precision "
                                     "FROM articles a WHERE a.id = q.article_id")
        for table, column, kind in (("events", "quote_no", "INTEGER"), ("quotes", "cue_start", "INTEGER"),
                                    ("quotes", "cue_end", "INTEGER"), ("articles", "hash", "VARCHAR"),
                                    ("articles", "minhash", "BLOB"), ("duplicates", "kind", "VARCHAR"),
                                    ("duplicates", "similarity", "DOUBLE"), ("failures", "stage", "VARCHAR"),
                                    ("actors", "evidence_start", "INTEGER"), ("actors", "evidence_end", "INTEGER"),
                                    ("stances", "kind", "VARCHAR DEFAULT 'reported'")):
            if column not in [c[0] for c in self.con.execute(f"DESCRIBE {table}").fetchall()]:
                self.con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def write(self, articles: Sequence[Article]) -> None:
        """Store a batch of coded articles in one transaction, replacing earlier copies."""
        if not articles:
            return
        rows: dict[str, list[dict]] = {t: [] for t in ("articles",) + CHILD_TABLES}
        for article in articles:
            for table, table_rows in article_rows(article).items():
                rows[table] += table_rows
        ids = pa.table({"id": [a.id for a in articles]})
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.register("batch_ids", ids)
            for table in CHILD_TABLES:
                self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT id FROM batch_ids)")
            self.con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM batch_ids)")
            for table, table_rows in rows.items():
                self.insert(table, table_rows)
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        finally:
            self.con.unregister("batch_ids")

    def insert(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        cols = self.columns[table]
        batch = pa.Table.from_pylist(rows).select(cols)
        self.con.register("batch_rows", batch)
        try:
            self.con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM batch_rows")
        finally:
            self.con.unregister("batch_rows")

    def stored_hashes(self, hashes: Sequence[str]) -> dict[str, str]:
        """hash -> id of the stored articles among ``hashes``."""
        if not hashes:
            return {}
        self.con.register("probe", pa.table({"hash": list(hashes)}))
        try:
            rows = self.con.execute("SELECT a.hash, min(a.id) FROM articles a JOIN probe p ON a.hash = p.hash "
                                    "GROUP BY a.hash").fetchall()
        finally:
            self.con.unregister("probe")
        return dict(rows)

    def has_url(self, url: str) -> bool:
        return self.con.execute("SELECT count(*) FROM articles WHERE url = ?", [url]).fetchone()[0] > 0

    def near_candidates(self, keys: Sequence[int]) -> list[tuple[str, bytes]]:
        """(id, minhash) of stored articles sharing a band key with ``keys``."""
        if not keys:
            return []
        self.con.register("probe_keys", pa.table({"band_key": pa.array(list(keys), pa.int64())}))
        try:
            return self.con.execute("SELECT DISTINCT a.id, a.minhash FROM article_bands b JOIN probe_keys p "
                                    "ON b.band_key = p.band_key JOIN articles a ON a.id = b.article_id "
                                    "WHERE a.minhash IS NOT NULL").fetchall()
        finally:
            self.con.unregister("probe_keys")

    def record_duplicates(self, rows: Sequence[dict]) -> None:
        """Rows of ``{"input", "id", "hash", "duplicate_of", "kind", "similarity"}``; one already recorded
        (a rerun) is not repeated."""
        if rows:
            self.con.register("batch_duplicates", pa.Table.from_pylist(list(rows)))
            self.con.execute("INSERT INTO duplicates (input, id, hash, duplicate_of, kind, similarity) "
                             "SELECT DISTINCT b.input, b.id, b.hash, b.duplicate_of, b.kind, b.similarity "
                             "FROM batch_duplicates b "
                             "WHERE NOT EXISTS (SELECT 1 FROM duplicates d WHERE d.id = b.id AND d.hash = b.hash)")
            self.con.unregister("batch_duplicates")

    def record_failures(self, failures: Iterable[Failure]) -> None:
        """Record bad inputs and articles a stage failed on; one already recorded with the same reason
        (a rerun) is not repeated."""
        batch = [{"input": f.input, "reason": f.reason, "stage": f.stage} for f in failures]
        if batch:
            self.con.register("batch_failures", pa.Table.from_pylist(batch))
            self.con.execute("INSERT INTO failures (input, reason, stage) SELECT DISTINCT b.input, b.reason, b.stage "
                             "FROM batch_failures b WHERE NOT EXISTS (SELECT 1 FROM failures f "
                             "WHERE f.input = b.input AND f.reason = b.reason)")
            self.con.unregister("batch_failures")

    def subset(self, article_ids: Iterable[str]) -> "Store":
        """A new in-memory store holding only the rows of these articles (their text and MinHash left
        out): the same queries over a part of the corpus (the alignment check's halves)."""
        other = Store(":memory:")
        ids = pa.table({"id": pa.array(sorted(set(article_ids)), pa.string())})
        with self.registered("subset_ids", ids):
            for table in ("articles",) + CHILD_TABLES:
                key = "id" if table == "articles" else "article_id"
                columns = ", ".join(c for c in self.columns[table] if c not in ("text", "minhash"))
                rows = self.con.sql(f"SELECT {columns} FROM {table} WHERE {key} IN (SELECT id FROM subset_ids)")
                with other.registered("subset_rows", rows.to_arrow_table()):
                    other.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM subset_rows")
        return other

    def cursor(self) -> "Store":
        """This store on a new cursor of its connection: one per thread (a DuckDB connection is not
        shared between threads; its cursors are)."""
        other = object.__new__(Store)
        other.path, other.con, other.columns, other.cursor_of = self.path, self.con.cursor(), self.columns, self
        return other

    def close(self) -> None:
        """Close this store; the process's connection to the file closes with the last store on it."""
        self.con.close()
        if self.cursor_of is None:
            release(self.path)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def export(rows: Union[duckdb.DuckDBPyRelation, pa.Table], fmt: str, out: Optional[str]) -> Optional[str]:
    """Write a query result (a relation or an Arrow table) as csv, jsonl or parquet to ``out``; with no
    file, return csv/jsonl text."""
    table = rows if isinstance(rows, pa.Table) else rows.to_arrow_table()
    if fmt == "parquet":
        if not out:
            raise ValueError("parquet output needs --out FILE")
        pq.write_table(table, out)
        return None
    if fmt == "csv":
        text = table.to_pandas(integer_object_nulls=True).to_csv(index=False)  # 20240506, not 20240506.0
    elif fmt == "jsonl":
        text = "".join(json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in table.to_pylist())
    else:
        raise ValueError(f"unknown format {fmt!r}")
    if out:
        Path(out).write_text(text, encoding="utf-8")
        return None
    return text
