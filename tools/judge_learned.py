#!/usr/bin/env python3
"""Judge persons learned from the text against their evidence (issue 16's discovery check).

    .venv/bin/python tools/judge_learned.py sample --db allsides.duckdb --out-batch /tmp/batch.jsonl
    .venv/bin/python tools/judge_learned.py score

``sample`` draws ``N`` learned persons (``Store.learned_persons``) at random with a fixed seed and
writes ``annotations/learned-persons/sample.jsonl`` (name and what was learned, the evidence as
article id and character offsets into the stored article text: no text) and, outside the repo, a
batch file with the evidence sentences for the judges. ``score`` reads the judges' files
(``judge-*.jsonl`` beside the sample; see README.md there for the codebook) and prints the share
right of country, sector and role, and the two judges' agreement.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from communique.store import Store  # noqa: E402

FOLDER = ROOT / "annotations" / "learned-persons"
SEED, N = 16, 50
FIELDS = ("person", "country", "sector", "role")  # each judged "right", "wrong" or "unclear"


def sample(db: str, batch: str) -> None:
    with Store(db, read_only=True) as store:
        persons = store.learned_persons(evidence=3)
        drawn = random.Random(SEED).sample(persons, N)
        rows, items = [], []
        for n, p in enumerate(drawn):
            evidence = []
            for e in p["evidence"]:
                text = store.con.execute("SELECT text FROM articles WHERE id = ?", [e["article_id"]]).fetchone()[0]
                start = text.find(e["sentence"][:40]) if e["sentence"] not in text else text.find(e["sentence"])
                evidence.append({"article": e["article_id"], "date": e["date"], "start": start,
                                 "end": start + len(e["sentence"])})
            learned = {k: p[k] for k in ("name", "country", "sector", "role", "first_seen", "last_seen", "articles")}
            rows.append({"item": n, **learned, "evidence": evidence})
            items.append({"item": n, **learned, "sentences": [e["sentence"] for e in p["evidence"]]})
    (FOLDER / "sample.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    Path(batch).write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))
    print(f"{len(persons)} persons learned; {N} drawn (seed {SEED}) -> {FOLDER / 'sample.jsonl'}, {batch}")


def read(path: Path) -> dict[int, dict]:
    return {r["item"]: r for r in map(json.loads, path.read_text().splitlines()) if r}


def score() -> None:
    judges = sorted(FOLDER.glob("judge-*.jsonl"))
    coded = [read(p) for p in judges]
    for path, judged in zip(judges, coded, strict=True):
        shares = {f: sum(j[f] == "right" for j in judged.values()) / len(judged) for f in FIELDS}
        print(f"{path.name}: " + ", ".join(f"{f} right {shares[f]:.2f}" for f in FIELDS) + f" (n={len(judged)})")
    if len(coded) == 2:
        both = sorted(set(coded[0]) & set(coded[1]))
        for f in FIELDS:
            agree = sum(coded[0][i][f] == coded[1][i][f] for i in both) / len(both)
            print(f"agreement on {f}: {agree:.2f} (n={len(both)})")
        every = [i for i in both if all(coded[0][i][f] == coded[1][i][f] == "right" for f in FIELDS)]
        print(f"both judges: all four right for {len(every)}/{len(both)} = {len(every) / len(both):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--db", required=True)
    s.add_argument("--out-batch", required=True, help="the judges' batch file (with sentences: keep it out of the repo)")
    sub.add_parser("score")
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.db, args.out_batch)
    else:
        score()


if __name__ == "__main__":
    main()
