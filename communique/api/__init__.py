"""API and dashboard: the stored data served read-only over HTTP (FastAPI).

``create_app(db)`` builds the application: JSON under ``/api/`` (described at
``/openapi.json``), the dashboard at ``/`` with its assets under
``/static/``, and plotly.js from the installed ``plotly`` package under ``/vendor/`` (no
CDN: everything works offline). The database is opened read-only once; each request
works on its own cursor. All values reach SQL as parameters; invalid parameters get a
4xx answer saying what is wrong.
"""
from __future__ import annotations

import json
import threading
from datetime import date
from collections import OrderedDict
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import numpy as np
from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from ..analysis.alignment import alignment, alignment_evidence, positions
from ..analysis.charts import alignment_figure, dyad_figure
from ..analysis.coalitions import PERIODS, blocs, coalitions
from ..analysis.dyads import FREQUENCIES, dyad_series
from ..resources import read_table
from ..store import Store
from .event_index import ORDER as INDEX_ORDER
from .event_index import EventIndex

ISO3 = r"^[A-Za-z]{3}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
Country = Annotated[Optional[str], Query(pattern=ISO3, description="ISO 3166 alpha-3 (or IGO/bloc) code")]
Day = Annotated[Optional[str], Query(pattern=DATE, description="YYYY-MM-DD")]
Limit = Annotated[int, Query(ge=1, le=1000, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]


@lru_cache(maxsize=1)
def event_types() -> frozenset[str]:
    return frozenset(r["plover_type"] for r in read_table("cameo.tsv") if r["plover_type"])


def plotly_js() -> Path:
    """plotly.min.js as the ``plotly`` package ships it."""
    return Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))


def rows(relation) -> list[dict]:
    names = relation.columns
    return [dict(zip(names, r, strict=True)) for r in relation.fetchall()]


def page(relation, limit: int, offset: int) -> dict:
    return {"limit": limit, "offset": offset, "rows": rows(relation)}


def check_range(since: Optional[str], until: Optional[str]) -> None:
    for value in (since, until):
        try:
            if value:
                date.fromisoformat(value)
        except ValueError:
            raise HTTPException(400, f"{value!r} is not a date (YYYY-MM-DD)") from None
    if since and until and since > until:
        raise HTTPException(400, f"since ({since}) is after until ({until})")


class ResponseCache:
    """ASGI middleware keeping the last ``size`` successful ``GET /api/`` answers by URL.

    They cannot go stale: the server holds the database open read-only, and DuckDB lets no
    other process write to a file while it is open (stop ``serve`` to ingest into it)."""

    def __init__(self, app, size: int = 4096, max_bytes: int = 1_000_000):
        self.app, self.size, self.max_bytes = app, size, max_bytes
        self.entries: OrderedDict[bytes, list[dict]] = OrderedDict()
        self.lock = threading.Lock()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        key = scope["path"].encode() + b"?" + scope.get("query_string", b"")
        with self.lock:
            messages = self.entries.get(key)
            if messages is not None:
                self.entries.move_to_end(key)
        if messages is not None:
            for message in messages:
                await send(message)
            return
        sent: list[dict] = []

        async def keep(message):
            sent.append(message)
            await send(message)

        await self.app(scope, receive, keep)
        if sent and sent[0].get("status") == 200 and sum(len(m.get("body", b"")) for m in sent) <= self.max_bytes:
            with self.lock:
                self.entries[key] = sent
                while len(self.entries) > self.size:
                    self.entries.popitem(last=False)


