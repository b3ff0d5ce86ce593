"""Actors stage: find every mention of a state, organisation, group or person.

Reads ``article.parse.doc`` (spaCy), ``article.date``, ``article.place``; writes
``article.actors`` and, for the later stages, ``article.parse.actor_at`` (token
index -> the actor of the mention covering that token), ``parse.pair`` (the
article's two main countries, for "the two countries"), ``parse.sole_country`` and
``parse.main_country`` (the country most mentions are of, for parties the text does not place).
Names resolve through the gazetteer (countries, provinces, towns, organisations; misspelt country
names where the recogniser saw a place or nationality), navies' ship prefixes ("USS Ross") and the
dictionary (titles, dated persons, persons learned from earlier articles); later mentions
(surnames, titles, "the Cuban president", pronouns) through :mod:`.coref`. A person whose title
phrase or apposition gives a role or country the tables lack keeps that sentence as its
``evidence``: what ``communique actors learned`` lists.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc, Span, Token

from ..lexicons.dictionary import Dictionary, fold
from ..lexicons.gazetteer import Gazetteer, Place
from ..lexicons.quotemarks import quote_spans
from ..model import Actor, Article
from ..resources import read_table
from .coref import resolve_nominals, resolve_owned, resolve_pronouns
from .index import ActorIndex, PersonInfo, content_words

HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "sheikh", "ayatollah", "president",
              "commander", "general", "gen.", "king", "queen", "prince", "pope", "imam", "minister", "premier"}
MALE_HONORIFICS = {"mr", "mr.", "sir", "king", "prince", "sheikh", "ayatollah"}
FEMALE_HONORIFICS = {"mrs", "mrs.", "ms", "ms.", "queen", "princess"}
FORMER = {"former", "ex", "ex-"}
NOT_NAMES = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})  # entity labels


@lru_cache(maxsize=1)
def ship_prefixes() -> dict[str, str]:
    """Navies' ship prefixes and their countries (ship_prefixes.tsv)."""
    return {r["prefix"]: r["iso3"] for r in read_table("ship_prefixes.tsv")}


