"""The API's endpoints under ``/api/``, by resource: the stored records (summary, events, quotes,
stances), the analysis (dyads, alignment, positions, coalitions) and the dashboard's charts.

Each endpoint gets the request's :class:`Served` (a cursor of the served store, the event index
and the answer cache) and its checked parameters (:mod:`.params`), reads the store through its
named queries or the analysis functions, and returns plain values; :func:`.cache.cached` keeps
the rendered answer. Every endpoint refuses parameters it does not take (400).
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from datetime import date
from pathlib import PurePath
from typing import Annotated, Iterator, Optional

import numpy as np
import pyarrow as pa
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import StreamingResponse

from ..analysis.alignment import alignment, alignment_evidence, position_intervals, positions, settled
from ..analysis.charts import alignment_figure, dyad_figure
from ..analysis.coalitions import blocs, coalitions
from ..analysis.dyads import dyad_series
from ..analysis.series import series
from ..lexicons.codes import actor_codes, event_types
from ..store import Store
from ..store.layouts import with_names
from .cache import ResponseCache, cached
from .event_index import ORDER, EventIndex
from .models import (Actor, Bloc, BusyDyad, DyadPeriod, EventDetail, EventMap, EventPage, Figure, Page, PairItem,
                     PairScore, Position, SeriesRow, Summary, ERRORS, errors)
from .params import (COUNTRY_TEXT, MAX_INT, Bootstrap, Country, Dyadic, EventFilters, Every, Freq, Holder,
                     Limit, MinConfidence, MinEvidence, Offset, Period, SeriesBy, SeriesFreq, Source, Span, StanceKind, Target,
                     country_code, country_parameter, known_parameters)

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
PairCode = Annotated[str, Path(max_length=80, description=COUNTRY_TEXT)]
MAX_SERIES_ROWS = 200_000
CSV_BATCH = 2000

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
              both: bool, min_confidence: Optional[float] = None) -> list[dict]:
    """Dyad series; with the index, over the events of the dyad only (not a scan of the file); with
    ``min_confidence``, over the events that confident only."""
    index, found = served.index, None
    pair = {"dyad": (source, target)} if both and source and target else {"source": source, "target": target}
    if index is not None and (source or target or min_confidence is not None):
        found = index.rows(index.select(**pair, min_confidence=min_confidence))
    elif min_confidence is not None:
        found = served.store.events(**pair, min_confidence=min_confidence).to_arrow_table()
    return dyad_series(served.store, source, target, freq, span.since, span.until, both_ways=both, events=found)


def plain(value):
    """A value of a pandas row as JSON takes it: dates as ISO text, NaN as None, numpy numbers as Python's."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def frame_rows(frame) -> list[dict]:
    """The rows of a DataFrame as plain dicts."""
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def named(code: Optional[str]) -> Optional[str]:
    """The name of an actor code (None for an unknown one)."""
    return actor_codes().get(code) if code else None


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
            "last_date": last, "types": list(event_types())}


@records.get("/events")
@cached
def events(served: Context, *, filters: EventFilters, limit: Limit = 50, offset: Offset = 0) -> EventPage:
    """Events, newest first, filtered by country (source or target), source, target, dyad (either way),
    type, dates, text, minimum confidence and dyadic only."""
    if served.index is not None:
        total, found = served.index.page(**filters.kwargs(), limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "rows": found}
    relation = served.store.events(**filters.kwargs(), limit=limit, offset=offset, order=ORDER)
    return {"total": served.store.count_events(**filters.kwargs()), **page(relation, limit, offset)}


class CSVResponse(StreamingResponse):
    media_type = "text/csv"


