"""Scoring the event coder on source-target pair files (the PLV format of Hu et al. 2024).

Each record is a sentence with one marked source span and one marked target span
(``source``/``target``: ``{"text", "spans": [[start, end], ...]}``) and the PLOVER root type of
their relation (``plv_type``; PLV's YIELD stands for PLOVER's CONCEDE or RETREAT). The
sentence is coded on its own; the record is right when the most confident coded event whose
source mention (``source_span``) overlaps the marked source span, and whose target mention
the marked target span, has the gold type. Records whose marked pair gets no such event
count as wrong (``no_pair_event`` says how many).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Callable, Optional

from ..model import Article

YIELD = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}


def is_pair_file(path: str) -> bool:
    """Whether the JSON Lines file at ``path`` holds PLV-style pair records."""
    with open(path, encoding="utf-8") as f:
        first = next((line for line in f if line.strip()), "{}")
    return "plv_type" in json.loads(first)


def read_pairs(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def inside(span: Optional[list[int]], marked: list[list[int]]) -> bool:
    """Whether an event's actor mention overlaps one of the marked spans."""
    return bool(span) and any(span[0] < e and s < span[1] for s, e in marked)


def pair_event(article: dict, record: dict) -> Optional[dict]:
    """The most confident coded event between the marked source and target."""
    found = [e for e in article["events"] if inside(e.get("source_span"), record["source"]["spans"])
             and inside(e.get("target_span"), record["target"]["spans"])]
    return max(found, key=lambda e: e["confidence"], default=None)


def evaluate_pairs(path: str, code: Callable[[str], Article]) -> dict:
    """Type accuracy of the marked pairs; also the share where the sentence's most confident event
    (whatever its actors) has the gold type, and accuracy by gold type."""
    records = read_pairs(path)
    hits = any_hits = missing = 0
    by_type: Counter = Counter()
    right_by_type: Counter = Counter()
    for record in records:
        article = code(record["text"]).to_dict()
        event = pair_event(article, record)
        gold = record["plv_type"]
        by_type[gold] += 1
        if event is None:
            missing += 1
        elif YIELD.get(event["type"], event["type"]) == gold:
            hits += 1
            right_by_type[gold] += 1
        best = max(article["events"], key=lambda e: e["confidence"], default=None)
        any_hits += best is not None and YIELD.get(best["type"], best["type"]) == gold
    n = len(records)
    return {
        "pairs": n,
        "pair_type_accuracy": round(hits / n, 4) if n else 0.0,
        "no_pair_event": missing,
        "sentence_type_accuracy": round(any_hits / n, 4) if n else 0.0,
        "by_type": {t: round(right_by_type[t] / k, 3) for t, k in sorted(by_type.items())},
    }
