"""Resolving a short actor phrase on its own: ``communique actors lookup``.

The phrase ("Cuban President Miguel Diaz-Canel", "Mexican authorities", "a US
destroyer") is parsed and run through the actors stage as a one-line article dated
``date``; the actor whose mention covers the phrase's head wins, else the phrase's
title or sector noun with the country named in it. ``context`` is a country or
nationality the phrase appears with ("Defense Minister" with "German"); it gives the
country when the phrase names none. Every result says which rule or entry gave it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

from ..model import Article
from .resolve import ActorResolver


@dataclass
class Resolution:
    name: Optional[str]
    country: Optional[str]
    sector: Optional[str]
    reason: Optional[str]

    def to_dict(self) -> dict:
        return asdict(self)


UNRESOLVED = Resolution(None, None, None, None)


def lookup_actor(text: str, nlp, resolver: ActorResolver, date: Optional[str] = None,
                 context: Optional[str] = None) -> Resolution:
    """The actor ``text`` names (see the module docstring)."""
    if not text or not text.strip():
        return UNRESOLVED
    article = resolver(Article(id="lookup", text=text.strip(), date=date, doc=nlp(text.strip())))
    doc = article.doc
    root = next(iter(doc.sents)).root
    actor_at = doc.user_data["actor_at"]
    actors = doc.user_data["actors"]
    title = title_of_phrase(root, resolver)
    if root.i in actor_at:
        actor = actors[actor_at[root.i]]
        sector = actor.sector or (title.sector if title and actor.kind == "country" else None)
        return Resolution(actor.name, actor.country, sector, actor.reason or f"{actor.kind} '{actor.name}'")
    named = [actors[i] for i in dict.fromkeys(actor_at.values())]
    country = next((a for a in named if a.country), None)
    if country is not None or title is not None:
        code = country.country if country else None
        reason = "; ".join(filter(None, [f"title '{title.term}' ({title.sector})" if title else None,
                                         f"names {country.name} ({code})" if country else None]))
        resolution = Resolution(text.strip(), code, title.sector if title else None, reason)
    else:
        resolution = UNRESOLVED
    return with_context(resolution, text, context, resolver)


def title_of_phrase(root, resolver: ActorResolver):
    """The title or sector noun the phrase is headed by ("defense minister", "farmers")."""
    words = [c.lemma_.lower() for c in root.lefts if c.dep_ in ("amod", "compound")]
    dictionary = resolver.dictionary
    return dictionary.sector_noun(words + [root.lemma_.lower()]) or dictionary.sector_noun(words + [root.lower_])


def with_context(resolution: Resolution, text: str, context: Optional[str], resolver: ActorResolver) -> Resolution:
    """Fill the country from the context ("German") when the phrase names none."""
    if resolution.country or not context:
        return resolution
    place = resolver.gazetteer.lookup(context.strip())
    if place is None or not place.iso3:
        return resolution
    reason = "; ".join(filter(None, [resolution.reason, f"context '{context}' names {place.iso3}"]))
    return Resolution(resolution.name or text.strip(), place.iso3, resolution.sector, reason)
