"""The project's annotated real-news set (``annotations/``): its sample, its labels and its splits.

Labels hold an article id and character offsets into the ``text`` field of the article's
record in a corpus of ``../shared/data/corpora`` (the texts are not copied); the codebook is
docs/annotation.md and annotations/README.md says how the set was made.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "annotations"
CORPORA = {"wikinews": "wikinews.jsonl.gz", "allsides": "allsides-world.jsonl.gz"}
EVENT_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})
FLAGS = ("negated", "hypothetical", "historical")
NOT_CODABLE = ("negated", "hypothetical")  # events that did not (or not yet, or not surely) happen
NO_EVENT_KINDS = frozenset({"commentary", "generic", "caption", "hypothetical", "background", "no-actor", "other"})
SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "PTY", "ELI", "SPY", "REB", "UAF", "CRM", "CVL", "OPP",
                     "BUS", "MED", "JRN", "EDU", "REL", "LAB", "AGR", "NGO", "IGO", "REF", "SOC", "PRM", "HLH"})
SPLITS = (("train", 70), ("dev", 85), ("test", 100))  # cumulative percentages of the article hash


def split_of(article_id: str, set_name: str = "annotations") -> str:
    """train, dev or test, by the hash of the article (or record) id: 70/15/15."""
    bucket = int(hashlib.sha1(f"{set_name}:{article_id}".encode()).hexdigest(), 16) % 100
    return next(name for name, upto in SPLITS if bucket < upto)


def read_corpus(shared: Path, corpus: str) -> dict[str, dict]:
    """The records of a corpus of ``shared/data/corpora`` by id."""
    with gzip.open(Path(shared) / "data" / "corpora" / CORPORA[corpus], "rt", encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f)}


def load_sample(root: Path = ROOT) -> list[dict]:
    with open(root / "sample.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_labels(second: bool = False, root: Path = ROOT) -> dict[str, dict]:
    """The labels by sentence id: the first coding of each sentence, or (``second``) the independent
    second coding of the double-coded ones."""
    out: dict[str, dict] = {}
    for path in sorted((root / "labels").glob("*.jsonl")):
        if path.stem.endswith("-second") != second:
            continue
        with open(path, encoding="utf-8") as f:
            for label in map(json.loads, filter(str.strip, f)):
                out[label["sid"]] = label
    return out


def codable(event: dict) -> bool:
    """An event the coder should code: neither negated nor hypothetical."""
    return not any(event.get(flag) for flag in NOT_CODABLE)


@lru_cache(maxsize=2)
def corpus_texts(shared: str) -> dict[str, dict[str, dict]]:
    return {c: read_corpus(Path(shared), c) for c in CORPORA}
