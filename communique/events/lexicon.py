"""The event coder's tables: triggers, evaluative words and the CAMEO table."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..resources import read_table, read_words


@dataclass(frozen=True)
class Trigger:
    lemma: str
    pos: str  # "verb" or "noun"
    objects: frozenset[str]
    code: str
    intent: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Cameo:
    """One CAMEO code with its PLOVER category and its Goldstein score (ICEWS codebook)."""

    code: str
    name: str
    goldstein: float
    quad_class: int
    plover_type: str
    plover_mode: Optional[str]
    plover_context: Optional[str]


class Lexicon:
    def __init__(self, triggers: list[Trigger], cameo: dict[str, Cameo], pejoratives: frozenset[str],
                 intent_words: frozenset[str], light_verbs: frozenset[str] = frozenset(),
                 opposition_heads: frozenset[str] = frozenset()):
        """``pejoratives`` holds lemmas; those marked "!" (e.g. "genocide !") condemn even unattributed."""
        self.by_lemma: dict[tuple[str, str], list[Trigger]] = {}
        for trig in triggers:
            self.by_lemma.setdefault((trig.pos, trig.lemma), []).append(trig)
        self.cameo = cameo
        self.pejoratives = frozenset(w.split()[0] for w in pejoratives)
        self.condemnations = frozenset(w.split()[0] for w in pejoratives if w.endswith("!"))
        self.intent_words = intent_words
        self.light_verbs = light_verbs
        self.opposition_heads = opposition_heads

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "Lexicon":
        triggers = [
            Trigger(r["lemma"], r["pos"], frozenset(filter(None, r["objects"].lower().split("|"))), r["code"],
                    r["intent"] or r["code"], tuple(filter(None, r["target"].split("|"))))
            for r in read_table("triggers.tsv")
        ]
        cameo = {
            r["code"]: Cameo(r["code"], r["name"], float(r["goldstein"]), int(r["quad_class"]),
                             r["plover_type"], r["plover_mode"] or None, r["plover_context"] or None)
            for r in read_table("cameo.tsv")
        }
        return cls(triggers, cameo, read_words("pejoratives.txt"), read_words("intent_words.txt"),
                   read_words("light_verbs.txt"), read_words("opposition.txt"))

    def triggers(self, lemma: str, pos: str = "verb") -> list[Trigger]:
        return self.by_lemma.get((pos, lemma), [])