class ActorResolver:
    """The actors stage: ``resolver(article) -> article``."""

    name = "actors"
    reads = frozenset({"parse.doc", "text", "date", "place"})
    writes = frozenset({"actors", "parse.actor_at", "parse.pair", "parse.sole_country", "parse.main_country"})

    def __init__(self, gazetteer: Gazetteer, dictionary: Dictionary):
        self.gazetteer = gazetteer
        self.dictionary = dictionary

    def __call__(self, article: Article) -> Article:
        parse = article.parse
        index = ActorIndex(parse.doc, article.date)
        self.find_ships(index)
        self.find_persons(index, article.date)
        self.find_places(index)
        owned = resolve_nominals(index, self, self.home_country(article), tuple(quote_spans(article.text)))
        resolve_pronouns(index, self.dictionary.pronouns)
        resolve_owned(index, self, owned)
        sole = sole_country(index.actors, self.gazetteer)
        for actor in index.actors:
            actor.mentions.sort()
            if sole and actor.country is None and actor.kind == "person":
                actor.country, actor.reason = sole, f"{actor.reason}; the only country the article names".lstrip("; ")
        article.actors = [a for a in index.actors if a.mentions]
        parse.actor_at = {i: index.actors[actor_id] for i, actor_id in index.actor_at.items()}
        counts = country_mentions(index.actors)
        parse.pair, parse.main_country = main_pair(counts), main_country(counts)
        for actor in article.actors:  # a person the text gives a role but no country: of the article's country
            if actor.evidence and actor.country is None and parse.main_country:
                actor.country = parse.main_country
                actor.reason = f"{actor.reason}; the article's main country".lstrip("; ")
        parse.sole_country = sole
        return article

    def home_country(self, article: Article) -> Optional[Place]:
        """The country of the dateline's place, if the article has a dateline."""
        place = self.gazetteer.lookup(article.place) if article.place else None
        if place and place.kind in ("city", "capital", "country", "region") and place.iso3:
            return self.gazetteer.country(place.iso3) or place
        return None

    # -- persons -------------------------------------------------------------------------
    def find_persons(self, index: ActorIndex, date: Optional[str]) -> None:
        """Named persons: PERSON entities, names the dictionary knows, and later the surnames
        of persons already found, whatever label the recogniser gave them."""
        doc = index.doc
        pending = []
        for ent in map(with_hyphenated_tail, doc.ents):
            name_span = strip_honorifics(ent)
            if name_span is not None and self.is_person_name(ent, name_span):
                if len(name_span) == 2 and name_span[0].lower_ == name_span[1].lower_ \
                        and not self.dictionary.person(name_span.text):  # "... to beat Trump Trump threatening to
                    ent = name_span = name_span[1:]  # fire ...": two headlines run together, not a name
                pending.append((ent, name_span))
        named = {t.i for ent, _ in pending for t in ent}
        for span in dictionary_names(doc, self.dictionary):  # names the recogniser missed or mislabelled
            if not any(t.i in named for t in span):
                pending.append((span, span))
        # Full names first, so that a surname alone can join the person it names.
        pending.sort(key=lambda p: -len(p[1]))
        for ent, name_span in pending:
            if not any(t.i in index.actor_at for t in name_span):  # a ship's name is no person's
                self.add_person(index, ent, name_span, date)
        surnames = {info.surname for info in index.persons.values()}
        for ent in doc.ents:
            if ent.start not in index.actor_at and len(ent) == 1 and ent.label_ not in NOT_NAMES \
                    and fold(ent.text) in surnames:
                self.add_person(index, ent, ent, date)
        for tok in doc:  # a surname the recogniser did not take for a name at all ("Modi said")
            if tok.is_title and not tok.ent_type_ and tok.i not in index.actor_at and fold(tok.text) in surnames:
                self.add_person(index, doc[tok.i:tok.i + 1], doc[tok.i:tok.i + 1], date)

    def is_person_name(self, ent: Span, name_span: Span) -> bool:
        if not any(t.is_alpha for t in name_span):  # the recogniser may label a dash and a line break PERSON
            return False
        place = self.gazetteer.lookup(name_span.text)
        if place and not (place.weak and ent.label_ == "PERSON"):  # "Nelson" the person, not the province
            return False
        if ent.label_ == "PERSON" or self.dictionary.person(ent.text) or self.dictionary.person(name_span.text):
            return True
        if ent.label_ not in NOT_NAMES and len(name_span) >= 2 and all(t.is_title for t in name_span) \
                and any(self.person_title(desc) for desc in appositions(ent)):
            return True  # a name the recogniser did not take for a person's, set beside a person's title
        # a surname alone, unless the recogniser read a date or a number ("on Friday" is not Godwin Friday)
        return len(name_span) == 1 and name_span[0].is_title and ent.label_ not in NOT_NAMES and \
            self.dictionary.person_by_surname(name_span.text) is not None

    def add_person(self, index: ActorIndex, ent: Span, name_span: Span, date: Optional[str]) -> None:
        name = self.dictionary.person(ent.text) or self.dictionary.person(name_span.text) or name_span.text
        actor = self.known_person(index, name, len(name_span) == 1)
        if actor is None and len(name_span) == 1:
            name = self.dictionary.person_by_surname(name) or self.titled_person(ent, name, date) or name
            actor = index.by_key.get(("person", fold(name)))
        if actor is None:
            actor = index.get(("person", fold(name)), name=name, kind="person")
            index.persons[actor.id] = PersonInfo(surname=self.dictionary.surname(name))
            role = self.dictionary.role(name, date) if self.dictionary.person(name) else None
            if role:
                actor.country, actor.sector, actor.role = role.country, role.sector, role.role
                actor.reason = f"{role.source}: {role.role} of {role.country} {role.start}..{role.end or 'now'}"
                index.persons[actor.id].gender = role.gender
            elif self.dictionary.country(name):
                actor.country = self.dictionary.country(name)
                actor.reason = f"persons dictionary: of {actor.country} (no role known on the article's date)"
        phrase = extend_left(ent, self)
        self.read_title(index, actor, phrase, ent)
        read_congress_tag(actor, ent)
        index.mention(actor, phrase, head=ent.root)
        for desc in appositions(ent):
            self.read_title(index, actor, desc, None)
            index.mention(actor, desc)

    def head_noun(self, words: list[Token]):
        """The sector noun ending at the last of ``words`` (lemmas, else the words as written), if any."""
        kept = [t for t in words if not t.is_punct]
        if not kept:
            return None
        return self.dictionary.sector_noun([t.lemma_.lower() for t in kept]) or \
            self.dictionary.sector_noun([t.lower_ for t in kept])

    def person_title(self, phrase: Span) -> bool:
        """Whether the phrase's head is a person's title ("the governor of Kano State")."""
        head = [t.lemma_.lower() for t in phrase if t.i <= phrase.root.i and not t.is_punct and t.pos_ != "DET"]
        title = self.dictionary.title(head) if head else None
        return bool(title and title.person)

    def titled_person(self, ent: Span, surname: str, date: Optional[str]) -> Optional[str]:
        """ "President Reagan": the one person of the dictionary with that surname whose role on
        the date is in the title's sector (a bare surname is no evidence; with a title it is)."""
        words = [t.lemma_.lower() for t in extend_left(ent, self) if t.i < ent.end - 1]
        title = self.dictionary.title(words) if words else None
        if title is None or not title.person:
            return None
        return self.dictionary.person_by_role(surname, title.sector, date)

    def known_person(self, index: ActorIndex, name: str, surname_only: bool) -> Optional[Actor]:
        key = fold(name)
        actor = index.by_key.get(("person", key))
        if actor or not surname_only:
            return actor
        matches = [a for a in index.actors if a.kind == "person" and index.persons[a.id].surname == key]
        return matches[-1] if len(matches) == 1 else None

    def read_title(self, index: ActorIndex, actor: Actor, phrase: Span, ent: Optional[Span]) -> None:
        """Take country, sector, title and gender of a person from the words around the name."""
        info = index.persons[actor.id]
        words = [t for t in phrase if ent is None or t.i < ent.start or t.text.lower() in HONORIFICS]
        lowered = [t.text.lower() for t in words]
        for t in lowered:
            info.gender = info.gender or ("m" if t in MALE_HONORIFICS else "f" if t in FEMALE_HONORIFICS else None)
        info.deceased = info.deceased or "late" in lowered
        title, n = None, len(words)
        while n > 0 and title is None:
            title = self.dictionary.title([t.lemma_.lower() for t in words[:n]])
            n -= 1
        said = False  # whether the phrase gave the person a role or country the tables did not
        head = words if ent is not None else [t for t in words if t.i <= phrase.root.i]  # an apposition's, to its head
        if title and title.person:
            info.titles.add(title.term)
            if ent is None:
                info.descriptions.append(content_words(phrase))
            longer = self.head_noun(words[:n + 1])  # "Inspector General": GOV, not the general's MIL
            title = longer if longer and len(longer.term.split()) > len(title.term.split()) else title
        else:  # a sector noun at the head ("Russian attorney X", "X, a professor at ..."): a role, no title
            title = self.head_noun(head)
        if title and not actor.sector:
            former = says_former(head)
            actor.sector = "ELI" if former else title.sector  # PLOVER: former officials
            actor.role = actor.role or (f"former {title.term}" if former else title.term)
            said = True
        country = self.country_in(words, groups=True)
        if country and country.iso3 != actor.country:  # the text's "U.N. mediator" outranks a past role
            before = f" (not {actor.country} of the dictionary)" if actor.country else ""
            actor.country = country.iso3
            actor.reason = f"title phrase '{phrase.text}' names {country.iso3}{before}"
            said = True
        group_sector = country.sector_on(index.date) if country and country.kind == "group" else None
        if group_sector and said and actor.sector != "ELI":
            actor.sector = group_sector  # "Taliban spokesman": the group's sector, not a title's
        if said and actor.evidence is None and full_name(actor.name):
            actor.evidence = (phrase.sent.start_char, phrase.sent.end_char)

    def country_in(self, tokens: list[Token], groups: bool = False) -> Optional[Place]:
        """The state, organisation or bloc a phrase names (with ``groups``, a person's title phrase, also a
        national institution or group, of the country it is of: "Kremlin spokesman", "White House press
        secretary", "Taliban spokesman"); a capital only where the recogniser saw
        a place ("Thames Valley Police" is not Anguilla's); a word of a name the gazetteer does not know
        ("the U.S. Mission"); not the state a title is "to" ("ambassador to Libya": the host)."""
        kinds = ("country", "nationality", "igo", "bloc", "region") + (("group",) if groups else ())
        for tok in tokens:
            if tok.dep_ == "pobj" and tok.head.lower_ == "to":
                continue
            ent_text = tok.text if not tok.ent_type_ else entity_text(tok)
            place = self.gazetteer.lookup(ent_text) or (self.gazetteer.lookup(tok.text) if ent_text != tok.text else None)
            if place and (place.kind in kinds or (place.kind == "capital" and tok.ent_type_ == "GPE")):
                return place
        return None

    # -- states, places, organisations ---------------------------------------------------
    def find_places(self, index: ActorIndex) -> None:
        doc = index.doc
        for ent in doc.ents:  # any label: the recogniser calls some countries persons
            if ent.label_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
                self.add_place(index, ent, ent.label_)
                if ent.start not in index.actor_at:
                    self.add_inner_country(index, ent)
        for span in gazetteer_spans(doc, self.gazetteer, index.actor_at):
            self.add_place(index, span)
        for tok in doc:  # "Isreali soldiers": a misspelt nationality the recogniser left untagged
            if tok.i not in index.actor_at and not tok.ent_type_ and tok.dep_ in ("amod", "compound") \
                    and tok.head.pos_ == "NOUN":
                place = self.gazetteer.misspelt(tok.text) or self.gazetteer.demonym(tok.text)
                if place is not None:
                    index.mention(self.place_actor(index, place), doc[tok.i:tok.i + 1])
        named = {a.country for a in index.actors if a.kind == "country" and a.mentions}
        for span, place in index.ambiguous:
            actor = self.settle_town(index, span, place, named)
            if actor.kind == "country" and actor.mentions:
                named.add(actor.country)

    def find_ships(self, index: ActorIndex) -> None:
        """ "USS Carl Vinson", "HMS Defender": a navy's ship, named after its prefix (ship_prefixes.tsv) with
        capitalised words, is a military actor of the prefix's country."""
        doc, prefixes = index.doc, ship_prefixes()
        for tok in doc:
            country = prefixes.get(tok.text)
            end = tok.i + 1
            while country and end < len(doc) and (doc[end].is_title or (doc[end].is_upper and doc[end].is_alpha)) \
                    and not self.dictionary.title([doc[end].lower_]):  # "INS Commissioner X" is no ship
                end += 1
            if country and end > tok.i + 1:
                name = doc[tok.i:end].text
                index.mention(index.get(("org", name), name=name, kind="organization", country=country, sector="MIL",
                                        reason=f"ship prefix '{tok.text}' of {country} (ship_prefixes.tsv)"),
                              doc[tok.i:end])

    def add_place(self, index: ActorIndex, span: Span, label: str = "") -> None:
        place = self.gazetteer.lookup(span.text) or \
            (self.gazetteer.misspelt(span.text) if label in ("GPE", "NORP") else None) or \
            (self.gazetteer.demonym(span.text) if label in ("GPE", "NORP", "ORG") and len(span) == 1 else None)
        if place is None or any(t.i in index.actor_at for t in span):
            return
        if place.kind == "city" and label not in ("GPE", "LOC", "FAC"):
            return  # a town's name is weak evidence unless the recogniser saw a place ("Bush", "Mobile")
        if place.weak and label in ("", "PERSON") and len(span) == 1:
            return  # a province's one-word name, untagged or a person's: "Nelson", "Miranda"
        if place.alternatives and place.kind in ("city", "capital"):
            index.ambiguous.append((span, place))  # settled once the article's countries are known
            return
        index.mention(self.place_actor(index, place), span)

    def settle_town(self, index: ActorIndex, span: Span, place: Place, named: set) -> Actor:
        """A town name of several countries ("Tripoli": Libya or Lebanon) is of the one the article
        names (``named``: the countries of its country actors mentioned), its most populous
        namesake's when it names neither or both."""
        others = [alt for alt in place.alternatives if alt in named]
        if place.iso3 not in named and len(others) == 1:
            country = self.gazetteer.country(others[0])
            place = replace(place, iso3=others[0], lat=None, lon=None,
                            reason=f"{place.reason}; the article names {country.name if country else others[0]}")
        actor = self.place_actor(index, place)
        index.mention(actor, span)
        return actor

    def add_inner_country(self, index: ActorIndex, ent: Span) -> None:
        """A country word inside a name the gazetteer does not know ("Pakistani Army", "Chile's
        Defense Department"), or in an organisation's name a region or a city (a capital too) of a million
        people ("Kano State government", "Massachusetts Institute of Technology", "Cairo University"): a
        mention of that country."""
        for tok in ent:
            place = self.gazetteer.lookup(tok.text) if tok.i not in index.actor_at else None
            if place and (place.kind in ("country", "nationality") or (ent.label_ == "ORG" and is_landmark(place))):
                index.mention(self.place_actor(index, place), ent.doc[tok.i:tok.i + 1])
                return

    def place_actor(self, index: ActorIndex, place: Place) -> Actor:
        if place.kind in ("igo", "group"):
            sector = place.sector_on(index.date)
            reason = place.reason if sector == place.sector else f"{place.reason}; {sector} on {index.date or 'today'}"
            return index.get(("org", place.name), name=place.name, kind="organization", country=place.iso3,
                             sector=sector, reason=reason)
        if place.sector:  # a breakaway region (PRE) is an actor of its own, of the state it breaks from
            return index.get(("place", place.name), name=place.name, kind="country", country=place.iso3,
                             sector=place.sector, reason=place.reason)
        country = (self.gazetteer.country(place.iso3) or place) if place.kind != "bloc" else place
        name = country.name if country else place.name
        return index.get(("country", place.iso3), name=name, kind="country", country=place.iso3,
                         reason=place.reason)


