"""Which articles of an ingest are already known: stored, or copies of stored or earlier ones.

:class:`KnownArticles` answers, a batch at a time before coding, for each article: None (code
it) or ``(id, similarity)`` of the article it repeats, where similarity is 1.0 for the same
text (by ``text_hash``: case and spacing ignored) and the estimated Jaccard similarity of their
5-word shingles for a near-duplicate (at least ``NEAR_DUPLICATE``: syndicated copies, lightly
edited reprints). It looks in the database, on a connection opened for each batch, and among
the articles earlier in the same run that are not stored yet: an ingest calls :meth:`forget`
after each write, and at most the last ``window`` are kept in any case, so its memory stays
bounded over any number of articles.
"""
from __future__ import annotations

from collections import deque
from typing import Optional

import numpy as np

from ..dedup import NEAR_DUPLICATE, band_keys, signature, similarity, text_hash
from ..model import Article
from . import LOCK_WAIT, Store

Verdict = Optional[tuple[str, float]]


class KnownArticles:
    def __init__(self, path: str, recode: bool = False, window: int = 10_000):
        self.path = path
        self.recode = recode  # stored articles are coded again (copies of other articles still are not)
        self.window = window
        self.hashes: dict[str, str] = {}  # this run: hash -> id
        self.bands: dict[int, list[tuple[str, np.ndarray]]] = {}  # this run: band key -> (id, signature)
        self.recent: deque[tuple[str, str, list[int]]] = deque()  # this run, in order: (id, hash, band keys)

    def verdicts(self, articles: list[Article]) -> list[Verdict]:
        """For each article: None when it is new, else (id, similarity) of the stored or earlier
        article it repeats. Opens the database once a call (none for no articles)."""
        if not articles:
            return []
        hashes = [text_hash(a.text) for a in articles]
        signatures = [signature(a.text) for a in articles]
        keys = sorted({k for sig in signatures if sig is not None for k in band_keys(sig)})
        with Store(self.path, wait=LOCK_WAIT) as store:
            stored = store.stored_hashes(hashes)
            candidates = [(i, np.frombuffer(m, dtype=np.uint32)) for i, m in store.near_candidates(keys)]
        out = []
        for article, key, sig in zip(articles, hashes, signatures, strict=True):
            verdict = self.exact(article, stored.get(key) or self.hashes.get(key))
            if verdict is None and sig is not None:
                verdict = self.near(article, sig, candidates)
            self.remember(article.id, key, sig if verdict is None else None)
            out.append(verdict)
        return out

    def remember(self, id: str, key: str, sig: Optional[np.ndarray]) -> None:
        """Keep an article of this run among the last ``window`` ones, forgetting the oldest."""
        self.hashes.setdefault(key, id)
        bands = band_keys(sig) if sig is not None else []
        for band in bands:
            self.bands.setdefault(band, []).append((id, sig))
        self.recent.append((id, key, bands))
        self.forget(len(self.recent) - self.window)

    def forget(self, n: int) -> None:
        """Forget the ``n`` oldest articles of the run (an ingest calls it with the number it has just
        stored: the database answers for them from then on)."""
        for _ in range(min(max(n, 0), len(self.recent))):
            old_id, old_key, old_bands = self.recent.popleft()
            if self.hashes.get(old_key) == old_id:
                del self.hashes[old_key]
            for band in old_bands:
                kept = [entry for entry in self.bands[band] if entry[0] != old_id]
                if kept:
                    self.bands[band] = kept
                else:
                    del self.bands[band]

    def exact(self, article: Article, of: Optional[str]) -> Verdict:
        if of is None or (self.recode and of == article.id):
            return None
        return (of, 1.0)

    def near(self, article: Article, sig: np.ndarray, stored: list[tuple[str, np.ndarray]]) -> Verdict:
        earlier = [c for band in band_keys(sig) for c in self.bands.get(band, [])]
        best: Verdict = None
        for other, other_sig in stored + earlier:
            if other == article.id:
                continue
            score = similarity(sig, other_sig)
            if score >= NEAR_DUPLICATE and (best is None or score > best[1]):
                best = (other, score)
        return best
