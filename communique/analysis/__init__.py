"""Analysis stage: what the stored events, stances and actors say about countries over time.

- :mod:`.dyads`: series per directed country pair (counts by quad class, Goldstein sums and
  means, event types), by day, week or month;
- :mod:`.alignment`: countries' positions on the main line of disagreement (from their
  attitudes toward third parties and issues), and a country-by-country alignment score from
  those positions and direct relations, with the evidence behind each score;
- :mod:`.coalitions`: blocs of countries by signed community detection, per period, with their
  stability from one period to the next;
- :mod:`.charts`: the Plotly figures of the dashboard and the report, built once here.

Every function reads a store (a :class:`communique.store.Store`, or a cursor of one) through
its named queries (:mod:`communique.store.queries`: no SQL here) and returns plain Python
values; nothing here writes.
"""
from __future__ import annotations

from functools import lru_cache

from ..resources import read_table


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-3 codes of countries and territories (not IGOs, blocs or regions)."""
    return frozenset(row["iso3"] for row in read_table("countries.tsv"))