def csv_lines(table: pa.Table) -> Iterator[str]:
    """The rows of ``table`` as CSV text (a header, then batches of rows), dates as ISO text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.column_names)
    for batch in table.to_batches(max_chunksize=CSV_BATCH):
        for row in batch.to_pylist():
            writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row.values()])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


@records.get("/events.csv", response_class=CSVResponse,
             responses={200: {"description": "the events as CSV, one row per event",
                              "content": {"text/csv": {"schema": {"type": "string"}}}},
                        400: {"description": ERRORS[400],  # JSON, as every error (not CSV)
                              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}})
def events_csv(served: Context, *, filters: EventFilters,
               dedup: Annotated[bool, Query(description="one event per cluster (same day, type, source and "
                                                        "target), with the cluster's counts")] = False):
    """Every event the filters select (as ``/api/events`` selects them), oldest first, as CSV: the event's
    columns, its CAMEO code's name (``cameo_name``) and its article's title, outlet, URL and date."""
    table = with_names(served.store.event_export(dedup=dedup, **filters.kwargs()))
    return CSVResponse(csv_lines(table), headers={"Content-Disposition": 'attachment; filename="events.csv"'})


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
def quotes(served: Context, country: Country, speaker: Annotated[Optional[str], Query(max_length=200, description="a part of the speaker's name")] = None,
           limit: Limit = 50, offset: Offset = 0) -> Page:
    """Quotes by speaker name (a part of it) or speaker country."""
    return page(served.store.quotes(speaker, country, limit, offset), limit, offset)


@records.get("/stances")
@cached
def stances(served: Context, holder: Holder, target: Target, limit: Limit = 50,
            offset: Offset = 0, kind: StanceKind = None) -> Page:
    """Stances (for +1 or against -1) by holder country, target country and kind (reported, quote,
    coaction); ``evidence`` holds the character spans of their evidence sentences (or quotes)."""
    result = page(served.store.stances(holder, target, limit, offset, kind), limit, offset)
    for row in result["rows"]:
        row["evidence"] = json.loads(row["evidence"]) if row["evidence"] else []
    return result


# --- the analysis ----------------------------------------------------------------------------------------

@analysis.get("/dyads")
@cached
def dyads(served: Context, *, source: Source, target: Target, freq: Freq = "month", span: Span,
          both: bool = True, min_confidence: MinConfidence = None) -> list[DyadPeriod]:
    """Series per directed country pair and period: counts by quad class and type, Goldstein sum,
    mean and shrunk mean; ``both`` adds the reverse direction of a given pair; ``min_confidence``
    counts the events of that confidence or more only."""
    return dyad_rows(served, source, target, freq, span, both, min_confidence)


@analysis.get("/dyads/busiest")
@cached
def busiest(served: Context, *, filters: EventFilters,
            n: Annotated[int, Query(ge=1, le=100, description="pairs")] = 10,
            dated: Annotated[bool, Query(description="count dated events only (the ones a timeline shows)")] = False
            ) -> list[BusyDyad]:
    """The country pairs (either direction, a < b) with the most events among those the filters select
    (dyadic events only; with ``dated``, dated ones only), most first."""
    return [{"a": a, "b": b, "events": k, "a_name": named(a), "b_name": named(b)}
            for a, b, k in served.store.busiest_dyads(n=n, dated=dated, **filters.kwargs("dyadic"))]


@analysis.get("/series")
@cached
def event_series(served: Context, *, filters: EventFilters, by: SeriesBy = "all",
                 freq: SeriesFreq = "month") -> list[SeriesRow]:
    """Event counts per ``freq`` period, by country, dyad, type or all events, every period of the range
    present (zero where nothing happened; ``goldstein_mean`` null there), from the first period with
    events (or ``since``) to the last (or ``until``)."""
    frame = series(served.store, by=by, freq=freq, **filters.kwargs())
    if len(frame) > MAX_SERIES_ROWS:
        raise HTTPException(400, f"the series has {len(frame)} rows (at most {MAX_SERIES_ROWS}): narrow the "
                                 "dates or the filters, or take a longer period (freq)")
    return frame_rows(frame)


@analysis.get("/map")
@cached
def event_map(served: Context, *, filters: EventFilters,
              places: Annotated[int, Query(ge=0, le=10_000, description="places at most")] = 2000) -> EventMap:
    """Where the events the filters select are: per country (as source or target) their number, and the
    busiest places with coordinates."""
    kwargs = filters.kwargs()
    return {"countries": [{"code": c, "name": named(c), "events": k} for c, k in served.store.country_counts(**kwargs)],
            "places": [{"place": p, "country": c, "lat": lat, "lon": lon, "events": k}
                       for p, c, lat, lon, k in (served.store.event_places(places, **kwargs) if places else [])]}


@records.get("/countries")
@cached
def countries(served: Context) -> dict[str, str]:
    """Every country and organisation code an actor can take, with its name."""
    return dict(actor_codes())


@records.get("/actors/{code}")
@cached
def actor_page(served: Context, code: PairCode, span: Span, min_confidence: MinConfidence = None,
               dyadic: Dyadic = False,
               quotes: Annotated[int, Query(ge=0, le=200, description="recent quotes at most")] = 20) -> Actor:
    """A country or organisation (code or name): its name, its events as source, as target and in all,
    its monthly timeline, its top partners and the recent quotes of its speakers, over the dates (and
    minimum confidence) given."""
    code = country_code(code, "actor")
    store, f = served.store, dict(since=span.since, until=span.until, min_confidence=min_confidence, dyadic=dyadic)
    timeline = frame_rows(series(store, by="country", freq="month", country=code, **f))
    return {"code": code, "name": named(code),
            "events": {"source": store.count_events(source=code, **f), "target": store.count_events(target=code, **f),
                       "total": store.count_events(country=code, **f)},
            "timeline": [{k: v for k, v in row.items() if k != "country"} for row in timeline],
            "partners": [{"code": p, "name": named(p), "events": k, "as_source": s, "goldstein_mean": g}
                         for p, k, s, g in store.partners(code, 10, since=span.since, until=span.until,
                                                          min_confidence=min_confidence)],
            "quotes": store.recent_quotes(code, span.since, span.until, quotes) if quotes else []}


@analysis.get("/alignment")
@cached
def alignment_matrix(served: Context, *, country: Country, span: Span, min_evidence: MinEvidence = 1,
                     bootstrap: Bootstrap = 0) -> list[PairScore]:
    """Alignment of country pairs (score in -1..1, evidence items, direct items, shared objects); with
    ``bootstrap`` N, each score's 95% interval over N resamples of the articles and whether it is settled
    (the interval at most half the scale wide)."""
    return alignment(served.store, span.since, span.until, country, min_evidence, bootstrap=bootstrap)


@analysis.get("/positions")
@cached
def country_positions(served: Context, span: Span, bootstrap: Bootstrap = 0) -> list[Position]:
    """Each placed country's position on the main line of disagreement (-1..1; the direction is
    arbitrary), from its attitudes toward third parties and issues and theirs toward it; with
    ``bootstrap`` N, its 95% interval over N resamples of the articles and whether it is settled."""
    place = positions(served.store, span.since, span.until)
    intervals = position_intervals(served.store, span.since, span.until, bootstrap) if bootstrap else {}
    return [{"country": c, "position": p,
             **({"interval": intervals.get(c), "settled": settled(intervals.get(c))} if bootstrap else {})}
            for c, p in sorted(place.items(), key=lambda item: item[1])]


@analysis.get("/alignment/{a}/{b}")
@cached
def alignment_pair(served: Context, a: PairCode, b: PairCode, span: Span, limit: Limit = 200) -> list[PairItem]:
    """The article-level items behind one pair's alignment (countries by code or name), each with the
    evidence sentences of its stances (and the event coded from each sentence, if any)."""
    items = alignment_evidence(served.store, country_code(a, "a"), country_code(b, "b"), span.since, span.until,
                               limit)
    sentences: dict[tuple, list] = {}
    for row in served.store.stance_evidence([(i["article_id"], i["holder"], i["object"]) for i in items]):
        found = sentences.setdefault((row["article_id"], row["holder"], row["object"]), [])
        if not any((e["start"], e["end"]) == (row["start"], row["end"]) for e in found):  # stances can share one
            found.append({"sentence": " ".join((row["sentence"] or "").split()), "start": row["start"],
                          "end": row["end"], "event_no": row["event_no"]})
    return [{**i, "evidence": sentences.get((i["article_id"], i["holder"], i["object"]), [])} for i in items]


@analysis.get("/coalitions")
@cached
def coalition_list(served: Context, *, span: Span, every: Every = "all", min_evidence: MinEvidence = 1,
                   bootstrap: Bootstrap = 0) -> list[Bloc]:
    """Blocs of countries by signed community detection, per period, with their stability; with
    ``bootstrap`` N, each member's share of N resamples of the articles in which it lands in its bloc."""
    return coalitions(served.store, span.since, span.until, every, min_evidence, bootstrap)


