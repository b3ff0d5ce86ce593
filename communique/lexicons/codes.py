"""The codes analysts filter and read events by, with their names.

- PLOVER event types (with the sign of their Goldstein scores) and CAMEO codes (with their
  names), from ``cameo.tsv``;
- actor country codes: ISO 3166 alpha-3 (``countries.tsv``) and the project's codes for
  intergovernmental organisations, blocs and regions (``organizations.tsv``: UNO, EUR, IGO, WST,
  MEA, ...), each with a name.

:func:`country_code` and :func:`event_type` turn what a user typed ("Iran", "united states",
"irn", "consult") into the stored code, and refuse anything else with a ``ValueError`` that
suggests the nearest valid ones, so that a filter never silently selects nothing.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..resources import read_table

GROUP_CODES = {"IMG": "Transnational militarized group", "NGO": "Non-governmental organisation"}


@lru_cache(maxsize=1)
def event_types() -> tuple[str, ...]:
    """The PLOVER event types, sorted."""
    return tuple(sorted({row["plover_type"] for row in read_table("cameo.tsv") if row["plover_type"]}))


@lru_cache(maxsize=1)
def type_signs() -> dict[str, int]:
    """The PLOVER types whose CAMEO codes' Goldstein scores all have one sign, with that sign: the types
    of cooperation (+1) and of conflict (-1); REQUEST, whose codes have both, has none."""
    scores: dict[str, list[float]] = {}
    for row in read_table("cameo.tsv"):
        if row["plover_type"]:
            scores.setdefault(row["plover_type"], []).append(float(row["goldstein"]))
    return {kind: (1 if v[0] > 0 else -1) for kind, v in scores.items()
            if all(x > 0 for x in v) or all(x < 0 for x in v)}


@lru_cache(maxsize=1)
def cameo_names() -> dict[str, str]:
    """CAMEO code -> its name ("036" -> "Express intent to meet or negotiate")."""
    return {row["code"]: row["name"] for row in read_table("cameo.tsv")}


@lru_cache(maxsize=1)
def actor_codes() -> dict[str, str]:
    """Every code an actor's country can take -> its name: ISO countries and territories, then the
    organisations', blocs' and regions' codes (named by the first body listed under the code)."""
    names = {row["iso3"]: row["name"] for row in read_table("countries.tsv")}
    for row in read_table("organizations.tsv"):
        if row["kind"] in ("igo", "bloc", "region") and row["code"] not in names:
            names[row["code"]] = row["name"][:1].upper() + row["name"][1:]
    return {**names, **{code: name for code, name in GROUP_CODES.items() if code not in names}}


def fold(text: str) -> str:
    """Lower case without accents, dots or a leading "the": the form names are compared in."""
    text = unicodedata.normalize("NFKD", text.strip().casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace(".", "")
    return text[4:] if text.startswith("the ") else text


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Folded name, alias, nationality adjective or code -> the code (a name of two codes keeps the first)."""
    found: dict[str, str] = {}
    for row in read_table("countries.tsv"):
        for name in [row["iso3"], row["name"], *row["aliases"].split("|"), *row["adjectives"].split("|")]:
            if name:
                found.setdefault(fold(name), row["iso3"])
    for code, name in actor_codes().items():
        found.setdefault(fold(code), code)
        found.setdefault(fold(name), code)
    for row in read_table("organizations.tsv"):  # the aliases of the body that names a code ("UN")
        if actor_codes().get(row["code"], "").casefold() == row["name"].casefold():
            for alias in row["aliases"].split("|"):
                if alias:
                    found.setdefault(fold(alias), row["code"])
    return found


def suggestions(text: str, choices: dict[str, str], n: int = 3) -> list[str]:
    """The values of the ``n`` keys of ``choices`` nearest to ``text``, distinct, best first."""
    found = []
    for key, _, _ in process.extract(fold(text), list(choices), scorer=fuzz.WRatio, limit=4 * n):
        if choices[key] not in found:
            found.append(choices[key])
    return found[:n]


def country_code(text: str) -> str:
    """The code of a country or organisation a user wrote as a code ("IRN", "usa"), a name ("Iran",
    "United States") or an adjective ("Iranian"); ValueError naming the nearest codes otherwise."""
    code = country_names().get(fold(text))
    if code is None:
        near = ", ".join(f"{c} ({actor_codes()[c]})" for c in suggestions(text, country_names()))
        raise ValueError(f"unknown country {text!r}: write an ISO 3166 alpha-3 code or a name; nearest: {near} "
                         "(`communique codes countries` lists them all)")
    return code


def event_type(text: str) -> str:
    """The PLOVER event type a user wrote, in any case; ValueError naming the nearest types otherwise."""
    if text.upper() in event_types():
        return text.upper()
    near = ", ".join(suggestions(text, {t.lower(): t for t in event_types()}))
    raise ValueError(f"unknown event type {text!r}: nearest {near}; the PLOVER types are {', '.join(event_types())}")


def dyad_codes(text: str) -> tuple[str, str]:
    """Two countries a user wrote separated by a comma ("IRN,USA", "Iran, United States") as their codes;
    ValueError otherwise."""
    parts = text.split(",")
    if len(parts) != 2 or not all(part.strip() for part in parts):
        raise ValueError(f"{text[:80]!r} is not two countries separated by a comma (IRN,USA)")
    return country_code(parts[0].strip()), country_code(parts[1].strip())
