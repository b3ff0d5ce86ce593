"""The document model: one Article flows through every pipeline stage.

Each stage reads some fields of the Article and fills others; each declares which
(``reads`` and ``writes``, checked by the pipeline when it is built). The stages'
working state (the spaCy parse and what the stages index in it) travels in
``Article.parse``, typed, and is cleared once the article is coded. An input or an
article that cannot be read or coded becomes a :class:`Failure`. Everything here is a plain dataclass that serialises to
JSON with :meth:`Article.to_json`; the format is documented in docs/output.md.
Spans are ``[start, end]`` character offsets into ``Article.text``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

Span = tuple[int, int]


@dataclass
class ActorRef:
    """The coded identity of an actor as events, quotes and stances cite it."""

    name: str
    country: Optional[str] = None
    sector: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "sector": self.sector}


@dataclass
class Actor:
    """A state, organisation, group or person, with every mention of it in the text."""

    id: int
    name: str
    kind: str  # "country", "person", "organization", "group"
    country: Optional[str] = None
    sector: Optional[str] = None
    role: Optional[str] = None
    mentions: list[Span] = field(default_factory=list)
    reason: str = ""
    # persons: the sentence whose title phrase or apposition gave the role or country the tables did
    # not ("Y, the governor of Kano State"), the evidence of an actor learned from the text
    evidence: Optional[Span] = None

    def ref(self) -> ActorRef:
        return ActorRef(self.name, self.country, self.sector)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "sector": self.sector,
            "role": self.role,
            "mentions": [list(m) for m in sorted(self.mentions)],
            "reason": self.reason,
            "evidence": list(self.evidence) if self.evidence else None,
        }


@dataclass
class Location:
    name: str
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon}


@dataclass
class Event:
    """A coded event: who did what to whom, with the evidence that supports it."""

    type: str
    cameo: str
    goldstein: float
    quad_class: int
    source: Optional[ActorRef]
    target: Optional[ActorRef]
    sentence: str
    span: Span
    trigger: str
    trigger_span: Span
    mode: Optional[str] = None
    context: Optional[str] = None
    location: Optional[Location] = None
    date: Optional[str] = None
    historical: bool = False
    confidence: float = 0.5
    reason: str = ""
    quote: Optional[int] = None  # index in article.quotes of the quote the event was coded from
    source_span: Optional[Span] = None  # the mention of the source in the sentence (nearest the trigger)
    target_span: Optional[Span] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "mode": self.mode,
            "context": self.context,
            "cameo": self.cameo,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "source_span": list(self.source_span) if self.source_span else None,
            "target_span": list(self.target_span) if self.target_span else None,
            "location": self.location.to_dict() if self.location else None,
            "date": self.date,
            "historical": self.historical,
            "sentence": self.sentence,
            "span": list(self.span),
            "trigger": self.trigger,
            "trigger_span": list(self.trigger_span),
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
            "quote": self.quote,
        }


@dataclass
class Quote:
    text: str
    span: Span
    speaker: Optional[ActorRef]
    speaker_span: Optional[Span]
    cue: Optional[str]
    direct: bool
    events: list[int] = field(default_factory=list)  # indices in article.events of events coded from it
    cue_span: Optional[Span] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": list(self.span),
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "speaker_span": list(self.speaker_span) if self.speaker_span else None,
            "cue": self.cue,
            "cue_span": list(self.cue_span) if self.cue_span else None,
            "direct": self.direct,
            "events": self.events,
        }


STANCE_KINDS = ("reported", "quote", "coaction")


@dataclass
class Stance:
    """A holder's position toward another actor or toward an issue."""

    holder: ActorRef
    target: Optional[ActorRef]
    polarity: int  # -1 or 1
    evidence: list[Span] = field(default_factory=list)
    issue: Optional[str] = None
    kind: str = "reported"  # one of STANCE_KINDS (see communique.stances)

    def to_dict(self) -> dict[str, Any]:
        target: dict[str, Any] = self.target.to_dict() if self.target else {"issue": self.issue}
        return {
            "holder": self.holder.to_dict(),
            "target": target,
            "polarity": self.polarity,
            "kind": self.kind,
            "evidence": [list(s) for s in self.evidence],
        }


@dataclass
class Sentence:
    start: int
    end: int


@dataclass
class Parse:
    """The working state of one article while it is coded: the language stage's spaCy Doc and
    what the later stages index in it. Never serialised; cleared when the article is coded."""

    doc: Any  # the spaCy Doc of Article.text (its text is Article.text)
    text: str  # the Doc's text, read once (spaCy rebuilds Doc.text on every access)
    # written by the actors stage:
    actor_at: dict[int, "Actor"] = field(default_factory=dict)  # token index -> the actor its mention names
    pair: Optional[tuple[str, str]] = None  # the article's two main countries ("the two countries")
    sole_country: Optional[str] = None  # the one state the article names, if only one
    main_country: Optional[str] = None  # the country most of the mentions of placed parties are of, if one is
    # written by the quotes stage: (start, end, speaker) of each quoted or reported content with a speaker
    speakers: list[tuple[int, int, "Actor"]] = field(default_factory=list)

    def named_actors(self) -> list["Actor"]:
        """The actors mentioned in the text, each once, in the order the actors stage recorded them."""
        return list({id(a): a for a in self.actor_at.values()}.values())


@dataclass
class Failure:
    """An input that could not be read, or an article a stage could not code, and why."""

    input: str
    reason: str
    stage: str = "ingest"  # the stage that failed: ingest (reading), language, actors, quotes, events, stances

    @classmethod
    def caught(cls, article: "Article", error: Exception, stage: str) -> "Failure":
        """``article`` failed in ``stage`` with ``error`` (named by its input, else its id)."""
        return cls(article.input or article.id, f"{type(error).__name__}: {error}", stage)

    def __str__(self) -> str:
        where = "" if self.stage == "ingest" else f"{self.stage}: "
        return f"{self.input}: {where}{self.reason}"


@dataclass
class Article:
    """One news article and everything coded from it."""

    id: str
    text: str
    title: Optional[str] = None
    source: Optional[str] = None
    place: Optional[str] = None
    date: Optional[str] = None
    url: Optional[str] = None
    input: Optional[str] = None  # where it came from: a path, "path:line", "<stdin>"
    warnings: list[str] = field(default_factory=list)  # what the reader could not use (a date), not serialised
    sentences: list[Sentence] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    # Working state of the stages while the article is coded (see Parse); never serialised.
    parse: Optional[Parse] = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": {
                "id": self.id,
                "title": self.title,
                "source": self.source,
                "place": self.place,
                "date": self.date,
                "url": self.url,
                "text": self.text,
            },
            "actors": [a.to_dict() for a in self.actors],
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "stances": [s.to_dict() for s in self.stances],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)
