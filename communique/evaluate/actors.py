"""Scoring actor resolution against NGEC-style expectations.

Records whose ``fn`` is ``agent_to_code``, ``search_nat``, ``short_text_to_agent`` or
``trf_agent_match`` count (``query_wiki`` tests Wikipedia titles and is skipped). The text
is ``args[0]``, the context ``args[1]`` when non-empty, the date ``args[2]`` or
``kwargs.query_date``. The expected country is ``expect.country`` (or ``expect.cc``), ``''``
meaning none; the expected sector ``expect.code_1`` when present and not null, ``''``
meaning none; an expectation of no result (``__value__``) is met when neither a country
nor a sector is returned.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ..inputs.clean import parse_date
from .events import ratio

SCORED = {"agent_to_code", "search_nat", "short_text_to_agent", "trf_agent_match"}


@dataclass
class Case:
    text: str
    context: Optional[str]
    date: Optional[str]
    country: Optional[str]  # "" expects none; None: not checked
    sector: Optional[str]
    nothing: bool  # expects no result at all


def read_cases(path: str) -> list[Case]:
    cases = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        args = record.get("args") or []
        if record.get("fn") not in SCORED or not args or not isinstance(args[0], str):
            continue
        cases.append(case_of(record, args))
    return cases


def case_of(record: dict, args: list) -> Case:
    expect = record.get("expect") or {}
    raw_date = args[2] if len(args) > 2 and args[2] else (record.get("kwargs") or {}).get("query_date")
    country = expect.get("country", expect.get("cc"))
    sector = expect.get("code_1")
    return Case(text=args[0], context=args[1] if len(args) > 1 and args[1] else None,
                date=parse_date(raw_date) if isinstance(raw_date, str) else None,
                country=country if isinstance(country, str) else None,
                sector=sector if isinstance(sector, str) else None,
                nothing="__value__" in expect)


def score_actors(cases: list[Case], results: list[dict]) -> dict:
    country_n = country_hits = sector_n = sector_hits = 0
    for case, result in zip(cases, results, strict=True):
        got_country, got_sector = result.get("country") or "", result.get("sector") or ""
        if case.nothing:
            ok = not got_country and not got_sector
            country_n, country_hits = country_n + 1, country_hits + ok
            sector_n, sector_hits = sector_n + 1, sector_hits + ok
            continue
        if case.country is not None:
            country_n, country_hits = country_n + 1, country_hits + (got_country == case.country)
        if case.sector is not None:
            sector_n, sector_hits = sector_n + 1, sector_hits + (got_sector == case.sector)
    return {"country_accuracy": ratio(country_hits, country_n), "sector_accuracy": ratio(sector_hits, sector_n),
            "n": len(cases)}


def evaluate_actors(path: str, lookup: Callable[[str, Optional[str], Optional[str]], dict]) -> dict:
    cases = read_cases(path)
    return score_actors(cases, [lookup(c.text, c.date, c.context) for c in cases])