def is_landmark(place: Place) -> bool:
    """A region (a US state, a place of places.tsv) or a city or capital large enough that its name inside
    an organisation's name places the organisation. Measured on 1,000 random AllSides articles (held-out
    ones left out, seed 16), the capitals of a million inside unknown organisations' names gave 50 of 64
    such mentions the right country; the wrong ones are mostly the recogniser's misreadings (persons named
    like a capital, photo credits, datelines)."""
    return place.kind == "region" or (place.kind in ("city", "capital") and (place.population or 0) >= 1_000_000)


def with_hyphenated_tail(ent: Span) -> Span:
    """The entity with the rest of a name the recogniser cut off: a hyphenated tail ("Moon Jae" +
    "-in"), or a person's last name it left out although the parse joins it ("Jean-Yves Le" +
    "Drian", where "Le" is a compound of "Drian")."""
    doc, end = ent.doc, ent.end
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_ and doc[end + 1].is_alpha:
        end += 2
    while ent.label_ == "PERSON" and end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title \
            and not doc[end].ent_type_ and doc[end - 1].dep_ == "compound" and doc[end - 1].head.i == end:
        end += 1
    return Span(doc, ent.start, end, label=ent.label_) if end != ent.end else ent


def says_former(words: list[Token]) -> bool:
    """ "former Israeli Ambassador", "an ex-minister": "former" or "ex" in the run of words that ends the
    phrase, with no comma or conjunction after it ("X, chairman, and former Y" is not former)."""
    for tok in reversed(words):
        if tok.lower_ in FORMER:
            return True
        if tok.text in (",", ";") or tok.dep_ in ("cc", "conj"):
            return False
    return False


