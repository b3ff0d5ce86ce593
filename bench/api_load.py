#!/usr/bin/env python3
"""API load benchmark: concurrent clients against ``communique serve`` on a million-event database.

    .venv/bin/python bench/api_load.py [--events 1000000] [--clients 50] [--seconds 30] [--think 0]
                                       [--workers 2] [--db /tmp/communique-load.duckdb]

Builds (once; kept at --db and reused) a synthetic store with the real schema: N events
over 80 countries, 16 PLOVER types and ten years, on N/10 articles, with actors, quotes
and stances in proportion. Then starts ``communique serve`` on it, lets the clients (each
one HTTP/1.1 keep-alive connection) send a fixed, seeded mix of dashboard requests for the
given seconds, each client waiting ``--think`` seconds between an answer and its next request
(0, the default: a closed loop with no pause, the worst case; 1: a very busy human), and
prints requests/s and latency percentiles, overall and per endpoint. The bar of issue 7:
p95 at most 300 ms with 50 clients. The server caches answers (see docs/analysis.md): the
first requests of each kind are the slow ones, so a longer run reads better.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from communique.store import Store  # noqa: E402

TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
COUNTRIES = ["USA", "CHN", "RUS", "IRN", "CUB", "ISR", "PSE", "UKR", "GBR", "FRA", "DEU", "IND", "PAK", "TUR", "SAU",
             "EGY", "SYR", "IRQ", "AFG", "JPN", "KOR", "PRK", "BRA", "VEN", "MEX", "CAN", "AUS", "NGA", "ZAF", "KEN",
             "ETH", "SDN", "LBY", "YEM", "QAT", "ARE", "JOR", "LBN", "POL", "BLR", "HUN", "ITA", "ESP", "GRC", "SRB",
             "ARM", "AZE", "GEO", "KAZ", "UZB", "IDN", "MYS", "PHL", "VNM", "THA", "MMR", "BGD", "LKA", "NPL", "COL",
             "ARG", "CHL", "PER", "BOL", "NIC", "HTI", "MLI", "NER", "BFA", "SOM", "COD", "RWA", "UGA", "TZA", "SEN",
             "MAR", "DZA", "TUN", "NOR", "SWE"]
WORDS = ("minister president talks sanctions border troops aid deal summit protest attack ceasefire election "
         "trade nuclear embassy refugees oil security agreement").split()


def build(db: str, n_events: int) -> None:
    """A synthetic store of ``n_events`` events (deterministic: DuckDB's random with a fixed seed)."""
    with Store(db) as store:
        con = store.con
        n_articles = max(1, n_events // 10)
        con.execute("SELECT setseed(0.42)")
        con.execute("CREATE TEMP TABLE c AS SELECT unnest(?) AS code, generate_subscripts(?, 1) - 1 AS i",
                    [COUNTRIES, COUNTRIES])
        con.execute("CREATE TEMP TABLE t AS SELECT unnest(?) AS type, generate_subscripts(?, 1) - 1 AS i",
                    [TYPES, TYPES])
        con.execute("CREATE TEMP TABLE w AS SELECT unnest(?) AS word, generate_subscripts(?, 1) - 1 AS i",
                    [WORDS, WORDS])
        nc, nt, nw = len(COUNTRIES), len(TYPES), len(WORDS)
        con.execute(f"""INSERT INTO articles (id, title, date, input, text)
            SELECT 'a' || i, 'Article ' || i, CAST(DATE '2015-01-01' + CAST(floor(random() * 3650) AS INTEGER)
            AS VARCHAR), 'synthetic', 'text of article ' || i FROM range({n_articles}) r(i)""")
        con.execute(f"""INSERT INTO events (article_id, event_no, type, cameo, goldstein, quad_class, source_name,
                source_country, source_sector, target_name, target_country, date, historical, sentence, span_start,
                span_end, trigger, trigger_start, trigger_end, confidence, reason)
            SELECT 'a' || (e.i // 10), e.i % 10, t.type, '0' || (t.i + 10), round(random() * 20 - 10, 1),
                   1 + (t.i // 4), s.code || ' official', s.code, 'GOV', g.code || ' official', g.code, a.date, false,
                   s.code || ' official ' || w.word || ' ' || g.code || ' official over ' || w2.word || '.',
                   0, 60, w.word, 13, 13 + length(w.word), round(random(), 2), 'synthetic'
            FROM (SELECT i, CAST(floor(random() * {nc}) AS INTEGER) AS si,
                         CAST(floor(random() * {nc - 1}) AS INTEGER) AS ti, CAST(floor(random() * {nt}) AS INTEGER)
                         AS ty, CAST(floor(random() * {nw}) AS INTEGER) AS wi,
                         CAST(floor(random() * {nw}) AS INTEGER) AS wj FROM range({n_events}) r(i)) e
            JOIN c s ON s.i = e.si JOIN c g ON g.i = (e.si + 1 + e.ti) % {nc} JOIN t ON t.i = e.ty
            JOIN w ON w.i = e.wi JOIN w w2 ON w2.i = e.wj JOIN articles a ON a.id = 'a' || (e.i // 10)""")
        con.execute("""INSERT INTO actors (article_id, actor_id, name, kind, country, sector, mentions)
            SELECT article_id, row_number() OVER (PARTITION BY article_id), name, 'person', country, 'GOV', '[[0, 12]]'
            FROM (SELECT DISTINCT article_id, source_name AS name, source_country AS country FROM events
                  UNION SELECT DISTINCT article_id, target_name, target_country FROM events)""")
        con.execute("""INSERT INTO stances (article_id, stance_no, holder_name, holder_country, target_name,
                target_country, polarity, evidence)
            SELECT article_id, event_no, source_name, source_country, target_name, target_country,
                   CASE WHEN goldstein >= 0 THEN 1 ELSE -1 END, '[[0, 60]]' FROM events WHERE event_no < 3""")
        con.execute("""INSERT INTO quotes (article_id, quote_no, text, span_start, span_end, speaker_name,
                speaker_country, cue, direct)
            SELECT article_id, event_no, sentence, 0, 60, source_name, source_country, 'said', true
            FROM events WHERE event_no < 2""")


def requests(rng: random.Random) -> tuple[str, str]:
    """One request of the mix: (endpoint name, path)."""
    c1, c2 = rng.sample(COUNTRIES, 2)
    year = rng.randint(2015, 2024)
    choices = [
        (30, "events by country", f"/api/events?country={c1}&limit=50"),
        (15, "events by dyad", f"/api/events?source={c1}&target={c2}&limit=50"),
        (10, "events by type and year", f"/api/events?type={rng.choice(TYPES)}&since={year}-01-01"
                                        f"&until={year}-12-31&limit=50"),
        (5, "events by text", f"/api/events?q={rng.choice(WORDS)}&country={c1}&limit=50"),
        (10, "events page 5", f"/api/events?country={c1}&limit=50&offset=200"),
        (10, "event detail", f"/api/events/a{rng.randrange(1000)}/{rng.randrange(10)}"),
        (10, "dyad series", f"/api/dyads?source={c1}&target={c2}&freq=month"),
        (5, "quotes of a country", f"/api/quotes?country={c1}&limit=50"),
        (5, "stances of a country", f"/api/stances?holder={c1}&limit=50"),
    ]
    pick = rng.uniform(0, sum(w for w, _, _ in choices))
    for weight, name, path in choices:
        pick -= weight
        if pick <= 0:
            return name, path
    return choices[-1][1], choices[-1][2]


async def client(port: int, seed: int, until: float, results: list, think: float) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while time.perf_counter() < until:
        name, path = requests(rng)
        start = time.perf_counter()
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        results.append((name, status, time.perf_counter() - start))
        if think:
            await asyncio.sleep(think)
    writer.close()


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=0.0, help="seconds each client waits between requests")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--db", default="/tmp/communique-load.duckdb")
    args = parser.parse_args(argv)
    if not Path(args.db).exists():
        start = time.perf_counter()
        build(args.db, args.events)
        print(f"built {args.db}: {args.events} events in {time.perf_counter() - start:.0f} s", flush=True)
    with Store(args.db, read_only=True) as store:
        counts = store.counts()
    print(f"database: {counts['events']} events, {counts['articles']} articles, {counts['stances']} stances, "
          f"{counts['quotes']} quotes", flush=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "communique.cli", "serve", "--db", args.db, "--port", str(port),
                               "--workers", str(args.workers)], cwd=REPO)
    try:
        import urllib.request
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/summary", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        results: list = []

        async def run() -> None:
            until = time.perf_counter() + args.seconds
            await asyncio.gather(*(client(port, k, until, results, args.think) for k in range(args.clients)))
        start = time.perf_counter()
        asyncio.run(run())
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait()
    latencies = [r[2] * 1000 for r in results]
    errors = sum(1 for r in results if r[1] >= 400)
    print(f"{args.clients} clients (think {args.think:g} s), {elapsed:.1f} s, {args.workers} server processes: "
          f"{len(results)} requests "
          f"({len(results) / elapsed:.0f}/s), {errors} errors")
    print(f"latency ms: p50 {percentile(latencies, .5):.0f}  p95 {percentile(latencies, .95):.0f}  "
          f"p99 {percentile(latencies, .99):.0f}  max {max(latencies):.0f}")
    for name in sorted({r[0] for r in results}):
        mine = [r[2] * 1000 for r in results if r[0] == name]
        print(f"  {name:<24} {len(mine):>6} requests  p50 {percentile(mine, .5):>5.0f}  "
              f"p95 {percentile(mine, .95):>5.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