def create_app(db: str) -> FastAPI:
    """The API and dashboard application over the database file ``db`` (opened read-only)."""
    base = Store(db, read_only=True)
    index = EventIndex.load(base.con)
    app = FastAPI(title="communique", version="1", description=__doc__.split("\n\n")[0],
                  openapi_url="/openapi.json", docs_url=None, redoc_url=None)  # their pages load scripts from a CDN
    app.add_middleware(ResponseCache)
    static = resources.files("communique").joinpath("api", "static")

    def store() -> Store:
        return base.cursor()

    def series(source, target, freq, since, until, both) -> list[dict]:
        """Dyad series; with the index, over the events of the dyad only (not a scan of the file)."""
        con = store().con
        if index is None or not (source or target):
            return dyad_series(con, source, target, freq, since, until, both_ways=both)
        selected = index.select(source=source, target=target)
        if both and source and target:
            selected = np.union1d(selected, index.select(source=target, target=source))
        con.register("dyad_events", index.rows(selected))
        return dyad_series(con, source, target, freq, since, until, both_ways=both, table="dyad_events")

    @app.get("/api/summary")
    def summary() -> dict:
        """Counts of the stored articles, events, quotes, stances, failures and duplicates."""
        s = store()
        dates = s.con.execute("SELECT min(TRY_CAST(date AS DATE)), max(TRY_CAST(date AS DATE)) "
                              "FROM articles").fetchall()[0]
        return {"db": db, **s.counts(), "first_date": dates[0], "last_date": dates[1],
                "types": sorted(event_types())}

    @app.get("/api/events")
    def events(country: Country = None, source: Country = None, target: Country = None,
               type: Annotated[Optional[str], Query(description="PLOVER event type, e.g. ACCUSE")] = None,
               since: Day = None, until: Day = None,
               q: Annotated[Optional[str], Query(max_length=200, description="text in the sentence")] = None,
               limit: Limit = 50, offset: Offset = 0) -> dict:
        """Events, newest first, filtered by country (source or target), dyad, type, dates and text."""
        if type and type.upper() not in event_types():
            raise HTTPException(400, f"unknown event type {type!r}; one of {', '.join(sorted(event_types()))}")
        check_range(since, until)
        filters = dict(country=country, source=source, target=target, type=type, since=since, until=until, text=q)
        if index is not None:
            total, found = index.page(**filters, limit=limit, offset=offset)
            return {"total": total, "limit": limit, "offset": offset, "rows": found}
        s = store()
        relation = s.events(**filters, limit=limit, offset=offset, order=INDEX_ORDER)
        total = s.events(**filters, order=None).aggregate("count(*)").fetchall()[0][0]
        return {"total": total, **page(relation, limit, offset)}

    @app.get("/api/events/{article_id}/{event_no}")
    def event(article_id: str, event_no: int) -> dict:
        """One event with its evidence: the sentence, the spans of the trigger and of the actors'
        mentions in it, the article, and the quote it was coded from."""
        s = store()
        if index is not None:
            e = index.event(article_id, event_no)
        else:
            found = rows(s.con.sql("SELECT * EXCLUDE (reason), reason FROM events WHERE article_id = ? "
                                   "AND event_no = ?", params=[article_id, event_no]))
            e = found[0] if found else None
        if e is None:
            raise HTTPException(404, f"no event {event_no} in article {article_id!r}")
        article = rows(s.con.sql("SELECT id, title, source, date, url, input FROM articles WHERE id = ?",
                                 params=[article_id]))[0]
        mentions = []
        for name, country, spans in s.con.execute(
                "SELECT name, country, mentions FROM actors WHERE article_id = ? AND name IN (?, ?)",
                [article_id, e["source_name"], e["target_name"]]).fetchall():
            role = "source" if name == e["source_name"] else "target"
            mentions += [{"role": role, "name": name, "country": country, "start": a, "end": b}
                         for a, b in json.loads(spans) if e["span_start"] <= a and b <= e["span_end"]]
        quote = None
        if e["quote_no"] is not None:
            quote = rows(s.con.sql("SELECT * FROM quotes WHERE article_id = ? AND quote_no = ?",
                                   params=[article_id, e["quote_no"]]))[0]
        return {"event": e, "article": article, "mentions": sorted(mentions, key=lambda m: m["start"]),
                "quote": quote}

    @app.get("/api/dyads")
    def dyads(source: Country = None, target: Country = None,
              freq: Annotated[str, Query(pattern="^(" + "|".join(FREQUENCIES) + ")$")] = "month",
              since: Day = None, until: Day = None, both: bool = True) -> list[dict]:
        """Series per directed country pair and period: counts by quad class and type, Goldstein sum,
        mean and shrunk mean; ``both`` adds the reverse direction of a given pair."""
        check_range(since, until)
        return series(source, target, freq, since, until, both)

    @app.get("/api/alignment")
    def alignment_matrix(country: Country = None, since: Day = None, until: Day = None,
                         min_evidence: Annotated[int, Query(ge=1)] = 1) -> list[dict]:
        """Alignment of country pairs (score in -1..1, evidence items, direct items, shared objects)."""
        check_range(since, until)
        return alignment(store().con, since, until, country, min_evidence)

    @app.get("/api/positions")
    def country_positions(since: Day = None, until: Day = None) -> list[dict]:
        """Each placed country's position on the main line of disagreement (-1..1; the direction is
        arbitrary), from its attitudes toward third parties and issues and theirs toward it."""
        check_range(since, until)
        place = positions(store().con, since, until)
        return [{"country": c, "position": p} for c, p in sorted(place.items(), key=lambda item: item[1])]

    @app.get("/api/alignment/{a}/{b}")
    def alignment_pair(a: str, b: str, since: Day = None, until: Day = None, limit: Limit = 200) -> list[dict]:
        """The article-level items behind one pair's alignment."""
        check_range(since, until)
        for code in (a, b):
            if len(code) != 3 or not code.isalpha():
                raise HTTPException(400, f"{code!r} is not a three-letter country code")
        return alignment_evidence(store().con, a, b, since, until, limit)

    @app.get("/api/coalitions")
    def coalition_list(since: Day = None, until: Day = None,
                       every: Annotated[str, Query(pattern="^(" + "|".join(PERIODS) + ")$")] = "all",
                       min_evidence: Annotated[int, Query(ge=1)] = 1) -> list[dict]:
        """Blocs of countries by signed community detection, per period, with their stability."""
        check_range(since, until)
        return coalitions(store().con, since, until, every, min_evidence)

    @app.get("/api/quotes")
    def quotes(speaker: Annotated[Optional[str], Query(max_length=200)] = None, country: Country = None,
               limit: Limit = 50, offset: Offset = 0) -> dict:
        """Quotes by speaker name (a part of it) or speaker country."""
        return page(store().quotes(speaker, country, limit, offset), limit, offset)

    @app.get("/api/stances")
    def stances(holder: Country = None, target: Country = None, limit: Limit = 50, offset: Offset = 0) -> dict:
        """Stances (for +1 or against -1) by holder country and target country; ``evidence`` holds the
        character spans of their evidence sentences."""
        result = page(store().stances(holder, target, limit, offset), limit, offset)
        for row in result["rows"]:
            row["evidence"] = json.loads(row["evidence"]) if row["evidence"] else []
        return result

    @app.get("/api/charts/dyad")
    def dyad_chart(source: Annotated[str, Query(pattern=ISO3)], target: Annotated[str, Query(pattern=ISO3)],
                   freq: Annotated[str, Query(pattern="^(" + "|".join(FREQUENCIES) + ")$")] = "month") -> dict:
        """The dyad timeline as a Plotly figure."""
        return dyad_figure(series(source, target, freq, None, None, True), source.upper(), target.upper(), freq)

    @app.get("/api/charts/alignment")
    def alignment_chart(since: Day = None, until: Day = None) -> dict:
        """The alignment heat map, countries ordered by bloc, as a Plotly figure."""
        check_range(since, until)
        pairs = alignment(store().con, since, until)
        return alignment_figure(pairs, blocs(pairs))  # the blocs of `coalitions` over the range, from these pairs

    @app.exception_handler(ValueError)
    def bad_value(request, exc: ValueError):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.get("/", include_in_schema=False)
    def dashboard():
        return FileResponse(str(static.joinpath("index.html")))

    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly():
        return FileResponse(plotly_js(), media_type="text/javascript")

    return app


def app_from_env() -> FastAPI:
    """The application over ``$COMMUNIQUE_DB`` (for server processes started by uvicorn)."""
    from ..settings import default_db

    return create_app(default_db())