NAME_PARTICLES = {"al", "el", "bin", "ibn", "bint", "abu", "de", "del", "della", "der", "di", "da", "dos", "du", "la",
                  "le", "van", "von", "y"}


def full_name(name: str) -> bool:
    """Whether ``name`` reads as a person's full name: two words or more, each capitalised (or a
    particle: "bin", "de", "van"), of letters, hyphens, full stops and inner apostrophes only."""
    words = name.split()
    return len(words) >= 2 and all(
        (w[:1].isupper() or w.lower() in NAME_PARTICLES or w.split("-")[0].lower() in NAME_PARTICLES)
        and all(c.isalpha() or c in "-.'’" for c in w) and not w.endswith(("'s", "’s", "'", "’")) for w in words)


def dictionary_names(doc: Doc, dictionary: Dictionary, longest: int = 5) -> list[Span]:
    """Full names of the persons dictionary written in the text (two to five capitalised words)."""
    spans, i = [], 0
    while i < len(doc):
        size = 0
        if doc[i].is_title:
            for n in range(min(longest, len(doc) - i), 1, -1):
                span = doc[i:i + n]
                if span[-1].is_alpha and dictionary.person(span.text):
                    size = n
                    break
        if size:
            spans.append(Span(doc, i, i + size, label="PERSON"))
        i += max(size, 1)
    return spans


