#!/usr/bin/env python3
"""Judge persons learned from the text against their evidence (issue 16's discovery check).

    .venv/bin/python tools/judge_learned.py sample --set test --db allsides.duckdb --out-batch /tmp/batch.jsonl
    .venv/bin/python tools/judge_learned.py score --set test
    .venv/bin/python tools/judge_learned.py recheck --set dev --db allsides.duckdb

``sample`` draws ``N`` learned persons (``Store.learned_persons``) at random with the set's seed
(dev 16, test 17; the test sample leaves out the names of the dev sample) and writes
``annotations/learned-persons/SET/sample.jsonl`` (name and what was learned, the evidence as
article id and character offsets into the stored article text: no text) and, outside the repo, a
batch file with the evidence sentences for the judges. ``score`` reads the judges' files
(``judge-*.jsonl`` beside the sample; see README.md for the codebook) and prints the share
right of person, country, sector and role, and the two judges' agreement. ``recheck`` codes the
first evidence article of each judged person again with the current coder and counts the persons
still learned with the country and sector the judges hold right (judge 1's corrections): the
figure a change of the coder is chosen on (dev), without judging again.
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
SEEDS, N = {"dev": 16, "test": 17}, 50
FIELDS = ("person", "country", "sector", "role")  # each judged "right", "wrong" or "unclear"


def sample(db: str, batch: str, name: str) -> None:
    folder = FOLDER / name
    seen = {r["name"] for r in read(FOLDER / "dev" / "sample.jsonl").values()} if name == "test" else set()
    with Store(db, read_only=True) as store:
        persons = [p for p in store.learned_persons(evidence=3) if p["name"] not in seen]
        drawn = random.Random(SEEDS[name]).sample(persons, N)
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
    folder.mkdir(exist_ok=True)
    (folder / "sample.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    Path(batch).write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))
    print(f"{len(persons)} persons learned ({len(seen)} names of the dev sample left out); {N} drawn "
          f"(seed {SEEDS[name]}) -> {folder / 'sample.jsonl'}, {batch}")


def read(path: Path) -> dict[int, dict]:
    return {r["item"]: r for r in map(json.loads, path.read_text().splitlines()) if r}


def score(name: str) -> None:
    judges = sorted((FOLDER / name).glob("judge-*.jsonl"))
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


def recheck(db: str, name: str) -> None:
    from communique.model import Article
    from communique.pipeline import Pipeline

    from communique.settings import Settings

    pipeline = Pipeline.get(Settings())
    judged = read(FOLDER / name / "judge-1.jsonl")
    counts = {"learned": 0, "country": 0, "sector": 0}
    with Store(db, read_only=True) as store:
        for item in read(FOLDER / name / "sample.jsonl").values():
            verdict = judged[item["item"]]
            want = {f: item[f] if verdict[f] == "right" else verdict[f"correct_{f}"] for f in ("country", "sector")}
            article_id = item["evidence"][0]["article"]
            text, date = store.con.execute("SELECT text, date FROM articles WHERE id = ?", [article_id]).fetchone()
            coded = next(pipeline.code_articles([Article(id=article_id, text=text, date=date)]))
            actor = next((a for a in coded.actors if a.kind == "person" and a.name == item["name"] and a.evidence), None)
            counts["learned"] += actor is not None
            for f in ("country", "sector"):
                counts[f] += actor is not None and verdict["person"] == "right" and getattr(actor, f) == want[f]
    print(f"{name}: of {len(judged)} judged persons, {counts['learned']} still learned; country right "
          f"{counts['country']}, sector right {counts['sector']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--db", required=True)
    s.add_argument("--out-batch", required=True, help="the judges' batch file (with sentences: keep it out of the repo)")
    c = sub.add_parser("score")
    r = sub.add_parser("recheck")
    r.add_argument("--db", required=True, help="the database the sample was drawn from (its article texts)")
    for command in (s, c, r):
        command.add_argument("--set", choices=sorted(SEEDS), default="test")
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.db, args.out_batch, args.set)
    elif args.command == "recheck":
        recheck(args.db, args.set)
    else:
        score(args.set)


if __name__ == "__main__":
    main()
