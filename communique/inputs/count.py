"""How many articles inputs hold, for an ingest's progress line."""
from __future__ import annotations

import gzip
from pathlib import Path
from typing import Optional, Sequence


def count_inputs(paths: Sequence[str]) -> Optional[int]:
    """How many articles the inputs hold, where that is cheap to know (files, JSON Lines and CSV lines,
    directories); None for the web, standard input, WARC and ZIP files."""
    total = 0
    for path in paths:
        if path == "-" or path.startswith(("http://", "https://")) or path.endswith(".urls"):
            return None
        files = sorted(p for p in Path(path).rglob("*") if p.is_file() and not p.name.startswith(".")) \
            if Path(path).is_dir() else [Path(path)]
        for file in files:
            name = file.name.removesuffix(".gz")
            if name.endswith((".warc", ".zip")):
                return None
            if name.endswith((".jsonl", ".ndjson", ".csv", ".tsv")):
                opener = gzip.open if file.name.endswith(".gz") else open
                try:
                    with opener(file, "rb") as f:
                        lines = sum(1 for line in f if line.strip())
                except OSError:
                    continue
                total += lines - (1 if name.endswith((".csv", ".tsv")) else 0)
            else:
                total += 1
    return total
