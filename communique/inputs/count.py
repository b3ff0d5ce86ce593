"""How many articles inputs hold, for an ingest's progress line: cheaply, within a budget."""
from __future__ import annotations

import gzip
import os
import stat
import time
import zlib
from dataclasses import dataclass
from typing import Iterable, Optional

from communique.inputs.readers import (CSV_DELIMITERS, JSONL_SUFFIXES, URL_LIST_SUFFIX, WARC_SUFFIX, ZIP_SUFFIX,
                                       inner_suffix, list_directory)
from communique.inputs.web import is_url

COUNT_CHUNK = 1 << 20


@dataclass
class CountBudget:
    """What ``count_inputs`` may still spend: decompressed bytes read, and time."""

    bytes_left: int
    deadline: float

    def spend(self, size: int) -> bool:
        """Take ``size`` bytes; False once the bytes or the time are used up."""
        self.bytes_left -= size
        return self.bytes_left >= 0 and time.monotonic() < self.deadline


def count_inputs(paths: Iterable[str], max_bytes: int = 50_000_000, max_seconds: float = 5.0) -> Optional[int]:
    """How many articles ``read_inputs(paths)`` will give, where that is cheap to know: one per text or
    HTML file, one per non-blank line of JSON Lines, one per non-blank CSV/TSV line below the header
    (files gunzipped as they are read, never whole), none for a file that cannot be read. None (unknown)
    for the web, standard input, URL lists, WARC and ZIP files, and once counting has read
    ``max_bytes`` of (decompressed) data or taken ``max_seconds``. Never raises for bad input."""
    budget = CountBudget(max_bytes, time.monotonic() + max_seconds)
    total = 0
    for path in map(os.fspath, paths):
        if path == "-" or is_url(path):
            return None
        files = [entry for entry, error in list_directory(path) if not error] if os.path.isdir(path) else [path]
        for file in files:
            count = count_file(file, budget)
            if count is None:
                return None
            total += count
    return total


def count_file(path: str, budget: CountBudget) -> Optional[int]:
    """The articles in one file (see ``count_inputs``), or None when unknown or over the budget."""
    suffix = inner_suffix(path)
    if path.endswith(URL_LIST_SUFFIX) or suffix in (WARC_SUFFIX, ZIP_SUFFIX) or not budget.spend(0):
        return None  # unknown, or out of time
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return 0  # missing, or not a regular file: read_bytes refuses it
        if suffix not in JSONL_SUFFIXES and suffix not in CSV_DELIMITERS:
            return 1
        lines = count_lines(path, budget)
    except (OSError, EOFError, zlib.error):  # unreadable, or damaged gzip (BadGzipFile is an OSError)
        return 0
    if lines is None or suffix not in CSV_DELIMITERS:
        return lines
    return max(lines - 1, 0)  # the header row


def count_lines(path: str, budget: CountBudget) -> Optional[int]:
    """The non-blank lines of a file, gunzipped when it ends in ``.gz``, read a chunk at a time; None
    once the budget is spent."""
    opener = gzip.open if path.lower().endswith(".gz") else open
    lines, open_line = 0, False  # open_line: the line not yet ended has a non-blank byte
    with opener(path, "rb") as handle:
        while chunk := handle.read(COUNT_CHUNK):
            if not budget.spend(len(chunk)):
                return None
            *ended, rest = chunk.split(b"\n")
            for line in ended:
                lines += open_line or bool(line.strip())
                open_line = False
            open_line = open_line or bool(rest.strip())
    return lines + open_line
