"""Clean the text of an ingested article.

Reads ``Article.text`` (and ``place``, ``source``, ``date``); writes a cleaned
``text`` and fills ``place``, ``source`` and ``date`` from the dateline when
they are empty. Cleaning removes, in order: a tail that starts at a line such
as "Read more:", whole-line boilerplate (share and subscription prompts,
copyright lines), a leading date line, a dateline such as
``WASHINGTON (Reuters) -`` and a site name glued to a paragraph lead such as
``Iran PressIran news:``. The lexicons live in ``communique/data``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Optional, TypeVar

from ..model import Article, Failure
from ..resources import read_table, read_text

MAX_BOILERPLATE_LINE = 200  # longer lines are treated as article prose
SURROGATE_RE = re.compile("[\ud800-\udfff]")  # halves of UTF-16 pairs: no character on their own
Item = TypeVar("Item", Article, Failure)

SPACE = r"[^\S\n]"  # any whitespace but a newline (includes no-break spaces)
UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
PLACE_WORD = rf"[{UPPER}][\w'\u2019.\-]*"
DATELINE_RE = re.compile(
    rf"(?P<place>{PLACE_WORD}(?:{SPACE}{PLACE_WORD}){{0,3}})"
    rf"(?:,{SPACE}*(?P<extra>[{UPPER}][\w.,'\u2019 \-]{{0,30}}?))?"
    rf"(?:{SPACE}*\((?P<agency>[^()\n]{{1,40}})\))?"
    rf"(?P<sep>{SPACE}+-{{1,2}}(?=\s)|{SPACE}*[\u2013\u2014]|(?<=\)){SPACE}*-{{1,2}})\s*"
)
CAMEL_JOIN_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
SITE_LEAD_RE = re.compile(rf"(?P<head>[^\n:]{{3,80}}):{SPACE}+(?=\S)")
SECTION_LABELS = frozenset(
    "news politics world business economy sport sports international national "
    "local region regional opinion culture society latest headlines breaking "
    "nation middle east asia europe africa americas".split()
)
DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y",
    "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%d %B, %Y",
)
WEEKDAY_RE = re.compile(
    r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+", re.IGNORECASE
)


@dataclass(frozen=True)
class Boilerplate:
    """The compiled boilerplate lexicon: whole lines to drop, tails to cut."""

    lines: tuple[re.Pattern[str], ...]
    tails: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Dateline:
    """What a dateline prefix says: the place and the agency in brackets."""

    place: str
    agency: Optional[str]
    date: Optional[str]
    end: int


def clean_article(article: Article) -> Article:
    """Return a copy of ``article`` with cleaned text and dateline fields filled."""
    article = without_surrogates(article)
    text = normalize_text(article.text)
    text = cut_tail(text)
    text = drop_boilerplate_lines(text)
    text, line_date = strip_date_line(normalize_text(text))
    dateline = find_dateline(text)
    if dateline:
        text = text[dateline.end:]
    text, site = strip_glued_site(text)
    agency = dateline.agency if dateline else None
    line_date = line_date or (dateline.date if dateline else None)
    return replace(
        article,
        text=normalize_text(text),
        place=article.place or (dateline.place if dateline else None),
        source=article.source or choose_source(site, agency),
        date=article.date or line_date,
    )


def without_surrogates(item: Item) -> Item:
    """``item`` (an Article or a Failure) with the surrogate code points of its text fields replaced
    (see ``replace_surrogates``).

    A JSON escape such as ``"\\ud800"`` without its pair, a file name that is not UTF-8, a page in
    UTF-7 or a caller's string can put one in a Python string; no UTF-8 encoder takes it, so the
    parser, the store and the JSON output would fail."""
    fields = {name: replace_surrogates(value) for name, value in vars(item).items()
              if isinstance(value, str) and SURROGATE_RE.search(value)}
    return replace(item, **fields) if fields else item


def replace_surrogates(text: str) -> str:
    """``text`` with each lone surrogate code point replaced by U+FFFD; a pair split in two is joined."""
    if not SURROGATE_RE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def normalize_text(text: str) -> str:
    """Unify newlines, strip trailing spaces, keep one blank line between paragraphs."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@lru_cache(maxsize=1)
def load_boilerplate() -> Boilerplate:
    """Read and compile ``data/boilerplate.txt`` once."""
    sections: dict[str, list[re.Pattern[str]]] = {"line": [], "tail": []}
    current = "line"
    for raw in read_text("boilerplate.txt").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line in ("[line]", "[tail]"):
            current = line[1:-1]
            continue
        sections[current].append(re.compile(line, re.IGNORECASE))
    return Boilerplate(tuple(sections["line"]), tuple(sections["tail"]))


@lru_cache(maxsize=1)
def load_agencies() -> dict[str, str]:
    """Read ``data/agencies.tsv`` once: upper-cased abbreviation -> agency name."""
    rows = read_table("agencies.tsv")
    return {row["abbreviation"].strip().upper(): row["name"].strip() for row in rows}


