"""The API's endpoints under ``/api/``, by resource: the stored records (summary, events, quotes,
stances), the analysis (dyads, alignment, positions, coalitions) and the dashboard's charts.

Each endpoint gets the request's :class:`Served` (a cursor of the served store, the event index
and the answer cache) and its checked parameters (:mod:`.params`), reads the store through its
named queries or the analysis functions, and returns plain values; :func:`.cache.cached` keeps
the rendered answer. Every endpoint refuses parameters it does not take (400).
"""
from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Annotated, Iterator, Optional

import numpy as np
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request

from ..analysis.alignment import alignment, alignment_evidence, positions
from ..analysis.charts import alignment_figure, dyad_figure
from ..analysis.coalitions import blocs, coalitions
from ..analysis.dyads import dyad_series
from ..store import Store
from .cache import ResponseCache, cached
from .event_index import ORDER, EventIndex
from .models import (Bloc, DyadPeriod, EventDetail, EventPage, Figure, Item, Page, PairScore, Position, Summary,
                     errors)
from .params import (ISO3, MAX_INT, Code, Country, Every, Freq, Limit, MinEvidence, Offset, Period,
                     country_code, event_type, event_types, known_parameters, period)

URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


class Served:
    """What one request works on: the served store (on a cursor of its own, opened when first used),
    the event index (None for a very large store) and the answer cache."""

    def __init__(self, base: Store, index: Optional[EventIndex], cache: ResponseCache):
        self.base, self.index, self.cache = base, index, cache
        self._store: Optional[Store] = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = self.base.cursor()
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def served(request: Request) -> Iterator[Served]:
    """The request's :class:`Served`, closed after the answer."""
    state = request.app.state
    context = Served(state.store, state.index, state.cache)
    try:
        yield context
    finally:
        context.close()


Context = Annotated[Served, Depends(served)]
Span = Annotated[Period, Depends(period)]
EventType = Annotated[Optional[str], Depends(event_type)]
PairCode = Annotated[str, Path(json_schema_extra={"pattern": ISO3}, description="ISO 3166 alpha-3 code")]

records = APIRouter(prefix="/api", tags=["records"], dependencies=[Depends(known_parameters)], responses=errors(400))
analysis = APIRouter(prefix="/api", tags=["analysis"], dependencies=[Depends(known_parameters)],
                     responses=errors(400))
charts = APIRouter(prefix="/api/charts", tags=["charts"], dependencies=[Depends(known_parameters)],
                   responses=errors(400))
ROUTERS = (records, analysis, charts)


def public_input(value: Optional[str]) -> Optional[str]:
    """Where an article came from, without local folders: a URL as it is, a file by its name (and what
    follows the name: ``:line 3``, ``:record 2``, an archive's member)."""
    if not value or URL.match(value):
        return value
    path, colon, rest = value.partition(":")
    return PurePath(path).name + colon + rest


def page(relation, limit: int, offset: int) -> dict:
    """A page of rows of a store relation."""
    names = relation.columns
    return {"limit": limit, "offset": offset, "rows": [dict(zip(names, r, strict=True)) for r in relation.fetchall()]}


def dyad_rows(served: Served, source: Optional[str], target: Optional[str], freq: str, span: Period,
              both: bool) -> list[dict]:
    """Dyad series; with the index, over the events of the dyad only (not a scan of the file)."""
    index, found = served.index, None
    if index is not None and (source or target):
        selected = index.select(source=source, target=target)
        if both and source and target:
            selected = np.union1d(selected, index.select(source=target, target=source))
        found = index.rows(selected)
    return dyad_series(served.store, source, target, freq, span.since, span.until, both_ways=both, events=found)


def mentions(store: Store, event: dict) -> list[dict]:
    """The spans of the event's source and target actors' mentions inside its sentence, in text order."""
    found = []
    for name, country, spans in store.actor_mentions(event["article_id"], (event["source_name"], event["target_name"])):
        role = "source" if name == event["source_name"] else "target"
        found += [{"role": role, "name": name, "country": country, "start": a, "end": b}
                  for a, b in json.loads(spans or "[]") if event["span_start"] <= a and b <= event["span_end"]]
    return sorted(found, key=lambda m: m["start"])


# --- the stored records --------------------------------------------------------------------------------

@records.get("/summary")
@cached
def summary(served: Context) -> Summary:
    """Counts of the stored articles, events, quotes, stances, failures and duplicates."""
    first, last = served.store.article_dates()
    return {"db": PurePath(served.store.path).name, **served.store.counts(), "first_date": first,
            "last_date": last, "types": sorted(event_types())}