def strip_honorifics(ent: Span) -> Optional[Span]:
    """The name inside a PERSON entity, without leading titles ("Ayatollah Khamenei" -> "Khamenei")."""
    start = ent.start
    while start < ent.end - 1 and ent.doc[start].text.lower() in HONORIFICS:
        start += 1
    end = ent.end
    while end > start and ent.doc[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    return ent.doc[start:end] if end > start else None


CONGRESS_TAG = re.compile(r"(?:,\s*|\s*\()([RDI])-([A-Z][A-Za-z.]{0,13}(?: [A-Z][A-Za-z.]*)?)\s*[,);]")


def read_congress_tag(actor: Actor, ent: Span) -> None:
    """ "Sen. Lindsey Graham, R-S.C.," and "Rep. Adam Schiff (D-Calif.)": the party and state tag with
    which the news names a member of the US Congress makes the person a US legislator, whatever else
    the article names."""
    after = ent.doc[ent.end:ent.end + 10]  # (not doc.text: built anew on each call)
    tag = CONGRESS_TAG.match(ent[-1].whitespace_ + after.text)
    if tag is None:
        return
    actor.country, actor.sector = "USA", actor.sector or "LEG"
    actor.reason = f"party and state tag '{tag.group(1)}-{tag.group(2)}' of a member of the US Congress"
    if actor.evidence is None and full_name(actor.name):
        actor.evidence = (ent.sent.start_char, ent.sent.end_char)


def extend_left(ent: Span, resolver: ActorResolver) -> Span:
    """The name with the titles, nationality words and honorifics written before it."""
    doc = ent.doc
    start = ent.start
    while start > 0:
        tok = doc[start - 1]
        low = tok.text.lower()
        if tok.dep_ in ("compound", "amod", "nmod") and tok.head.i in range(start, ent.end + 1) or low in HONORIFICS \
                or (tok.text == "-" and start > 1 and doc[start - 2].dep_ == "compound"):
            start -= 1
        elif tok.dep_ == "case" and start > 1:  # "Iran 's foreign minister X"
            start -= 2 if resolver.gazetteer.lookup(doc[start - 2].text) else 0
            break
        elif tok.ent_type_ == "NORP" or (tok.is_title and resolver.gazetteer.lookup(tok.text)):
            start -= 1
        else:
            break
    while start < ent.start and doc[start].is_punct:
        start += 1
    return doc[start:ent.end]


def appositions(ent: Span) -> list[Span]:
    """Descriptions set beside a name: "Khamenei, the Leader of the Islamic Revolution,"."""
    out = []
    for child in ent.root.children:
        if child.dep_ == "appos" and child.i >= ent.end and child.pos_ in ("NOUN", "PROPN"):
            first = min(t.i for t in child.subtree)
            last = max(t.i for t in child.subtree if t.dep_ not in ("appos",) or t.i == child.i)
            span = ent.doc[first:last + 1]
            while len(span) > 1 and span[-1].is_punct:
                span = span[:-1]
            out.append(span)
    return out


def entity_text(tok: Token) -> str:
    """The text of the entity ``tok`` stands in (read from the IOB tags: ``doc.ents`` is rebuilt on
    every access), or the token's own text."""
    if not tok.ent_iob_ or tok.ent_iob_ == "O":
        return tok.text
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end].text


