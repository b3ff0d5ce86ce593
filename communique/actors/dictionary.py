"""The actor dictionary's tables: titles and sector nouns, pronouns, dated persons.

All three are the project's own data files in ``communique/data`` (tab-separated,
``#`` comments, a header row); they are read once per process.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

from ..resources import read_table


@dataclass(frozen=True)
class Title:
    term: str
    sector: str
    person: bool


@dataclass(frozen=True)
class Role:
    name: str
    country: str
    sector: str
    role: str
    start: str
    end: str
    gender: Optional[str]

    def holds_on(self, date: Optional[str]) -> bool:
        """Whether the role was held on ``date`` (YYYY-MM-DD); a missing date means now."""
        if not date:
            return not self.end
        return self.start[: len(date)] <= date and (not self.end or date <= self.end + "-99")


@dataclass(frozen=True)
class Pronoun:
    text: str
    gender: str
    number: str


class Dictionary:
    """Titles, pronouns and named persons with dated roles."""

    def __init__(self, titles: dict[str, Title], roles: list[Role], pronouns: dict[str, Pronoun]):
        self.titles = titles
        self.pronouns = pronouns
        self._roles: dict[str, list[Role]] = {}
        self._names: dict[str, str] = {}
        self._surnames: dict[str, set[str]] = {}
        for role in roles:
            self._roles.setdefault(role.name, []).append(role)
            self._names[fold(role.name)] = role.name
            self._surnames.setdefault(fold(role.name).split()[-1], set()).add(role.name)
        self.max_title_words = max(len(t.split()) for t in titles)

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "Dictionary":
        titles = {r["term"]: Title(r["term"], r["sector"], r["person"] == "1") for r in read_table("titles.tsv")}
        pronouns = {r["pronoun"]: Pronoun(r["pronoun"], r["gender"], r["number"]) for r in read_table("pronouns.tsv")}
        roles, aliases = [], {}
        for r in read_table("persons.tsv"):
            roles.append(Role(r["name"], r["country"], r["sector"], r["role"], r["start"], r["end"], r["gender"] or None))
            for alias in filter(None, r["aliases"].split("|")):
                aliases[fold(alias)] = r["name"]
        self = cls(titles, roles, pronouns)
        self._names.update(aliases)
        return self

    def person(self, name: str) -> Optional[str]:
        """The dictionary's canonical name for a full name or alias, if any."""
        return self._names.get(fold(name))

    def person_by_surname(self, surname: str) -> Optional[str]:
        """The one person of the dictionary with this surname; None when there are none or several."""
        names = self._surnames.get(fold(surname), set())
        return next(iter(names)) if len(names) == 1 else None

    def role(self, name: str, date: Optional[str]) -> Optional[Role]:
        """The role ``name`` held on ``date``; without a date, the latest role.

        On a date between roles, the latest earlier role as a former one (PLOVER sector ELI);
        a role taken up only after the date is never given.
        """
        roles = sorted(self._roles.get(name, []), key=lambda r: r.start)
        held = [r for r in roles if r.holds_on(date)]
        if held:
            return held[-1]
        if not date:
            return roles[-1] if roles else None
        past = [r for r in roles if r.end and r.end < date]
        return replace(past[-1], sector="ELI", role=f"former {past[-1].role}") if past else None

    def title(self, words: list[str]) -> Optional[Title]:
        """The longest title at the end of ``words`` (lower-cased), e.g. [..., 'foreign', 'minister']."""
        for n in range(min(self.max_title_words, len(words)), 0, -1):
            title = self.titles.get(" ".join(words[-n:]))
            if title:
                return title
        return None


def fold(text: str) -> str:
    """Case- and accent-insensitive key for names."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace("-", " ").strip()
