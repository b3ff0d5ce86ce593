#!/usr/bin/env python3
"""Scale-out benchmark: ingest on 1 and 2 Dask workers against bare spaCy parsing, in one run.

    .venv/bin/python bench/scale.py [--n 2000] [--corpus ../shared/data/corpora/allsides-world.jsonl.gz]

Writes the first N articles of the corpus to a temporary JSON Lines file, then in this order:
parses their texts with bare spaCy in this process (the baseline), and runs
``communique ingest --workers 1`` and ``--workers 2`` into fresh databases. Prints articles/s
of each, the ratio of the 1-worker ingest to the baseline, the speed-up of 2 workers over 1,
and each worker's peak resident memory (its ``ru_maxrss``, asked of the workers before the
cluster closes). Ratios, not absolute speeds, are what compare across machines.
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from communique import distributed  # noqa: E402
from communique.cli import main as cli  # noqa: E402
from communique.language import load_nlp  # noqa: E402
from communique.settings import Settings  # noqa: E402

PEAKS: list[int] = []


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def record_worker_peaks(client) -> None:
    PEAKS.extend(int(v) for v in client.run(peak_rss_mb).values())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--corpus", default=str(REPO.parent / "shared/data/corpora/allsides-world.jsonl.gz"))
    args = parser.parse_args(argv)
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for _, line in zip(range(args.n), f, strict=False)]
    words = sum(len(r["text"].split()) for r in records)
    print(f"corpus: {args.corpus}: {len(records)} articles, {words} words", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        nlp = load_nlp(Settings.model)
        start = time.perf_counter()
        for _ in nlp.pipe((r["text"] for r in records), batch_size=8):
            pass
        bare = len(records) / (time.perf_counter() - start)
        print(f"bare spaCy: {bare:.2f} articles/s", flush=True)
        rates = {}
        original = distributed.dask_client
        for workers in (1, 2):
            PEAKS.clear()

            @contextmanager
            def client_with_peaks(w, s, _orig=original):
                with _orig(w, s) as client:
                    yield client
                    record_worker_peaks(client)

            distributed.dask_client = client_with_peaks
            start = time.perf_counter()
            cli(["ingest", str(path), "--db", str(Path(tmp) / f"w{workers}.duckdb"), "--workers", str(workers)])
            rates[workers] = len(records) / (time.perf_counter() - start)
            print(f"ingest --workers {workers}: {rates[workers]:.2f} articles/s; peak memory per worker "
                  f"{', '.join(f'{p} MB' for p in PEAKS)}", flush=True)
        distributed.dask_client = original
    print(f"ratio 1 worker / bare spaCy: {rates[1] / bare:.3f} (bar 0.7)")
    print(f"speed-up 2 workers / 1: {rates[2] / rates[1]:.3f} (bar 1.7)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
