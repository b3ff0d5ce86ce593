#!/usr/bin/env python3
"""Memory benchmark: peak memory of an ingest of N articles and of ten times as many.

    .venv/bin/python bench/memory.py [--n 100] [--corpus ../shared/data/corpora/allsides-world.jsonl.gz]

Each ingest runs in a fresh process (a single process, the coding of a worker) reading a
JSON Lines file of the corpus's first N (then 10 N) articles into a fresh database, and
reports its own peak resident memory (ru_maxrss). Streaming, the two peaks should be about
equal: the corpus is never held in memory, only a batch of articles.
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROBE = ("import resource, sys; from communique.cli import main; main(sys.argv[1:]); "
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--corpus", default=str(REPO.parent / "shared/data/corpora/allsides-world.jsonl.gz"))
    args = parser.parse_args(argv)
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        lines = [line for _, line in zip(range(10 * args.n), f, strict=False)]
    with tempfile.TemporaryDirectory() as tmp:
        for n in (args.n, 10 * args.n):
            path = Path(tmp) / f"c{n}.jsonl"
            path.write_text("".join(lines[:n]), encoding="utf-8")
            done = subprocess.run([sys.executable, "-c", PROBE, "ingest", str(path), "--db", str(Path(tmp) / f"{n}.db")],
                                  capture_output=True, text=True, cwd=REPO)
            peak = done.stderr.strip().splitlines()[-1]
            words = sum(len(json.loads(x)["text"].split()) for x in lines[:n])
            print(f"{n} articles ({words} words): peak memory {peak} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