@records.get("/events")
@cached
def events(served: Context, *, country: Country = None, source: Country = None, target: Country = None,
           type: EventType = None, span: Span, q: Annotated[Optional[str], Query(max_length=200, description="text in the sentence")] = None,
           limit: Limit = 50, offset: Offset = 0) -> EventPage:
    """Events, newest first, filtered by country (source or target), dyad, type, dates and text."""
    filters = dict(country=country, source=source, target=target, type=type, since=span.since, until=span.until,
                   text=q)
    if served.index is not None:
        total, found = served.index.page(**filters, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "rows": found}
    relation = served.store.events(**filters, limit=limit, offset=offset, order=ORDER)
    return {"total": served.store.count_events(**filters), **page(relation, limit, offset)}


@records.get("/events/{article_id}/{event_no}", responses=errors(404))
@cached
def event(served: Context, article_id: str, event_no: Annotated[int, Path(ge=0, le=MAX_INT)]) -> EventDetail:
    """One event with its evidence: the sentence, the spans of the trigger and of the actors'
    mentions in it, the article, and the quote it was coded from."""
    store = served.store
    found = served.index.event(article_id, event_no) if served.index is not None else store.event(article_id, event_no)
    if found is None:
        raise HTTPException(404, f"no event {event_no} in article {article_id[:200]!r}")
    article = store.article(article_id)
    if article is not None:
        article["input"] = public_input(article["input"])
    quote = store.quote(article_id, found["quote_no"]) if found["quote_no"] is not None else None
    return {"event": found, "article": article, "mentions": mentions(store, found), "quote": quote}


@records.get("/quotes")
@cached
def quotes(served: Context, speaker: Annotated[Optional[str], Query(max_length=200, description="a part of the speaker's name")] = None,
           country: Country = None, limit: Limit = 50, offset: Offset = 0) -> Page:
    """Quotes by speaker name (a part of it) or speaker country."""
    return page(served.store.quotes(speaker, country, limit, offset), limit, offset)


@records.get("/stances")
@cached
def stances(served: Context, holder: Country = None, target: Country = None, limit: Limit = 50,
            offset: Offset = 0) -> Page:
    """Stances (for +1 or against -1) by holder country and target country; ``evidence`` holds the
    character spans of their evidence sentences."""
    result = page(served.store.stances(holder, target, limit, offset), limit, offset)
    for row in result["rows"]:
        row["evidence"] = json.loads(row["evidence"]) if row["evidence"] else []
    return result


# --- the analysis ----------------------------------------------------------------------------------------

@analysis.get("/dyads")
@cached
def dyads(served: Context, *, source: Country = None, target: Country = None, freq: Freq = "month", span: Span,
          both: bool = True) -> list[DyadPeriod]:
    """Series per directed country pair and period: counts by quad class and type, Goldstein sum,
    mean and shrunk mean; ``both`` adds the reverse direction of a given pair."""
    return dyad_rows(served, source, target, freq, span, both)


@analysis.get("/alignment")
@cached
def alignment_matrix(served: Context, *, country: Country = None, span: Span,
                     min_evidence: MinEvidence = 1) -> list[PairScore]:
    """Alignment of country pairs (score in -1..1, evidence items, direct items, shared objects)."""
    return alignment(served.store, span.since, span.until, country, min_evidence)


@analysis.get("/positions")
@cached
def country_positions(served: Context, span: Span) -> list[Position]:
    """Each placed country's position on the main line of disagreement (-1..1; the direction is
    arbitrary), from its attitudes toward third parties and issues and theirs toward it."""
    place = positions(served.store, span.since, span.until)
    return [{"country": c, "position": p} for c, p in sorted(place.items(), key=lambda item: item[1])]


@analysis.get("/alignment/{a}/{b}")
@cached
def alignment_pair(served: Context, a: PairCode, b: PairCode, span: Span, limit: Limit = 200) -> list[Item]:
    """The article-level items behind one pair's alignment."""
    return alignment_evidence(served.store, country_code(a), country_code(b), span.since, span.until, limit)


@analysis.get("/coalitions")
@cached
def coalition_list(served: Context, *, span: Span, every: Every = "all", min_evidence: MinEvidence = 1) -> list[Bloc]:
    """Blocs of countries by signed community detection, per period, with their stability."""
    return coalitions(served.store, span.since, span.until, every, min_evidence)


# --- the dashboard's charts ----------------------------------------------------------------------------------

@charts.get("/dyad")
@cached
def dyad_chart(served: Context, source: Code, target: Code, freq: Freq = "month") -> Figure:
    """The dyad timeline as a Plotly figure."""
    rows = dyad_rows(served, source, target, freq, Period(), True)
    return dyad_figure(rows, source.upper(), target.upper(), freq)


@charts.get("/alignment")
@cached
def alignment_chart(served: Context, span: Span) -> Figure:
    """The alignment heat map, countries ordered by bloc, as a Plotly figure."""
    pairs = alignment(served.store, span.since, span.until)
    return alignment_figure(pairs, blocs(pairs))  # the blocs of `coalitions` over the range, from these pairs