# --- the dashboard's charts ----------------------------------------------------------------------------------

@charts.get("/dyad")
@cached
def dyad_chart(served: Context, source: Annotated[str, Depends(country_parameter("source", required=True))],
               target: Annotated[str, Depends(country_parameter("target", required=True))], span: Span,
               freq: Freq = "month", min_confidence: MinConfidence = None) -> Figure:
    """The dyad timeline as a Plotly figure (over the dates and minimum confidence given)."""
    rows = dyad_rows(served, source, target, freq, span, True, min_confidence)
    return dyad_figure(rows, source.upper(), target.upper(), freq)


@charts.get("/alignment")
@cached
def alignment_chart(served: Context, span: Span, country: Country, min_evidence: MinEvidence = 1,
                    bootstrap: Bootstrap = 0) -> Figure:
    """The alignment heat map, countries ordered by bloc, as a Plotly figure; with ``country``, of that
    country and the countries paired with it; with ``bootstrap`` N, the cells' intervals (unsettled ones
    marked)."""
    pairs = alignment(served.store, span.since, span.until, min_evidence=min_evidence, bootstrap=bootstrap)
    if country:
        near = {country} | {p["b"] if p["a"] == country else p["a"] for p in pairs if country in (p["a"], p["b"])}
        pairs = [p for p in pairs if p["a"] in near and p["b"] in near]
    return alignment_figure(pairs, blocs(pairs))  # the blocs of `coalitions` over the range, from these pairs