def matches_any(line: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    """True when the whole (stripped, short) line matches one of ``patterns``."""
    line = line.strip()
    if not line or len(line) > MAX_BOILERPLATE_LINE:
        return False
    return any(p.fullmatch(line) for p in patterns)


def cut_tail(text: str) -> str:
    """Drop everything from a "Read more:"-style line on, if text remains before it."""
    lines = text.split("\n")
    tails = load_boilerplate().tails
    for index, line in enumerate(lines):
        if matches_any(line, tails) and "\n".join(lines[:index]).strip():
            return "\n".join(lines[:index])
    return text


def drop_boilerplate_lines(text: str) -> str:
    """Drop every line that is, as a whole, a share/subscribe/copyright prompt."""
    patterns = load_boilerplate().lines
    return "\n".join(line for line in text.split("\n") if not matches_any(line, patterns))


def parse_date(value: str) -> Optional[str]:
    """Normalise a date string to ``YYYY-MM-DD``; None when it does not parse."""
    value = WEEKDAY_RE.sub("", value.strip(), count=1).strip().rstrip(".")
    value = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", value)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def to_iso_date(value: object) -> Optional[str]:
    """Normalise a record's date field (str, date or datetime) to ``YYYY-MM-DD``."""
    if isinstance(value, (date, datetime)):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    if isinstance(value, str) and value.strip():
        return parse_date(value)
    return None


def strip_date_line(text: str) -> tuple[str, Optional[str]]:
    """Remove a first line that is only a date (Wikinews style); return the date."""
    first, newline, rest = text.partition("\n")
    if not newline or len(first) > 40:
        return text, None
    found = parse_date(first)
    return (rest.lstrip("\n"), found) if found else (text, None)


def find_dateline(text: str) -> Optional[Dateline]:
    """Recognise a dateline such as ``LONDON, March 3 (AP) —`` at the start of text."""
    match = DATELINE_RE.match(text)
    if not match:
        return None
    place, extra, agency = match["place"], match["extra"], match["agency"]
    if not (agency or extra or place.isupper()):
        return None  # "Some Name — ..." is too likely to be a sentence
    if place.split()[0].lower() in ("the", "a", "an"):
        return None
    if extra and not is_place_qualifier(extra):
        return None
    if not starts_sentence(text[match.end():]):
        return None
    agency = agency.strip() if agency else None
    found_date = parse_date(extra) if extra else None
    return Dateline(title_place(place), agency, found_date, match.end())


def is_place_qualifier(extra: str) -> bool:
    """True for what follows a dateline comma: a region ("Lebanon") or a date ("March 3")."""
    words = extra.replace(",", " ").split()
    return 1 <= len(words) <= 4 and all(w[0].isupper() or w[0].isdigit() for w in words)


def starts_sentence(text: str) -> bool:
    """True when text starts like a sentence: not with a lower-case letter."""
    return bool(text) and not text[0].islower()


def title_place(place: str) -> str:
    """Title-case an all-caps place name ("NEW YORK" -> "New York"); keep others."""
    if not place.isupper():
        return place
    return re.sub(r"[^\s\-]+", lambda m: m[0][0] + m[0][1:].lower(), place)


def strip_glued_site(text: str) -> tuple[str, Optional[str]]:
    """Remove a site name glued to a paragraph lead ("Iran PressIran news: ...")."""
    paragraphs = text.split("\n\n")
    for index, paragraph in enumerate(paragraphs):
        match = SITE_LEAD_RE.match(paragraph)
        site = glued_site_name(match["head"]) if match else None
        if match and site:
            paragraphs[index] = paragraph[match.end():]
            return "\n\n".join(paragraphs), site
    return text, None


def glued_site_name(head: str) -> Optional[str]:
    """The site name in "Iran PressIran news", or None when head is not such a run."""
    words = head.split()
    for position, word in enumerate(words):
        parts = CAMEL_JOIN_RE.split(word, maxsplit=1)
        if len(parts) == 2 and len(parts[0]) >= 3:
            site_words = words[:position] + [parts[0]]
            label_words = [parts[1]] + words[position + 1:]
            if is_site_run(site_words, label_words):
                return " ".join(site_words)
    return None


def is_site_run(site_words: list[str], label_words: list[str]) -> bool:
    """Site words are capitalised; the label ends with a section word such as "news"."""
    if not all(w[0].isupper() for w in site_words) or len(site_words) > 5:
        return False
    if len(label_words) > 4 or not all(w[0].isalpha() for w in label_words):
        return False
    return label_words[-1].lower() in SECTION_LABELS


def initials(name: str) -> str:
    """Initials of the capitalised words of a name: "Agence France-Presse" -> "AFP"."""
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w and w[0].isupper())


def choose_source(site: Optional[str], agency: Optional[str]) -> Optional[str]:
    """Pick the source: the glued site name when it fits the agency, else the agency."""
    if site and (not agency or initials(site).upper() == agency.upper()):
        return site
    if agency:
        return load_agencies().get(agency.upper(), agency)
    return None
