"""The shapes of the API's answers, as its OpenAPI description gives them.

Rows of the stored tables (events, articles, quotes, stances) are objects of their columns
(see docs/output.md); the envelopes around them, the analysis rows and the errors are
described field by field here. ``errors(...)`` declares a route's 4xx answers.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Literal, Optional

from pydantic import BaseModel

Row = dict[str, Any]  # a stored row: column -> value


class Problem(BaseModel):
    """A 400 or 404 answer: what is wrong with the request."""

    detail: str


ERRORS = {400: "a parameter that means nothing (not a real date, an unknown event type or country code, "
               "since after until) or one the endpoint does not take",
          404: "no such item"}


def errors(*codes: int) -> dict:
    """The ``responses`` of a route for these status codes, each with its :class:`Problem` model."""
    return {code: {"model": Problem, "description": ERRORS[code]} for code in codes}


class Summary(BaseModel):
    db: str  # the database's file name
    articles: int
    events: int
    quotes: int
    stances: int
    failures: int
    duplicates: int
    first_date: Optional[date]
    last_date: Optional[date]
    types: list[str]


class Page(BaseModel):
    limit: int
    offset: int
    rows: list[Row]


class EventPage(Page):
    total: int


class Mention(BaseModel):
    role: Literal["source", "target"]
    name: str
    country: Optional[str]
    start: int
    end: int


class EventDetail(BaseModel):
    event: Row
    article: Optional[Row]
    mentions: list[Mention]
    quote: Optional[Row]


class DyadPeriod(BaseModel):
    source: str
    target: str
    period: Optional[str]
    events: int
    quad1: int
    quad2: int
    quad3: int
    quad4: int
    goldstein_sum: float
    goldstein_mean: float
    goldstein_shrunk: float
    types: dict[str, int]


class PairScore(BaseModel):
    a: str
    b: str
    score: float
    evidence: int
    direct: int
    shared: int
    interval: Optional[list[float]] = None  # with bootstrap: 95% over resamples of the articles
    settled: Optional[bool] = None  # with bootstrap: the interval at most half the scale wide


class Position(BaseModel):
    country: str
    position: float
    interval: Optional[list[float]] = None  # as PairScore's (None also where rarely placed in a resample)
    settled: Optional[bool] = None


class Item(BaseModel):
    article_id: str
    holder: str
    object: str
    polarity: int
    value: float  # the item's value in [-1, 1]: its stances' polarities times their kinds' weights
    kind: Literal["direct", "shared"]


class Bloc(BaseModel):
    members: list[str]
    period: str
    since: Optional[str]
    until: Optional[str]
    evidence: int
    stability: Optional[float]
    membership: Optional[dict[str, float]] = None  # with bootstrap: per member, the share of resamples in its bloc


class Figure(BaseModel):
    """A Plotly figure specification."""

    data: list[Row]
    layout: Row


class Evidence(BaseModel):
    sentence: str
    start: int
    end: int
    event_no: Optional[int]  # the event coded from the sentence, if any


class PairItem(Item):
    evidence: list[Evidence]


class BusyDyad(BaseModel):
    a: str
    b: str
    events: int
    a_name: Optional[str]
    b_name: Optional[str]


class PeriodCounts(BaseModel):
    """A period's events: the first day, the counts per quad class, the Goldstein sum and mean."""

    period: date
    events: int
    quad1: int
    quad2: int
    quad3: int
    quad4: int
    goldstein_sum: float
    goldstein_mean: Optional[float]


class SeriesRow(PeriodCounts):
    """One key's period: the counts, and the key's fields (``country``; ``source`` and ``target``;
    ``type``; none for all events)."""

    country: Optional[str] = None
    source: Optional[str] = None
    target: Optional[str] = None
    type: Optional[str] = None


class CountryCount(BaseModel):
    code: str
    name: Optional[str]
    events: int


class Place(BaseModel):
    place: Optional[str]
    country: Optional[str]
    lat: float
    lon: float
    events: int


class EventMap(BaseModel):
    countries: list[CountryCount]
    places: list[Place]


class ActorEvents(BaseModel):
    source: int
    target: int
    total: int


class Partner(BaseModel):
    code: str
    name: Optional[str]
    events: int
    as_source: int  # the events of which the actor is the source
    goldstein_mean: Optional[float]


class Actor(BaseModel):
    code: str
    name: Optional[str]
    events: ActorEvents
    timeline: list[PeriodCounts]
    partners: list[Partner]
    quotes: list[Row]
