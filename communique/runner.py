"""Runs of the pipeline over inputs: coding them to a stream, ingesting them into the store, and
watching feeds. What the command line does, as Python functions (the CLI parses its options
and calls these):

>>> summary = communique.ingest(["articles.jsonl"], db="news.duckdb", batch=100)
>>> summary.stored, summary.failed

Every input comes out coded or as a recorded failure (an input that could not be read, or
an article a stage failed on: one line on standard error, a row of the ``failures``
table); one bad input never stops a run.
"""
from __future__ import annotations

import re
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, Union

from .dedup import text_hash
from .distributed import DaskMapper, dask_client
from .inputs.count import count_inputs
from .model import Article, Failure
from .pipeline import Duplicate, Pipeline
from .settings import IngestOptions, Settings, default_db
from .store import LOCK_WAIT, Store
from .store.known import KnownArticles

WATCH_BATCH = 50  # articles per database write in a poll of watch


def report_failure(failure: Failure) -> None:
    """The one line on standard error for a failed input or article."""
    print(f"communique: {failure}", file=sys.stderr, flush=True)


def input_file(where: str) -> str:
    """The input file of an article's ``input`` ("news.csv:line 12", "news.jsonl:12" -> the file)."""
    return re.sub(r":(?:line )?\d+$", "", where)


def split_settings(values: dict[str, Any]) -> tuple[Settings, IngestOptions]:
    """Keyword arguments into the coder's settings and the ingest's options (unknown names refused)."""
    coder = {k: v for k, v in values.items() if k in Settings.__dataclass_fields__}
    return Settings.of(**coder), IngestOptions.of(**{k: v for k, v in values.items() if k not in coder})


def code_inputs(paths: Sequence[str], stdin=None, **settings: Any) -> Iterator[Union[Article, Failure]]:
    """Read and code inputs (files, directories, URLs, ``-`` with ``stdin``), in input order: each
    article coded, or a Failure for an input or article that could not be."""
    return Pipeline.get(Settings.of(**settings)).run(paths, stdin=stdin)


@dataclass
class IngestSummary:
    """What an ingest (or one poll of watch) stored, skipped and failed."""

    db: str
    stored: int = 0
    with_events: int = 0
    already: int = 0  # stored before: skipped
    duplicated: int = 0  # copies of other articles: recorded, not coded
    types: Counter = field(default_factory=Counter)  # events by PLOVER type
    failed_stages: Counter = field(default_factory=Counter)  # failures by stage (ingest: inputs not read)
    unread: Counter = field(default_factory=Counter)  # stored articles with a field not understood, by input file

    @property
    def failed(self) -> int:
        """Inputs that could not be read and articles a stage failed on."""
        return sum(self.failed_stages.values())

    def text(self) -> str:
        n = self.stored
        share = f"{self.with_events / n:.1%}" if n else "n/a"
        lines = [f"stored {n} articles in {self.db}: {sum(self.types.values())} events; {self.with_events} articles "
                 f"({share}) with at least one event; {self.already} already stored; {self.duplicated} duplicates "
                 f"of other articles; {self.failed} inputs failed"]
        if self.types:
            lines.append("events by type: " + ", ".join(f"{t} {c}" for t, c in self.types.most_common()))
        if self.failed_stages:
            lines.append("failures by stage: " + ", ".join(f"{s} {c}" for s, c in self.failed_stages.most_common()))
        if self.unread:
            lines.append("articles stored with a date field not understood (undated), by input: " +
                         ", ".join(f"{i} {c}" for i, c in self.unread.most_common()))
        return "\n".join(lines)


def ingest(paths: Sequence[str], db: Optional[str] = None, stdin=None,
           on_failure: Callable[[Failure], None] = report_failure, **settings: Any) -> IngestSummary:
    """Code inputs and store them in the DuckDB file ``db`` (default ``$COMMUNIQUE_DB`` or
    communique.duckdb), ``batch`` articles per transaction; an interrupted ingest rerun completes
    it with nothing lost or doubled. Keywords: the coder's :class:`~communique.settings.Settings`
    and the ingest's :class:`~communique.settings.IngestOptions`."""
    coder, options = split_settings({"db": db, **settings})
    path = options.db or default_db()
    with Store(path, wait=LOCK_WAIT) as store:  # create or migrate the schema before reading anything
        coder = with_learned(coder, store) if options.resolve_learned else coder
    known = KnownArticles(path, recode=options.recode, window=2 * options.batch + 10_000)
    writer = Writer(path, options.batch, stored=known.forget, on_failure=on_failure,
                    progress=Progress(quiet=not options.progress, total=count_inputs(paths)))
    with mapper_for(options, coder) as mapper:
        writer.consume(Pipeline.get(coder).run(paths, stdin=stdin, keep=known.verdicts, mapper=mapper))
    writer.progress.done()
    return writer.summary


def watch(feeds_file: str, db: Optional[str] = None, every: float = 15, once: bool = False,
          on_poll: Callable[[IngestSummary], None] = lambda summary: None,
          on_failure: Callable[[Failure], None] = report_failure, **settings: Any) -> IngestSummary:
    """Poll the feeds (or pages) of ``feeds_file`` every ``every`` minutes and ingest the items not
    stored yet; returns the last poll's summary when ``once``, else runs until interrupted. A poll
    that fails as a whole (a locked database, an unreadable feeds file) is reported and the next
    one goes on, unless ``once``."""
    path = db or default_db()
    with Store(path, wait=LOCK_WAIT) as store:
        coder = with_learned(Settings.of(**settings), store)
    pipeline, known = Pipeline.get(coder), KnownArticles(path)
    while True:
        try:
            summary = poll(pipeline, known, read_feeds(feeds_file), path, on_failure)
            on_poll(summary)
        except Exception as error:  # a watch runs for weeks: the next poll tries again
            if once:
                raise
            print(f"communique: watch: {error}", file=sys.stderr, flush=True)
        if once:
            return summary
        time.sleep(every * 60)


