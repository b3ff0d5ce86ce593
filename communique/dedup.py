"""Which articles are the same: the text key of exact copies, and near-duplicates (syndicated copies,
lightly edited reprints) by MinHash with LSH bands.

An article's signature is the minimum, under ``PERMUTATIONS`` fixed random hash functions,
of the hashes of its 5-word shingles (case-folded words); two signatures agree in a share of
places that estimates the Jaccard similarity of the shingle sets. The signature is cut into
``BANDS`` bands of ``ROWS`` values; articles sharing a band are candidates, and a candidate
is a near-duplicate when the estimated similarity is at least ``NEAR_DUPLICATE``. With 16
bands of 4 rows, pairs of similarity 0.8 become candidates with probability 0.9996, pairs of
0.3 with 0.12. Everything is deterministic (fixed seed), so signatures stored in the database
stay comparable across runs.
"""
from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

SHINGLE_WORDS = 5
PERMUTATIONS = 64
BANDS, ROWS = 16, 4
NEAR_DUPLICATE = 0.8
MIN_SHINGLES = 5  # shorter texts are not compared: their signatures say little
_RNG = np.random.default_rng(20261129)
_A = _RNG.integers(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)  # odd
_B = _RNG.integers(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64)


def shingle_hashes(text: str) -> np.ndarray:
    words = re.findall(r"\w+", text.casefold())
    grams = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    return np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams))


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature (``PERMUTATIONS`` uint32 values), or None for a text too short to compare."""
    hashes = shingle_hashes(text)
    if len(hashes) < MIN_SHINGLES:
        return None
    # multiply-shift hashing, one function per permutation: the top 32 bits of a*h + b mod 2^64
    mixed = (_A[:, None] * hashes[None, :] + _B[:, None]) >> np.uint64(32)
    return mixed.min(axis=1).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One key per band (band number and values hashed together), as signed 64-bit integers."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS:(band + 1) * ROWS].tobytes()
        key = (band << 56) ^ (zlib.crc32(chunk) << 24) ^ zlib.adler32(chunk)
        keys.append(key - (1 << 63) if key >= (1 << 63) else key)
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


def text_hash(text: str) -> str:
    """The key of an article's content: sha1 of its text case-folded with whitespace collapsed, so
    that copies differing only in spacing or case are one article."""
    return hashlib.sha1(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()[:20]
