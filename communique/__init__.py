"""communique: news articles in, traceable political event data out.

>>> import communique
>>> doc = communique.code("Cuban President Miguel Diaz-Canel met Iran's Supreme Leader in Tehran.", date="2024-05-06")
>>> doc.events[0].type
'CONSULT'
>>> summary = communique.ingest(["articles.jsonl"], db="news.duckdb")   # what `communique ingest` does

Nothing is loaded at import (the functions import the pipeline when called, so that
``import communique.model`` stays light); the spaCy pipeline and the dictionaries load on
the first call and stay loaded for the process.
"""
from __future__ import annotations

from typing import Any, Iterator, Optional, Sequence, Union

from .model import Actor, ActorRef, Article, Event, Failure, Location, Quote, Sentence, Stance

from .version import __version__
__all__ = ["code", "code_inputs", "ingest", "watch", "Article", "Actor", "ActorRef", "Event", "Failure", "Location",
           "Quote", "Sentence", "Stance", "__version__"]


def code(text: str, date: Optional[str] = None, *, id: Optional[str] = None, title: Optional[str] = None,
         **settings: Any) -> Article:
    """Code one article's text: clean it, parse it, and find actors, events, quotes and stances.
    Keywords: the settings of :class:`communique.settings.Settings` (``model``, ``actors``, ...)."""
    from .pipeline import Pipeline
    from .settings import Settings

    return Pipeline.get(Settings.of(**settings)).code_text(text, date=date, id=id, title=title)


def code_inputs(paths: Sequence[str], stdin=None, **settings: Any) -> Iterator[Union[Article, Failure]]:
    """Read and code files, directories and URLs (what ``communique code`` prints), in input order:
    a coded Article, or a Failure for an input or article that could not be read or coded."""
    from .runner import code_inputs as run

    return run(paths, stdin=stdin, **settings)


def ingest(paths: Sequence[str], db: Optional[str] = None, **settings: Any):
    """Code inputs and store them in a DuckDB file (what ``communique ingest`` does); returns an
    :class:`communique.runner.IngestSummary`. See :func:`communique.runner.ingest`."""
    from .runner import ingest as run

    return run(paths, db=db, **settings)


def watch(feeds_file: str, db: Optional[str] = None, **settings: Any):
    """Poll feeds and ingest their new items (what ``communique watch`` does); see
    :func:`communique.runner.watch`."""
    from .runner import watch as run

    return run(feeds_file, db=db, **settings)
