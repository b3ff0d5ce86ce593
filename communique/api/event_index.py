"""The events of a served store in memory, newest first, for fast filtered pages.

A served database cannot change (see :mod:`communique.api`), so the API reads its events
once into an Arrow table in the order of the listing (date descending, undated last, then
article and event number) with integer codes for the filtered columns. A filtered page is
then a few NumPy comparisons over the codes and an Arrow ``take`` of the page's rows,
instead of a scan of the database file per request. The filters mean exactly what
:meth:`communique.store.Store.events` means by them (tests/test_api.py compares both).
Above ``MAX_EVENTS`` events (about 300 MB per million) the API queries the file instead.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..store import Store
from ..store.queries import LISTING_ORDER as ORDER

MAX_EVENTS = 5_000_000


class EventIndex:
    def __init__(self, table: pa.Table):
        self.table = table
        n = table.num_rows
        self.codes, both = _encode(pa.chunked_array(table.column("source_country").chunks +
                                                    table.column("target_country").chunks, pa.string()))
        self.source, self.target = both[:n], both[n:]
        self.type_codes, self.type = _encode(table.column("type"))
        self.article_codes, self.article = _encode(table.column("article_id"))
        self.event_no = table.column("event_no").to_numpy()
        self.day = table.column("date").cast(pa.date32()).to_numpy()  # datetime64[D], NaT where undated
        self.confidence = table.column("confidence").cast(pa.float64()).to_numpy(zero_copy_only=False)  # NaN: none

    @classmethod
    def load(cls, store: Store, max_events: int = MAX_EVENTS) -> Optional["EventIndex"]:
        """The index of the store's events; None when they are more than ``max_events``."""
        if store.counts(["events"])["events"] > max_events:
            return None
        index = cls(store.events_table(ORDER).combine_chunks())  # one chunk per column: take() across
        # thousands of chunks is slow; the read left every block of the events table in DuckDB's cache,
        # which the index replaces: drop them
        store.drop_cached_blocks()
        return index

    def page(self, limit: int = 50, offset: int = 0, **filters) -> tuple[int, list[dict]]:
        """(number of events matching ``filters`` (see :meth:`select`), the rows of the page ``offset``..
        ``offset + limit``)."""
        positions = self.select(**filters)
        return len(positions), self.rows(positions[offset:offset + limit]).to_pylist()

    def rows(self, positions: np.ndarray) -> pa.Table:
        return self.table.take(pa.array(positions, type=pa.int64()))

    def select(self, country: Optional[str] = None, type: Optional[str] = None, source: Optional[str] = None,
               target: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
               text: Optional[str] = None, dyad: Optional[tuple[str, str]] = None,
               min_confidence: Optional[float] = None, dyadic: bool = False) -> np.ndarray:
        """Positions (in listing order) of the events that match, as :meth:`Store.events` filters them."""
        mask = np.ones(self.table.num_rows, dtype=bool)
        if country:
            code = self.codes.get(country.upper(), -2)
            mask &= (self.source == code) | (self.target == code)
        for codes, value in ((self.source, source), (self.target, target)):
            if value:
                mask &= codes == self.codes.get(value.upper(), -2)
        if dyad:
            a, b = (self.codes.get(code.upper(), -2) for code in dyad)
            mask &= ((self.source == a) & (self.target == b)) | ((self.source == b) & (self.target == a))
        if min_confidence is not None:
            mask &= self.confidence >= float(min_confidence)  # NaN compares False, as NULL drops out in SQL
        if dyadic:
            mask &= (self.source >= 0) & (self.target >= 0) & (self.source != self.target)
        if type:
            mask &= self.type == self.type_codes.get(type.upper(), -2)
        if since:
            mask &= self.day >= np.datetime64(since, "D")  # NaT compares False: undated events drop out
        if until:
            mask &= self.day <= np.datetime64(until, "D")
        positions = np.flatnonzero(mask)
        if text:
            sentences = self.table.column("sentence").take(pa.array(positions))
            found = pc.fill_null(pc.match_substring(sentences, text, ignore_case=True), False)
            positions = positions[found.to_numpy(zero_copy_only=False)]
        return positions

    def event(self, article_id: str, event_no: int) -> Optional[dict]:
        """The event ``event_no`` of the article, or None."""
        found = np.flatnonzero((self.article == self.article_codes.get(article_id, -2)) & (self.event_no == event_no))
        return self.table.slice(int(found[0]), 1).to_pylist()[0] if len(found) else None


def _encode(column: pa.ChunkedArray) -> tuple[dict[str, int], np.ndarray]:
    """Integer codes of a string column (-1 for null) and the code of each value."""
    encoded = pc.dictionary_encode(column).combine_chunks()
    codes = {v: i for i, v in enumerate(encoded.dictionary.to_pylist())}
    return codes, encoded.indices.fill_null(-1).to_numpy()
