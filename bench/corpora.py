"""Every article of the project's corpora through `communique code`'s path, failures counted by stage.

usage: .venv/bin/python bench/corpora.py [--allsides N] [--seed S]

Codes every page of the extraction benchmark, the whole Wikinews corpus and N (500) AllSides
articles drawn with a fixed seed (none of ../shared/data/heldout-articles.txt), as
`communique code` does (communique.code_inputs: read, clean, parse, code; one failure never
stops the run), and prints per corpus the articles coded, the failures by stage (zero
expected) with their first lines, and the time. For the extraction benchmark it also scores
the coded articles' text against the true bodies as the benchmark does (precision, recall,
F1 over 4-word shingles).
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import communique
from communique.evaluate.extraction import score_extraction
from communique.model import Article

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def code_all(name: str, paths: list[str]) -> dict[str, Article]:
    """Code ``paths`` and print the corpus's line; the coded articles by input."""
    start, coded, failures = time.perf_counter(), {}, []
    for item in communique.code_inputs(paths):
        if isinstance(item, Article):
            coded[item.input] = item
        else:
            failures.append(item)
    stages = Counter(f.stage for f in failures)
    print(f"{name}: {len(coded)} articles coded, {len(failures)} failures "
          f"({', '.join(f'{s} {n}' for s, n in stages.items()) or 'none'}), {time.perf_counter() - start:.0f}s",
          flush=True)
    for failure in failures[:10]:
        print(f"  {failure}")
    return coded


def allsides_sample(n: int, seed: int, folder: Path) -> str:
    """A JSON Lines file of ``n`` AllSides articles drawn with ``seed``, none of the held-out ones."""
    heldout = {line.strip() for line in (DATA / "heldout-articles.txt").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    with gzip.open(DATA / "corpora" / "allsides-world.jsonl.gz", "rt", encoding="utf-8") as lines:
        records = [line for line in lines if json.loads(line)["id"] not in heldout]
    path = folder / "allsides-sample.jsonl"
    path.write_text("".join(random.Random(seed).sample(records, n)), encoding="utf-8")
    return str(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allsides", type=int, default=500, metavar="N", help="AllSides articles (default 500)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the AllSides sample (default 13)")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    bench = DATA / "corpora" / "extraction-benchmark"
    pages = sorted(str(p) for p in (bench / "html").glob("*.html.gz"))
    coded = code_all("extraction benchmark", pages)
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    pairs = [(coded[p].text if p in coded else "", truth[Path(p).name.removesuffix(".html.gz")]["articleBody"])
             for p in pages]
    print(f"  article bodies of the coded articles: {score_extraction(pairs)}")
    code_all("wikinews", [str(DATA / "corpora" / "wikinews.jsonl.gz")])
    with tempfile.TemporaryDirectory() as folder:
        code_all(f"allsides sample of {args.allsides}", [allsides_sample(args.allsides, args.seed, Path(folder))])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
