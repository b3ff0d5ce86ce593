"""The API's answers, kept: a served store cannot change (see :mod:`communique.api`).

An answer is kept under its endpoint and its *validated* parameters (what the endpoint received
after FastAPI's and :mod:`.params`' checks), not under the URL: a request cannot grow the cache
with parameters the endpoint does not read (they are refused anyway) or with spellings of the
same values. The cache is a least-recently-used one bounded both in entries and in bytes of
rendered JSON; an answer larger than ``max_entry`` bytes is not kept.
"""
from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from typing import Callable, Hashable

from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

ENTRIES = 1024
MAX_BYTES = 64_000_000
MAX_ENTRY = 1_000_000


def render(value) -> bytes:
    """``value`` as FastAPI renders JSON (no NaN, compact, UTF-8)."""
    return json.dumps(jsonable_encoder(value), ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")


class ResponseCache:
    """Rendered answers by key, least recently used first out, at most ``entries`` of them and ``max_bytes``
    in all."""

    def __init__(self, entries: int = ENTRIES, max_bytes: int = MAX_BYTES, max_entry: int = MAX_ENTRY):
        self.limit, self.max_bytes, self.max_entry = entries, max_bytes, min(max_entry, max_bytes)
        self.entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: Hashable) -> bytes | None:
        with self.lock:
            body = self.entries.get(key)
            if body is not None:
                self.entries.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        """Keep ``body`` under ``key`` (unless it is too large), dropping the oldest to stay in bounds."""
        if len(body) > self.max_entry:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            self.bytes += len(body) - (len(old) if old is not None else 0)
            self.entries[key] = body
            while len(self.entries) > self.limit or self.bytes > self.max_bytes:
                self.bytes -= len(self.entries.popitem(last=False)[1])

    def answer(self, key: Hashable, compute: Callable[[], object]) -> Response:
        """The JSON answer kept under ``key``, or ``compute()``'s, rendered and kept."""
        body = self.get(key)
        if body is None:
            body = render(compute())
            self.put(key, body)
        return Response(body, media_type="application/json")


def cached(endpoint: Callable) -> Callable:
    """An endpoint whose answers are kept in ``served.cache`` under its name and its other (validated)
    arguments; it takes the request's :class:`~communique.api.routes.Served` as ``served``."""

    @functools.wraps(endpoint)  # FastAPI reads the parameters of ``endpoint`` (through __wrapped__)
    def answer(served, **params):
        key = (endpoint.__name__, tuple(sorted(params.items())))
        return served.cache.answer(key, lambda: endpoint(served, **params))

    return answer
