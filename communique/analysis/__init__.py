"""Analysis stage: what the stored events, stances and actors say about countries over time.

- :mod:`.dyads`: series per directed country pair (counts by quad class, Goldstein sums and
  means, event types), by day, week or month;
- :mod:`.alignment`: countries' positions on the main line of disagreement (from their
  attitudes toward third parties and issues), and a country-by-country alignment score from
  those positions and direct relations, with the evidence behind each score;
- :mod:`.coalitions`: blocs of countries by signed community detection, per period, with their
  stability from one period to the next;
- :mod:`.charts`: the Plotly figures of the dashboard and the report, built once here.

Every function reads a DuckDB connection to a store (:class:`communique.store.Store`'s
``con`` or a read-only cursor) and returns plain Python values; nothing here writes.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

import pyarrow as pa

from ..resources import read_table


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-3 codes of countries and territories (not IGOs, blocs or regions)."""
    return frozenset(row["iso3"] for row in read_table("countries.tsv"))



@contextmanager
def registered(con, name: str, table: pa.Table) -> Iterator[str]:
    """``table`` registered on ``con`` under ``name`` for the duration of the block."""
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)


def countries_table(con, name: str = "countries"):
    """:func:`country_codes` registered on ``con`` as the table ``name`` (one column, ``code``) for
    the duration of the block."""
    return registered(con, name, pa.table({"code": sorted(country_codes())}))