def gazetteer_spans(doc: Doc, gazetteer: Gazetteer, taken: dict[int, int]) -> list[Span]:
    """Names the entity recogniser missed ("Western", "international organizations")."""
    spans, i, n = [], 0, gazetteer.max_words()
    while i < len(doc):
        tok = doc[i]
        if tok.i in taken or tok.ent_type_ or tok.is_punct or tok.is_space or not gazetteer.may_start(tok.text):
            i += 1
            continue
        size = longest_name(doc, i, n, gazetteer, taken)
        if size:
            spans.append(doc[i:i + size])
        i += max(size, 1)
    return spans


def longest_name(doc: Doc, i: int, n: int, gazetteer: Gazetteer, taken: dict[int, int]) -> int:
    """The length of the longest gazetteer name starting at token ``i`` (0 if none)."""
    end = i
    while end < min(len(doc), i + n) and not (doc[end].i in taken or doc[end].ent_type_ or doc[end].is_space):
        end += 1
    for size in range(end - i, 0, -1):
        span = doc[i:i + size]
        if span[-1].is_punct:
            continue
        if (span[0].is_title or span[0].is_upper or size > 1) and gazetteer.lookup(span.text):
            return size
    return 0


def sole_country(actors: list[Actor], gazetteer: Gazetteer) -> Optional[str]:
    """The one state the article names, if it names exactly one (its unplaced actors are taken to be of it)."""
    codes = {a.country for a in actors if a.kind in ("country", "group") and gazetteer.country(a.country)}
    return codes.pop() if len(codes) == 1 else None


