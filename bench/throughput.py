"""Throughput of the full pipeline against bare spaCy parsing of the same texts, in one process.

usage: .venv/bin/python bench/throughput.py [CORPUS.jsonl.gz] [--limit N] [--batch-size N] [--events rules|learned]

Prints articles/s and words/s for bare spaCy (the same pipeline object, nlp.pipe) and for
the full coding pipeline (ingest already done: parsing, actors, quotes, events, stances),
their ratio, the time share of each stage, and the process's peak resident memory.
Both runs parse the same texts after one warm-up batch, so the ratio is robust to the
machine's speed; run it twice if the machine is busy.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from communique.inputs import Failure, read_inputs
from communique.language import analyse_many
from communique.pipeline import Pipeline
from communique.settings import CODERS, Settings

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora" / "wikinews.jsonl.gz"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--batch-size", type=int, default=Settings.batch_size)
    parser.add_argument("--events", choices=CODERS, default=Settings.events, help=Settings.help("events"))
    parser.add_argument("--quotes", choices=CODERS, default=Settings.quotes, help=Settings.help("quotes"))
    args = parser.parse_args(argv)
    if not Path(args.corpus).exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    articles = [a for a in read_inputs([args.corpus]) if not isinstance(a, Failure)][: args.limit]
    words = sum(len(a.text.split()) for a in articles)
    pipeline = Pipeline.get(Settings(batch_size=args.batch_size, events=args.events, quotes=args.quotes))
    nlp = pipeline.nlp
    list(nlp.pipe([a.text for a in articles[:16]]))  # warm-up

    start = time.perf_counter()
    for _ in nlp.pipe((a.text for a in articles), batch_size=args.batch_size):
        pass
    bare = time.perf_counter() - start

    stage_time = {"language": 0.0} | {s.name: 0.0 for s in pipeline.stages}
    start = time.perf_counter()
    mark = start
    events = 0
    for article in analyse_many(articles, nlp, batch_size=args.batch_size):
        now = time.perf_counter()
        stage_time["language"] += now - mark
        for stage in pipeline.stages:
            t0 = time.perf_counter()
            article = stage(article)
            stage_time[stage.name] += time.perf_counter() - t0
        events += len(article.events)
        article.parse = None
        mark = time.perf_counter()
    full = time.perf_counter() - start

    n = len(articles)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {args.corpus}: {n} articles, {words} words; {events} events coded")
    print(f"bare spaCy ({nlp.meta['name']}): {n / bare:8.2f} articles/s {words / bare:9.0f} words/s  ({bare:.1f}s)")
    print(f"full pipeline:          {n / full:8.2f} articles/s {words / full:9.0f} words/s  ({full:.1f}s)")
    coding = sum(v for k, v in stage_time.items() if k != "language")
    print(f"ratio full/bare speed: {bare / full:.3f}")
    print(f"coding stages: {coding:.1f}s = {100 * coding / stage_time['language']:.1f}% of the parse time "
          f"in the same run")
    print("time by stage: " + ", ".join(f"{k} {100 * v / full:.1f}%" for k, v in stage_time.items()))
    print(f"peak resident memory: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
