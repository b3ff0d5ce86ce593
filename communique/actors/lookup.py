"""Resolving a short actor phrase on its own: ``communique actors lookup``.

The phrase ("Cuban President Miguel Diaz-Canel", "Mexican authorities", "a US
destroyer") is parsed and run through the actors stage as a one-line article dated
``date``. Rules, in order; every result says which rule or entry gave it:

1. the actor whose mention covers the phrase's head (its last word before "of", "in",
   "across", ...; after a group noun and "of", as in "a team of engineers", the head of what
   follows): a person, a state, an organisation. A bare capital stands for its
   government (GOV), another town for its people (CVL);
2. a named organisation in the phrase with a sector ("Boko Haram gunmen", "FSB
   officers"): its country and sector, the body outranking the generic member noun;
3. a phrase that is a town's name alone: its government (a capital) or people (another town);
4. the phrase's title or sector noun (the longest one ending at the head, lemma or word,
   after dropping generic heads such as "officer" or "group"; "president of the
   Riigikogu" takes the body's sector) with the country the phrase names; a head noun in no
   list takes the sector of the most similar listed noun by the sentence encoder, at cosine
   ``SIMILAR`` or more ("footballer" is like "football player": CVL);
5. ``context``, a country or nationality the phrase appears with ("Defense Minister" with
   "German"), gives the country when the phrase names none.

"former" or "ex-" before the head makes the sector ELI (PLOVER: former officials).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Optional, Sequence

from spacy.tokens import Token

from ..encoder import Encoder
from ..lexicons.dictionary import sector_nouns
from ..model import Actor, Article, Parse
from .resolve import FORMER, ActorResolver

HEAD_ENDS = {"of", "in", "to", "across", "from", "at", "on", "with", "for", "near", "who", "which", "that"}
GENERIC_HEADS = {"officer", "official", "agent", "member", "members", "unit", "group", "agency", "body",
                 "personnel", "staff", "representative", "spokesman", "spokeswoman", "spokesperson", "office"}
LEADING_TITLES = {"president", "chairman", "chairwoman", "chair", "head", "chief", "leader", "director",
                  "speaker", "member", "spokesman", "spokeswoman", "spokesperson", "secretary"}
# a group named by its members: "a team of engineers", "several of the largest banks"
GROUP_NOUNS = {"team", "teams", "group", "groups", "band", "bands", "crowd", "crowds", "contingent", "squad",
               "handful", "number", "couple", "dozen", "dozens", "hundreds", "thousands", "several", "many",
               "some", "most", "few", "all", "each", "one", "two", "three", "majority", "minority"}
TOWN_SECTORS = {"capital": "GOV", "city": "CVL"}
# a noun in no list takes the sector of the most similar listed noun at this cosine or more. With
# sector_nouns.tsv split by split_of(term, "sectors"), 70% indexed: dev 86% right, 68% of nouns
# covered (chosen there); test 88%, 64% (tests/test_actors_lookup.py). Optimistic for nouns no list
# is near: held-out terms often have a listed sibling ("catholic priest", "buddhist priest").
SIMILAR = 0.7


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
    doc = nlp(text.strip())
    parse = resolver(Article(id="lookup", text=doc.text, date=date, parse=Parse(doc, doc.text))).parse
    words = head_phrase(parse.doc)
    if not words:
        return UNRESOLVED
    resolution = (head_actor(parse, words, resolver) or named_body(parse, words)
                  or named_town(text.strip(), resolver) or titled(parse, words, text.strip(), resolver) or UNRESOLVED)
    return with_context(formerly(resolution, words), text, context, resolver)


def head_phrase(doc) -> list[Token]:
    """The phrase's leading noun phrase: its words up to "of", "in", ... or a comma; after a
    group noun and "of" ("a team of ...", "several of ..."), the phrase of its members."""
    words = []
    for tok in doc:
        if words and (tok.lower_ in HEAD_ENDS or tok.text in (",", ";", "(")):
            if tok.lower_ == "of" and words[-1].lower_ in GROUP_NOUNS:
                words = []
                continue
            break
        if not (tok.is_punct or tok.is_space or tok.pos_ == "DET" or tok.dep_ in ("nummod", "quantmod", "case")):
            words.append(tok)
    return words


def head_actor(parse: Parse, words: list[Token], resolver: ActorResolver) -> Optional[Resolution]:
    """Rule 1: the actor mentioned at the head word."""
    actor = parse.actor_at.get(words[-1].i)
    if actor is None:
        return None
    sector, reason = actor.sector, actor.reason or f"{actor.kind} '{actor.name}'"
    place = resolver.gazetteer.lookup(phrase_text(parse.text, actor, words[-1])) if actor.kind == "country" else None
    title = sector_title(words, resolver) if actor.kind == "country" else None
    if not sector and title is not None:  # "Palestinian Authority"
        sector, reason = title.sector, f"{reason}; title '{title.term}' ({title.sector})"
    elif not sector and place is not None and place.kind in TOWN_SECTORS and len(words) == 1:
        sector = TOWN_SECTORS[place.kind]
        reason = f"{reason}; a {place.kind} alone stands for its {'government' if sector == 'GOV' else 'people'}"
    return Resolution(actor.name, actor.country, sector, reason)


def named_town(text: str, resolver: ActorResolver) -> Optional[Resolution]:
    """A phrase that is a town's name the recogniser did not take for a place ("Mariupol")."""
    place = resolver.gazetteer.lookup(text)
    if place is None or place.kind not in TOWN_SECTORS or not place.iso3:
        return None
    sector = TOWN_SECTORS[place.kind]
    return Resolution(place.name, place.iso3, sector, f"{place.reason}; a {place.kind} alone stands for its "
                                                      f"{'government' if sector == 'GOV' else 'people'}")