def country_mentions(actors: list[Actor]) -> dict[str, int]:
    """Mentions of each country: of the state itself, its people and its bodies."""
    counts: dict[str, int] = {}
    for actor in actors:
        if actor.country and actor.kind in ("country", "person", "group"):
            counts[actor.country] = counts.get(actor.country, 0) + len(actor.mentions)
    return counts


def main_pair(counts: dict[str, int]) -> Optional[tuple[str, str]]:
    """The article's two most mentioned countries (``counts``: :func:`country_mentions`), when they stand
    out ("the two countries")."""
    ranked = sorted(((n, c) for c, n in counts.items()), reverse=True)
    if len(ranked) < 2 or ranked[1][0] < 2 or (len(ranked) > 2 and ranked[2][0] >= ranked[1][0]):
        return None
    return ranked[0][1], ranked[1][1]


MAIN_SHARE = 0.6  # the share of the mentions of placed parties that makes a country the article's main one


def main_country(counts: dict[str, int]) -> Optional[str]:
    """The country of at least ``MAIN_SHARE`` of the mentions (``counts``: :func:`country_mentions`), and of
    two at least: where a party's country is not in the text, the one it most likely has."""
    best = max(counts, key=counts.get, default=None)
    return best if best and counts[best] >= 2 and counts[best] >= MAIN_SHARE * sum(counts.values()) else None
