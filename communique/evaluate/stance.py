"""Scoring directed stance between two entities against the directed-sentiment format.

A gold file is tab-separated: the sentence with the two entities marked by ``[ ]``,
entity 1, entity 2, and the label (0 neutral, 1 positive 1->2, 2 positive 2->1,
3 negative 1->2, 4 negative 2->1). Lines that repeat a line of a ``train.txt`` beside the
gold file (when the gold file is not that file) are left out: the data's validation split
repeats many training lines. Prints accuracy and macro-F1 over the five labels.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

from .events import ratio

LABELS = (0, 1, 2, 3, 4)


@dataclass
class Pair:
    text: str  # the sentence without the brackets
    first: tuple[int, int]  # character span of entity 1
    second: tuple[int, int]
    label: int


def parse_line(line: str) -> Optional[Pair]:
    """A gold line as a Pair; None for a line that does not hold two marked entities and a label."""
    parts = line.rstrip("\n").split("\t")
    if len(parts) < 4 or not parts[3].strip().isdigit():
        return None
    marked, names = parts[0], [parts[1], parts[2]]
    text, spans, opened = [], [], None
    for ch in marked:
        if ch == "[" and opened is None:
            opened = len(text)
        elif ch == "]" and opened is not None:
            spans.append((opened, len(text)))
            opened = None
        else:
            text.append(ch)
    clean = "".join(text)
    if len(spans) != 2:
        return None
    found = [clean[a:b] for a, b in spans]
    first, second = spans
    if found[0] != names[0] and found[1] == names[0]:  # entity 1 written second
        first, second = second, first
    return Pair(clean, first, second, int(parts[3]))


def read_pairs(path: str) -> list[Pair]:
    gold = Path(path)
    train = gold.with_name("train.txt")
    seen = set(train.read_text(encoding="utf-8").splitlines()) if train.exists() and train != gold else set()
    pairs = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip() and line not in seen:
            pair = parse_line(line)
            if pair is not None:
                pairs.append(pair)
    return pairs


def score_stance(gold: Iterable[int], predicted: Iterable[int]) -> dict:
    pairs = list(zip(gold, predicted, strict=True))
    f1s = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in pairs)
        fp = sum(p == label != g for g, p in pairs)
        fn = sum(g == label != p for g, p in pairs)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {"macro_f1": round(sum(f1s) / len(f1s), 4), "accuracy": ratio(sum(g == p for g, p in pairs), len(pairs)),
            "per_label_f1": [round(f, 4) for f in f1s], "n": len(pairs)}


def evaluate_stance(path: str, classify: Callable[[list[Pair]], list[int]]) -> dict:
    pairs = read_pairs(path)
    return score_stance([p.label for p in pairs], classify(pairs))
