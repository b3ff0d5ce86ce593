"""The document model: one Article flows through every pipeline stage.

Each stage reads some fields of the Article and fills others (see the stage
modules' docstrings). Everything here is a plain dataclass that serialises to
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


@dataclass
class Stance:
    """A holder's position toward another actor or toward an issue."""

    holder: ActorRef
    target: Optional[ActorRef]
    polarity: int  # -1 or 1
    evidence: list[Span] = field(default_factory=list)
    issue: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        target: dict[str, Any] = self.target.to_dict() if self.target else {"issue": self.issue}
        return {
            "holder": self.holder.to_dict(),
            "target": target,
            "polarity": self.polarity,
            "evidence": [list(s) for s in self.evidence],
        }


@dataclass
class Sentence:
    start: int
    end: int


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
    sentences: list[Sentence] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    # Working state of the language stage (a spaCy Doc); never serialised.
    doc: Any = field(default=None, repr=False, compare=False)

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
