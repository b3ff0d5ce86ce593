"""The attitude set (``annotations/attitudes/``): hand labels of the alignment's evidence of each stance
kind (reported, quote, joint action), and the precision of each kind measured on them.

docs/annotation-attitudes.md is the codebook; annotations/attitudes/README.md says how the set was made.
A label file row: ``{id, coder, pass, label, note}``, ``pass`` 2 for the second coding of a
double-coded item; an item id is ``kind:article:evidence start:holder country:object country``.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "annotations" / "attitudes"
ATTITUDES = ROOT / "sample.jsonl"
LABELS = {"quote": ("positive", "negative", "none"), "coaction": ("together", "apart", "error"),
          "reported": ("positive", "negative", "none")}
# the rounds of the sample: each drawn, batched and coded apart (the reported stances came after the others)
ROUNDS = {"quote": 1, "coaction": 1, "reported": 2}


def load_sample() -> list[dict]:
    """The sample's items (``sample.jsonl``), in order."""
    return [json.loads(line) for line in open(ATTITUDES, encoding="utf-8")]


def load_labels() -> tuple[dict[str, str], dict[str, str]]:
    """(first coding, second coding): item id -> label."""
    first: dict[str, str] = {}
    second: dict[str, str] = {}
    for path in sorted((ROOT / "labels").glob("*.jsonl")):
        for line in open(path, encoding="utf-8"):
            row = json.loads(line)
            (second if row["pass"] == 2 else first)[row["id"]] = row["label"]
    return first, second
