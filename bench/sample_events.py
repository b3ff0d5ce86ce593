"""Draw a fixed random sample of stored events for judging by hand, with corpus rates.

usage: .venv/bin/python bench/sample_events.py DB [--n 60] [--seed 42]

Prints events per 1,000 words of the stored articles and events by type, then N events
drawn at random (by a hash of each event's key and the seed, so the same seed and
database give the same sample whatever the storage order), each
with its type, CAMEO code, source and target, trigger and evidence sentence, so that a
reader can judge each against its sentence.
"""
from __future__ import annotations

import argparse
import sys

import duckdb


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    con = duckdb.connect(args.db, read_only=True)
    words = con.execute("SELECT sum(len(regexp_split_to_array(trim(text), '\\s+'))) FROM articles").fetchone()[0]
    n_events, n_articles = con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM articles)").fetchone()
    print(f"{n_articles} articles, {words} words, {n_events} events: {1000 * n_events / words:.2f} events per 1,000 words")
    for etype, count in con.execute("SELECT type, count(*) FROM events GROUP BY type ORDER BY 2 DESC").fetchall():
        print(f"  {etype:<10} {count}")
    rows = con.execute(
        "SELECT article_id, event_no, type, cameo, source_name, source_country, target_name, target_country,"
        " trigger, confidence, sentence FROM events ORDER BY hash(article_id, event_no, ?::INTEGER) LIMIT ?",
        [args.seed, args.n]).fetchall()
    for i, (aid, no, etype, cameo, sname, sc, tname, tc, trigger, conf, sentence) in enumerate(
            sorted(rows, key=lambda r: (r[0], r[1])), 1):
        print(f"\n[{i}] {aid}#{no} {etype} {cameo} {sname} ({sc}) -> {tname} ({tc}) [{trigger}] conf {conf}")
        print(f"    {' '.join(sentence.split())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