def phrase_text(text: str, actor: Actor, tok: Token) -> str:
    """The text of the actor's mention that covers ``tok``."""
    for start, end in actor.mentions:
        if start <= tok.idx < end:
            return text[start:end]
    return tok.text


def named_body(parse: Parse, words: list[Token]) -> Optional[Resolution]:
    """Rule 2: a named organisation with a sector among the head phrase's words."""
    for tok in reversed(words):
        actor = parse.actor_at.get(tok.i)
        if actor is not None and actor.kind == "organization" and actor.sector:
            return Resolution(" ".join(t.text for t in words), actor.country, actor.sector,
                              f"names {actor.name} ({actor.country}, {actor.sector}): the body's sector")
    return None


def titled(parse: Parse, words: list[Token], text: str, resolver: ActorResolver) -> Optional[Resolution]:
    """Rule 3: a title or sector noun, with the country or body the phrase names."""
    title = sector_title(words, resolver)
    body = body_after(parse, words) if words[-1].lower_ in LEADING_TITLES else None
    country = next((a for a in parse.named_actors() if a.country), None)
    if body is not None:
        return Resolution(text, body.country, body.sector,
                          f"'{words[-1].text}' of {body.name} ({body.country}, {body.sector})")
    sector, why = (title.sector, f"title '{title.term}' ({title.sector})") if title else (None, None)
    if title is None and words[-1].pos_ == "NOUN":
        term, similar, similarity = sector_index().nearest(words[-1].lemma_.lower())
        if similarity >= SIMILAR:
            sector, why = similar, f"'{words[-1].lemma_.lower()}' is like '{term}' ({similar}, {similarity:.2f})"
    if country is None and sector is None:
        return None
    code = country.country if country else None
    reason = "; ".join(filter(None, [why, f"names {country.name} ({code})" if country else None]))
    return Resolution(text, code, sector, reason)


class SectorIndex:
    """Listed sector nouns and their encoder vectors: the sector of the nearest one to a word."""

    def __init__(self, terms: Sequence[str], sectors: Sequence[str]):
        self.terms, self.sectors = list(terms), list(sectors)
        self.vectors = Encoder.load().sentence_vectors(self.terms)

    def nearest(self, text: str) -> tuple[str, str, float]:
        """(listed noun, its sector, cosine similarity) nearest to ``text``."""
        scores = self.vectors @ Encoder.load().sentence_vectors([text])[0]
        best = int(scores.argmax())
        return self.terms[best], self.sectors[best], float(scores[best])


@lru_cache(maxsize=1)
def sector_index() -> SectorIndex:
    """The index of every sector noun (:func:`sector_nouns`; built on first use: about 3 s)."""
    nouns = sector_nouns()
    return SectorIndex(list(nouns), [title.sector for title in nouns.values()])


def sector_title(words: list[Token], resolver: ActorResolver):
    """The title or sector noun ending at the head, dropping generic heads ("agency officer")."""
    dictionary = resolver.dictionary
    while words:
        lowered = [t.lower_ for t in words]
        title = dictionary.sector_noun(lowered[:-1] + [words[-1].lemma_.lower()]) or dictionary.sector_noun(lowered)
        if title or lowered[-1] not in GENERIC_HEADS:
            return title
        words = words[:-1]
    return None


def body_after(parse: Parse, words: list[Token]) -> Optional[Actor]:
    """The organisation or body named after "president of ..." (with a sector)."""
    for tok in parse.doc[words[-1].i + 1:]:
        actor = parse.actor_at.get(tok.i)
        if actor is not None and actor.sector and actor.kind == "organization":
            return actor
    return None


def formerly(resolution: Resolution, words: list[Token]) -> Resolution:
    """ "former President X", "an ex-minister": PLOVER's ELI (former officials)."""
    if resolution.sector and any(t.lower_ in FORMER for t in words):
        return replace(resolution, sector="ELI", reason=f"{resolution.reason}; 'former': ELI")
    return resolution


def with_context(resolution: Resolution, text: str, context: Optional[str], resolver: ActorResolver) -> Resolution:
    """Fill the country from the context ("German") when the phrase names none."""
    if resolution.country or not context:
        return resolution
    place = resolver.gazetteer.lookup(context.strip())
    if place is None or not place.iso3:
        return resolution
    reason = "; ".join(filter(None, [resolution.reason, f"context '{context}' names {place.iso3}"]))
    return Resolution(resolution.name or text.strip(), place.iso3, resolution.sector, reason)
