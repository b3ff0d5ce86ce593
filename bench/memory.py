#!/usr/bin/env python3
"""Memory benchmark: resident memory of an ingest of N articles and of ten times as many.

    .venv/bin/python bench/memory.py [--n 300] [--corpus ../shared/data/corpora/allsides-world.jsonl.gz]

Each ingest runs in a fresh process (a single process: the coding of a worker) reading a
JSON Lines file of the corpus's first N (then 10 N) articles into a fresh database. This
process samples the child's resident memory (VmRSS) twice a second and prints its peak
(ru_maxrss, as the child reports it), and for the longer run the mean of each tenth of the
run: streaming, the memory of the tenth tenth is that of the second (the first holds the
loading of the model), whatever the number of articles before it.
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROBE = ("import resource, sys; from communique.cli import main; main(sys.argv[1:]); "
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def ingest(path: Path, db: Path) -> tuple[int, list[float]]:
    """(peak MB, RSS samples in MB) of one ingest of ``path`` in a fresh process."""
    child = subprocess.Popen([sys.executable, "-c", PROBE, "ingest", str(path), "--db", str(db)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO)
    samples = []
    while child.poll() is None:
        samples.append(rss_mb(child.pid))
        time.sleep(0.5)
    peak = int(child.stderr.read().strip().splitlines()[-1])
    return peak, [s for s in samples if s]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--corpus", default=str(REPO.parent / "shared/data/corpora/allsides-world.jsonl.gz"))
    args = parser.parse_args(argv)
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        lines = [line for _, line in zip(range(10 * args.n), f, strict=False)]
    if len(lines) < 10 * args.n:
        parser.error(f"the corpus has {len(lines)} articles, fewer than 10 x {args.n}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (args.n, 10 * args.n):
            path = Path(tmp) / f"c{n}.jsonl"
            path.write_text("".join(lines[:n]), encoding="utf-8")
            peak, samples = ingest(path, Path(tmp) / f"{n}.db")
            words = sum(len(json.loads(x)["text"].split()) for x in lines[:n])
            print(f"{n} articles ({words} words): peak memory {peak} MB", flush=True)
        tenth = max(1, len(samples) // 10)
        means = [sum(samples[k:k + tenth]) / len(samples[k:k + tenth]) for k in range(0, tenth * 10, tenth)]
        print(f"{10 * args.n} articles, mean resident memory by tenth of the run (MB): "
              + " ".join(f"{m:.0f}" for m in means))
        print(f"last tenth / second tenth: {means[-1] / means[1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
