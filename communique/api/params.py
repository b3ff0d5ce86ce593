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
from functools import lru_cache
from typing import Annotated, Optional

from fastapi import HTTPException, Query, Request

from ..analysis.coalitions import PERIODS
from ..analysis.dyads import FREQUENCIES
from ..resources import read_table

ISO3 = r"^[A-Za-z]{3}$"
YEAR = r"(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"  # 0001..9999, as datetime.date takes them
DATE = rf"^{YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"  # the days a month can have: the rest is checked
MAX_INT = 2**31 - 1  # the stored integers' range (DuckDB INTEGER)

Country = Annotated[Optional[str], Query(pattern=ISO3, description="ISO 3166 alpha-3 (or IGO/bloc) code")]
Code = Annotated[str, Query(pattern=ISO3, description="ISO 3166 alpha-3 (or IGO/bloc) code")]
Day = Annotated[Optional[str], Query(pattern=DATE, json_schema_extra={"format": "date"},
                                     description="a calendar date, YYYY-MM-DD")]
Limit = Annotated[int, Query(ge=1, le=1000, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]
MinEvidence = Annotated[int, Query(ge=1, le=MAX_INT, description="evidence items a pair needs at least")]
Freq = Annotated[str, Query(pattern="^(" + "|".join(FREQUENCIES) + ")$", description="period of the series")]
Every = Annotated[str, Query(pattern="^(" + "|".join(PERIODS) + ")$", description="period of the blocs")]


@lru_cache(maxsize=1)
def event_types() -> frozenset[str]:
    """The PLOVER event types."""
    return frozenset(r["plover_type"] for r in read_table("cameo.tsv") if r["plover_type"])


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
        max_length=40, json_schema_extra={"enum": sorted(event_types())},
        description="PLOVER event type, e.g. ACCUSE (any case)")] = None) -> Optional[str]:
    """The event type, one of :func:`event_types` in any case (400 for another)."""
    if type and type.upper() not in event_types():
        raise HTTPException(400, f"unknown event type {type!r}; one of {', '.join(sorted(event_types()))}")
    return type


def country_code(code: str) -> str:
    """``code`` if it is three ASCII letters (400 otherwise)."""
    if len(code) != 3 or not (code.isascii() and code.isalpha()):
        raise HTTPException(400, f"{code!r} is not a three-letter country code")
    return code


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