def with_learned(settings: Settings, store: Store) -> Settings:
    """The settings with the persons learned from the store's articles (``communique actors learned``)."""
    learned = tuple((p["name"], p["country"], p["sector"], p["role"], p["first_seen"])
                    for p in store.learned_persons(evidence=0) if p["country"])
    return replace(settings, learned=learned) if learned else settings


def read_feeds(feeds_file: str) -> list[str]:
    """The URLs of a feeds file: one a line, ``#`` comments."""
    with open(feeds_file, encoding="utf-8") as lines:
        return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def poll(pipeline: Pipeline, known: KnownArticles, feeds: list[str], path: str,
         on_failure: Callable[[Failure], None]) -> IngestSummary:
    def seen(url: str) -> bool:
        with Store(path, wait=LOCK_WAIT) as store:
            return store.has_url(url)

    writer = Writer(path, WATCH_BATCH, stored=known.forget, on_failure=on_failure)
    writer.consume(pipeline.run(feeds, keep=known.verdicts, seen=seen))
    return writer.summary


@contextmanager
def mapper_for(options: IngestOptions, settings: Settings):
    """The batch mapper of an ingest: None (this process), or a Dask cluster's (workers, scheduler)."""
    if not options.workers and not options.scheduler:
        yield None
        return
    with dask_client(options.workers, options.scheduler) as client:
        yield DaskMapper(client, settings)


class Writer:
    """Writes a coded stream to the database a batch at a time, each write in one transaction on a
    connection opened for it (readers may query in between), and counts it."""

    def __init__(self, path: str, batch: int, stored: Optional[Callable[[int], None]] = None,
                 on_failure: Callable[[Failure], None] = report_failure, progress: Optional["Progress"] = None):
        """``stored(n)``: told after each write how many more articles (coded or skipped) it holds."""
        self.path, self.size = path, batch
        self.on_stored, self.on_failure = stored, on_failure
        self.progress = progress or Progress(quiet=True)
        self.summary = IngestSummary(path)
        self.unwritten = 0  # articles taken since the last write
        self.batch: list[Article] = []
        self.failures: list[Failure] = []
        self.duplicates: list[dict] = []

    def consume(self, items: Iterable[Union[Article, Failure, Duplicate]]) -> None:
        """Take every item of a coded stream, writing each ``batch`` articles (or skipped inputs)."""
        for item in items:
            self.add(item)
            if len(self.batch) >= self.size or len(self.failures) + len(self.duplicates) >= self.size:
                self.flush()
        self.flush()

    def add(self, item: Union[Article, Failure, Duplicate]) -> None:
        if isinstance(item, Failure):
            self.on_failure(item)
            self.failures.append(item)
            self.summary.failed_stages[item.stage] += 1
            self.unwritten += item.stage != "ingest"  # an article read, then failed: KnownArticles holds it
            return
        self.unwritten += 1
        if isinstance(item, Duplicate):
            self.add_duplicate(item)
            return
        self.batch.append(item)
        if item.warnings:
            self.summary.unread[input_file(item.input or item.id)] += 1
        self.summary.types.update(e.type for e in item.events)
        self.summary.with_events += bool(item.events)
        self.progress.tick()

    def add_duplicate(self, item: Duplicate) -> None:
        if item.of == item.article.id:
            self.summary.already += 1
            return
        self.summary.duplicated += 1
        self.duplicates.append({"input": item.article.input, "id": item.article.id,
                                "hash": text_hash(item.article.text), "duplicate_of": item.of,
                                "kind": "exact" if item.similarity == 1.0 else "near",
                                "similarity": round(item.similarity, 3)})

    def flush(self) -> None:
        if self.batch or self.failures or self.duplicates:
            with Store(self.path, wait=LOCK_WAIT) as store:
                store.write(self.batch)
                store.record_duplicates(self.duplicates)
                store.record_failures(self.failures)
            self.summary.stored += len(self.batch)
            self.batch, self.failures, self.duplicates = [], [], []
        if self.on_stored and self.unwritten:
            self.on_stored(self.unwritten)
        self.unwritten = 0


class Progress:
    """Articles coded, their rate and, when the total is known, how many are left and the time
    that will take; on standard error, at most every two seconds."""

    def __init__(self, quiet: bool = False, total: Optional[int] = None) -> None:
        self.count, self.start, self.last = 0, time.monotonic(), 0.0
        self.quiet, self.total = quiet, total

    def tick(self) -> None:
        self.count += 1
        now = time.monotonic()
        if not self.quiet and now - self.last >= 2:
            self.last = now
            rate = self.count / max(now - self.start, 1e-9)
            line = f"coded {self.count} articles ({rate:.1f}/s)"
            if self.total and self.total >= self.count:
                left = (self.total - self.count) / max(rate, 1e-9)
                line = f"coded {self.count}/{self.total} articles ({rate:.1f}/s, ETA {format_seconds(left)})"
            end = "\r" if sys.stderr.isatty() else "\n"
            print(line, end=end, file=sys.stderr, flush=True)

    def done(self) -> None:
        if not self.quiet:
            print(f"coded {self.count} articles in {time.monotonic() - self.start:.1f}s", file=sys.stderr)


def format_seconds(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
