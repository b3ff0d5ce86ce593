"""Word lists more than one stage reads: the verbs of speech, stance and attribution.

Each is a versioned data file of ``communique/data`` (one entry a line, ``#`` comments),
read once per process.
"""
from __future__ import annotations

from functools import lru_cache

from ..resources import read_words


@lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    """Verbs of saying ("said", "told", "announced"): the cues of quotes and of reported speech."""
    return read_words("speech_verbs.txt")


@lru_cache(maxsize=1)
def stance_verbs() -> frozenset[str]:
    """Verbs whose complements, not a clause, are what their subject expressed."""
    return read_words("stance_verbs.txt")


@lru_cache(maxsize=1)
def attribution_verbs() -> frozenset[str]:
    """Speech verbs, verbs of belief and knowledge, stance verbs: the cues of reported content."""
    return speech_verbs() | read_words("attribution_verbs.txt") | stance_verbs()
