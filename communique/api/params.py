"""The API's parameters: their types as OpenAPI describes them, and the checks that FastAPI's
validation cannot make (real calendar dates, known event types, no unknown parameters).

A value of the wrong shape gets a 422 answer from FastAPI (it does not match the type or the
pattern the description gives); a value of the right shape that still means nothing (2024-02-30,
a ``since`` after its ``until``, an unknown event type) or a parameter the endpoint does not
take gets a 400 answer whose ``detail`` says what is wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Optional

from fastapi import Depends, HTTPException, Query, Request

from ..analysis.coalitions import PERIODS
from ..analysis.dyads import FREQUENCIES
from ..analysis.series import BY, FREQS
from ..lexicons import codes
from ..model import STANCE_KINDS

YEAR = r"(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"  # 0001..9999, as datetime.date takes them
DATE = rf"^{YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"  # the days a month can have: the rest is checked
MAX_INT = 2**31 - 1  # the stored integers' range (DuckDB INTEGER)

COUNTRY_TEXT = ("a country or organisation: its ISO 3166 alpha-3 (or IGO/bloc) code, or its name "
                "(\"IRN\", \"Iran\", \"United States\"); any case")
Day = Annotated[Optional[str], Query(pattern=DATE, json_schema_extra={"format": "date"},
                                     description="a calendar date, YYYY-MM-DD")]
Limit = Annotated[int, Query(ge=1, le=1000, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]
MinEvidence = Annotated[int, Query(ge=1, le=MAX_INT, description="evidence items a pair needs at least")]
Freq = Annotated[str, Query(pattern="^(" + "|".join(FREQUENCIES) + ")$", description="period of the series")]
StanceKind = Annotated[Optional[str], Query(pattern="^(" + "|".join(STANCE_KINDS) + ")$",
                                            description="stances of one kind")]
Bootstrap = Annotated[int, Query(ge=0, le=1000, description="resamples of the articles for 95% intervals "
                                                             "(0: none)")]
Every = Annotated[str, Query(pattern="^(" + "|".join(PERIODS) + ")$", description="period of the blocs")]
SeriesFreq = Annotated[str, Query(pattern="^(" + "|".join(FREQS) + ")$", description="period of the series")]
SeriesBy = Annotated[str, Query(pattern="^(" + "|".join(BY) + ")$", description="what a series is of")]
MinConfidence = Annotated[Optional[float], Query(ge=0, le=1, description="events of this confidence or more")]
Dyadic = Annotated[bool, Query(description="only events whose source and target have different countries")]


@dataclass(frozen=True)
class Period:
    """A checked date range (YYYY-MM-DD, either None for no bound)."""

    since: Optional[str] = None
    until: Optional[str] = None


def period(since: Day = None, until: Day = None) -> Period:
    """``since`` and ``until`` as a :class:`Period`: real dates (400 for 2024-02-30), ``since`` not after
    ``until``."""
    for value in (since, until):
        try:
            if value:
                date.fromisoformat(value)
        except ValueError:
            raise HTTPException(400, f"{value!r} is not a date (YYYY-MM-DD)") from None
    if since and until and since > until:
        raise HTTPException(400, f"since ({since}) is after until ({until})")
    return Period(since, until)


def event_type(type: Annotated[Optional[str], Query(
        max_length=40, json_schema_extra={"enum": list(codes.event_types())},
        description="PLOVER event type, e.g. ACCUSE (any case)")] = None) -> Optional[str]:
    """The event type, one of :func:`communique.lexicons.codes.event_types` in any case (400 for another,
    naming the nearest)."""
    try:
        return codes.event_type(type) if type else None
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


def country_code(text: str, name: str = "country") -> str:
    """The code of the country or organisation ``text`` names (a code or a name, see
    :func:`communique.lexicons.codes.country_code`); 400 with the nearest codes otherwise."""
    try:
        return codes.country_code(text)
    except ValueError as exc:
        raise HTTPException(400, f"{name}: {exc}") from None


def country_parameter(name: str, required: bool = False):
    """A dependency reading the query parameter ``name`` as a country (code or name) and giving its code
    (None when an optional one is absent)."""

    def resolve(value=None) -> Optional[str]:
        return country_code(value, name) if value and value.strip() else None

    # real objects, not the text this module's annotations are (they could not see ``name``)
    query = Query(alias=name, max_length=80, description=COUNTRY_TEXT, **({"min_length": 1} if required else {}))
    resolve.__annotations__ = {"value": Annotated[str if required else Optional[str], query],
                               "return": Optional[str]}
    if required:
        resolve.__defaults__ = None
    resolve.__name__ = f"{name}_country"
    return resolve


def dyad_parameter(dyad: Annotated[Optional[str], Query(
        max_length=170, description="two countries (codes or names) separated by a comma: the events between "
                                    "them, either way")] = None) -> Optional[tuple[str, str]]:
    """``dyad`` (``A,B``) as a pair of codes; 400 unless it names two countries."""
    if not dyad or not dyad.strip():
        return None
    try:
        return codes.dyad_codes(dyad)
    except ValueError as exc:
        raise HTTPException(400, f"dyad: {exc}") from None


Country = Annotated[Optional[str], Depends(country_parameter("country"))]
Source = Annotated[Optional[str], Depends(country_parameter("source"))]
Target = Annotated[Optional[str], Depends(country_parameter("target"))]
Holder = Annotated[Optional[str], Depends(country_parameter("holder"))]
Dyad = Annotated[Optional[tuple[str, str]], Depends(dyad_parameter)]


def query_names(dependant) -> set[str]:
    """The names of the query parameters of a route's dependant and its dependencies."""
    return {f.alias for f in dependant.query_params} | {n for d in dependant.dependencies for n in query_names(d)}


def known_parameters(request: Request) -> None:
    """Refuse (400) a query parameter the endpoint does not take: a misspelt filter would otherwise be
    ignored silently, and its answer would be that of no filter."""
    route = request.scope.get("route")
    if route is None:
        return
    unknown = sorted(set(request.query_params) - query_names(route.dependant))
    if unknown:
        names = ", ".join(sorted(query_names(route.dependant))) or "none"
        raise HTTPException(400, f"unknown parameter {unknown[0][:40]!r} (this endpoint takes: {names})")


@dataclass(frozen=True)
class Filters:
    """The checked event filters, as :meth:`communique.store.Store.events` takes them (codes resolved)."""

    country: Optional[str] = None
    source: Optional[str] = None
    target: Optional[str] = None
    type: Optional[str] = None
    since: Optional[str] = None
    until: Optional[str] = None
    text: Optional[str] = None
    dyad: Optional[tuple[str, str]] = None
    min_confidence: Optional[float] = None
    dyadic: bool = False

    def kwargs(self, *without: str) -> dict:
        """The filters as keywords of the store's queries, less ``without``."""
        return {k: v for k, v in self.__dict__.items() if k not in without}


EventType = Annotated[Optional[str], Depends(event_type)]
Span = Annotated[Period, Depends(period)]
Text = Annotated[Optional[str], Query(max_length=200, description="text in the sentence")]


def event_filters(country: Country, source: Source, target: Target, type: EventType, span: Span, dyad: Dyad,
                  q: Text = None, min_confidence: MinConfidence = None, dyadic: Dyadic = False) -> Filters:
    """The event filters of a request: country (as source or target), source, target, dyad (either way),
    type, dates, text, minimum confidence, dyadic only."""
    return Filters(country, source, target, type, span.since, span.until, q or None,
                   dyad, min_confidence, dyadic)


EventFilters = Annotated[Filters, Depends(event_filters)]
