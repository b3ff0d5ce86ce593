#!/usr/bin/env python3
"""The attitude set: the alignment's evidence of each stance kind, labelled by hand.

    .venv/bin/python tools/annotate_attitudes.py sample DB [--round R]      # into annotations/attitudes/sample.jsonl
    .venv/bin/python tools/annotate_attitudes.py batches DB OUT [--round R] # OUT/batch-N.jsonl: the items to read
    .venv/bin/python tools/annotate_attitudes.py store RAW... [--round R]   # annotators' raw files -> labels/
    .venv/bin/python tools/annotate_attitudes.py agreement      # Cohen's kappa on the double-coded items
    .venv/bin/python tools/annotate_attitudes.py precision DB [--write]  # each kind's precision in DB's stances
    .venv/bin/python tools/annotate_attitudes.py recall DB [--shared DIR]  # the share of real events between countries caught

``DB`` is a store made by ``communique ingest`` from the AllSides world corpus (its held-out
articles left out). The set was made in two rounds (``ROUNDS``), each drawn, batched and coded
apart: round 1 (seed 18) the candidates of quote and joint-action evidence, what the stances
stage reads, drawn at random whatever it then says; round 2 (seed 19) the stances of kind
reported themselves. The sample and the labels hold article ids and character offsets only; the
texts stay in ``../shared`` and the store. docs/annotation-attitudes.md is the codebook;
annotations/attitudes/README.md says how the set was made. ``recall`` measures the other side,
against the annotated real-news events (annotations/, docs/annotation.md): of the events coded
there between two countries, how many the stances of ``DB`` catch.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from communique.analysis import country_codes  # noqa: E402
from communique.evaluate import annotated  # noqa: E402
from communique.evaluate.annotated import kappa, split_of  # noqa: E402
from communique.evaluate.attitudes import ATTITUDES, LABELS, ROUNDS, load_labels, load_sample  # noqa: E402
from communique.evaluate.pairs import inside  # noqa: E402
from communique.lexicons.codes import type_signs  # noqa: E402
from communique.store import Store  # noqa: E402

SEEDS = {1: 18, 2: 19}
SIZES = {"quote": 240, "coaction": 120, "reported": 160}
DOUBLE = {"quote": 40, "coaction": 20, "reported": 32}
ANNOTATORS = 4


def of_round(rows: list[dict], number: int) -> list[dict]:
    """The rows of round ``number``'s kinds, in order."""
    return [r for r in rows if ROUNDS[r["kind"]] == number]


def label_file(k: int, number: int) -> Path:
    """Annotator k's label file of round ``number``."""
    return ATTITUDES.parent / "labels" / (f"coder{k}.jsonl" if number == 1 else f"round{number}-coder{k}.jsonl")


def candidates(db: str) -> list[dict]:
    """What the stances stage reads as quote and joint-action evidence (:mod:`communique.stances`), found in
    a store: every (quote of a speaker placed in a country, party of another country named inside it),
    and every (sentence, two parties of different countries that are the sources of events of one type
    with one target of a third country), drawn whatever the classifier or the rule then says; and every
    stance of kind reported, at its first evidence sentence (its object an issue as ``issue:NAME``)."""
    with Store(db, read_only=True) as store:
        mentions: dict[str, list] = {}
        for article, name, country, spans in store.con.execute(
                "SELECT article_id, name, country, mentions FROM actors WHERE country IS NOT NULL").fetchall():
            mentions.setdefault(article, []).append((name, country, json.loads(spans)))
        out = []
        for article, start, end, speaker, a in store.con.execute(
                "SELECT article_id, span_start, span_end, speaker_name, speaker_country FROM quotes "
                "WHERE speaker_country IS NOT NULL ORDER BY article_id, quote_no").fetchall():
            for name, b, spans in mentions.get(article, []):
                inside = [s for s in spans if s[0] >= start and s[1] <= end]
                if b != a and inside:
                    out.append({"article": article, "kind": "quote", "holder": speaker, "holder_country": a,
                                "target": name, "target_country": b, "start": start, "end": end,
                                "target_start": inside[0][0], "target_end": inside[0][1]})
        for article, start, end, holder, a, target, b, third in store.con.execute("""
                SELECT DISTINCT e1.article_id, e1.span_start, e1.span_end, e1.source_name, e1.source_country,
                       e2.source_name, e2.source_country, e1.target_name || ' (' || e1.target_country || ')' 
                FROM events e1 JOIN events e2 ON e1.article_id = e2.article_id AND e1.span_start = e2.span_start
                  AND e1.type = e2.type AND e1.target_country = e2.target_country
                  AND e1.source_country < e2.source_country
                WHERE e1.target_country NOT IN (e1.source_country, e2.source_country)
                ORDER BY 1, 2, 5, 7""").fetchall():
            out.append({"article": article, "kind": "coaction", "holder": holder, "holder_country": a,
                        "target": target, "target_country": b, "start": start, "end": end, "third": third})
        for article, holder, a, target, b, issue, evidence in store.con.execute(
                "SELECT article_id, holder_name, holder_country, target_name, target_country, issue, evidence "
                "FROM stances WHERE kind = 'reported' ORDER BY article_id, stance_no").fetchall():
            start, end = json.loads(evidence)[0]
            out.append({"article": article, "kind": "reported", "holder": holder, "holder_country": a,
                        "target": target or issue, "target_country": b or f"issue:{issue}", "start": start,
                        "end": end})
    seen, unique = set(), []
    for c in out:  # one item per (kind, article, evidence, holder country, object country)
        key = (c["kind"], c["article"], c["start"], c["holder_country"], c["target_country"])
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique


def sample(db: str, number: int) -> None:
    """Round ``number``'s items drawn at random (its seed) into the sample, the other rounds' rows kept."""
    rng = random.Random(SEEDS[number])
    found = candidates(db)
    rows = [r for r in load_sample() if ROUNDS[r["kind"]] != number] if ATTITUDES.exists() else []
    for kind, size in SIZES.items():
        if ROUNDS[kind] != number:
            continue
        pool = [c for c in found if c["kind"] == kind]
        drawn = rng.sample(pool, min(size, len(pool)))
        double = set(rng.sample(range(len(drawn)), min(DOUBLE[kind], len(drawn))))
        rows += [{"id": f"{kind}:{c['article']}:{c['start']}:{c['holder_country']}:{c['target_country']}", **c,
                  "split": split_of(c["article"]), "double": k in double} for k, c in enumerate(drawn)]
    rows.sort(key=lambda r: ROUNDS[r["kind"]])  # stable: each round's rows in their drawn order
    ATTITUDES.parent.mkdir(parents=True, exist_ok=True)
    with open(ATTITUDES, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    print(f"{len(rows)} items ({Counter(r['kind'] for r in rows)}), {sum(r['double'] for r in rows)} double-coded",
          file=sys.stderr)


def batches(db: str, out: Path, number: int) -> None:
    """One batch per annotator: its share of round ``number``'s items, then the double-coded items of the
    next annotator's share (coded a second time), each with the text to read from the store."""
    rows = of_round(load_sample(), number)
    out.mkdir(parents=True, exist_ok=True)
    with Store(db, read_only=True) as store:
        def context(row):
            if row["kind"] == "quote":
                text, speaker, country = store.con.execute(
                    "SELECT text, speaker_name, speaker_country FROM quotes WHERE article_id = ? AND span_start = ?",
                    [row["article"], row["start"]]).fetchone()
                at = row["target_start"] - row["start"]
                return {"speaker": f"{speaker} ({country})", "quote": text,
                        "party": f"{row['target']} ({row['target_country']})",
                        "party_words": text[at:at + row["target_end"] - row["target_start"]]}
            if row["kind"] == "reported":
                text, = store.con.execute("SELECT text FROM articles WHERE id = ?", [row["article"]]).fetchone()
                return {"sentence": text[row["start"]:row["end"]], "holder": f"{row['holder']} ({row['holder_country']})",
                        "object": row["target"] if row["target_country"].startswith("issue:")
                        else f"{row['target']} ({row['target_country']})"}
            sentence, = store.con.execute("SELECT sentence FROM events WHERE article_id = ? AND span_start = ?",
                                          [row["article"], row["start"]]).fetchone()
            return {"sentence": sentence, "A": f"{row['holder']} ({row['holder_country']})",
                    "B": f"{row['target']} ({row['target_country']})", "T": row["third"]}
        shares = [rows[k::ANNOTATORS] for k in range(ANNOTATORS)]
        for k in range(ANNOTATORS):
            second = [r for r in shares[(k + 1) % ANNOTATORS] if r["double"]]
            with open(out / f"batch-{k}.jsonl", "w", encoding="utf-8") as f:
                for row in shares[k] + second:
                    f.write(json.dumps({"id": row["id"], "kind": row["kind"], **context(row)}) + "\n")


def store_labels(paths: list[str], number: int) -> None:
    """Annotator k's raw file of round ``number`` (``raw-K.jsonl``: ``{id, label, note}`` per item of batch
    k) as its label file (:func:`label_file`), each row with its ``pass`` (2: the second coding of an item
    of the next annotator's share); every item of the batch labelled once, with a label of the codebook."""
    rows = of_round(load_sample(), number)
    shares = [{r["id"] for r in rows[k::ANNOTATORS]} for k in range(ANNOTATORS)]
    for path in paths:
        k = int(Path(path).stem.split("-")[-1])
        labels = [json.loads(line) for line in open(path, encoding="utf-8")]
        expected = [r["id"] for r in rows[k::ANNOTATORS]] + [r["id"] for r in rows[(k + 1) % ANNOTATORS::ANNOTATORS]
                                                            if r["double"]]
        if [r["id"] for r in labels] != expected:
            raise SystemExit(f"{path}: its ids are not those of batch {k}")
        bad = [r["id"] for r in labels if r["label"] not in LABELS[r["id"].split(":")[0]]]
        if bad:
            raise SystemExit(f"{path}: labels not in the codebook for {', '.join(bad)}")
        (ATTITUDES.parent / "labels").mkdir(exist_ok=True)
        with open(label_file(k, number), "w", encoding="utf-8") as f:
            for r in labels:
                f.write(json.dumps({"id": r["id"], "coder": k, "pass": 1 if r["id"] in shares[k] else 2,
                                    "label": r["label"], "note": r.get("note", "")}) + "\n")


def agreement() -> None:
    first, second = load_labels()
    for kind in LABELS:
        pairs = [(first[i], second[i]) for i in second if i in first and i.startswith(kind + ":")]
        raw = sum(a == b for a, b in pairs) / max(len(pairs), 1)
        print(f"{kind}: {len(pairs)} double-coded items, Cohen's kappa {kappa(pairs):.3f}, raw agreement {raw:.2f}")


def precision(db: str, write: bool) -> None:
    """How often the stances of each kind in the store ``DB`` are right, against the first coding of the
    sample: per split, and on train and dev together, what the alignment weighs the kind by (``--write``:
    into communique/data/attitude_kinds.tsv; see :func:`communique.analysis.alignment.kind_weights`).
    A quote or reported stance is right when its polarity is the label's (positive +1, negative -1;
    ``none`` is wrong); a coaction stance when the label is ``together``. Only the stances the alignment
    reads count: a holder placed in a country (not an organisation), an object of another country, an
    organisation or an issue. Reported stances are also counted apart by what gave them: an event coded in their sentence
    between the two countries, or else the stance classifier or an issue verb."""
    first, _ = load_labels()
    rows = load_sample()
    with Store(db, read_only=True) as store:
        stances: dict[tuple, int] = {}
        for article, kind, a, b, issue, polarity, evidence in store.con.execute(
                "SELECT article_id, kind, holder_country, target_country, issue, polarity, evidence FROM stances"
                ).fetchall():
            b = b or f"issue:{issue}"
            for start, _ in json.loads(evidence):
                stances[(kind, article, start, a, b)] = polarity
                if kind == "quote":  # a reading of the party toward the speaker answers the item too
                    stances.setdefault((kind, article, start, b, a), polarity)
        evented = {(article, start, a, b) for article, start, a, b in store.con.execute(
            "SELECT article_id, span_start, source_country, target_country FROM events "
            "WHERE source_country IS NOT NULL AND target_country IS NOT NULL").fetchall()}
    found: dict[tuple[str, str], list[int]] = {}
    countries = country_codes()
    for row in rows:
        polarity = stances.get((row["kind"], row["article"], row["start"], row["holder_country"], row["target_country"]))
        label = first.get(row["id"])
        read = row["holder_country"] in countries and row["holder_country"] != row["target_country"]
        if polarity is None or label is None or not read:  # only what the alignment reads counts
            continue
        right = label == "together" if row["kind"] == "coaction" else {"positive": 1, "negative": -1}.get(label) == polarity
        for split in (row["split"], "train+dev" if row["split"] != "test" else None):
            if split:
                found.setdefault((row["kind"], split), []).append(int(right))
        if row["kind"] == "reported":
            source = "event" if (row["article"], row["start"], row["holder_country"], row["target_country"]) in evented \
                else "classifier or issue verb"
            found.setdefault((f"reported from {source}", "all splits"), []).append(int(right))
    measured = {}
    for kind in SIZES:
        labelled = sum(1 for r in rows if r["kind"] == kind and r["id"] in first)
        for split in ("train", "dev", "test", "train+dev"):
            hits = found.get((kind, split), [])
            share = sum(hits) / len(hits) if hits else float("nan")
            print(f"{kind} {split}: {len(hits)} stances of {labelled} labelled items in all, precision {share:.3f}")
        hits = found.get((kind, "train+dev"), [])
        measured[kind] = (round(sum(hits) / len(hits), 3) if hits else None,
                          f"precision on the attitude set, train and dev ({len(hits)} stances)")
    for (part, _), hits in sorted(found.items()):
        if part.startswith("reported from"):
            print(f"{part}: {len(hits)} stances, precision {sum(hits) / len(hits):.3f}")
    if write:
        unmeasured = [kind for kind, (share, _) in measured.items() if share is None]
        if unmeasured:
            raise SystemExit(f"no labelled stance of kind {', '.join(unmeasured)} in {db}: nothing to weigh it by")
        path = REPO / "communique" / "data" / "attitude_kinds.tsv"
        with open(path, "w", encoding="utf-8") as f:
            f.write("kind\tprecision\tsource\n")
            for kind, (share, source) in measured.items():
                f.write(f"{kind}\t{share}\t{source}\n")
        print(f"wrote {path.relative_to(REPO)}")


def gold_events() -> list[tuple[str, str, int, int, str, str, int]]:
    """``(split, article, sentence start, sentence end, country, country, sign)`` of the annotated real-news
    set (docs/annotation.md) in AllSides sentences: each pair of countries (in alphabetical order) that a
    codable event of a signed type (:func:`~communique.lexicons.codes.type_signs`) sets against or beside
    each other in a sentence, once per sign; offsets into the corpus's text."""
    signs, countries = type_signs(), country_codes()
    sample = {row["sid"]: row for row in annotated.load_sample()}
    found = set()
    for sid, label in annotated.load_labels().items():
        row = sample[sid]
        if row["corpus"] != "allsides":
            continue
        for event in filter(annotated.codable, label["events"]):
            a, b = sorted((event.get(side) or {}).get("country") or "" for side in ("source", "target"))
            if a in countries and b in countries and a != b and event["type"] in signs:
                found.add((row["split"], row["article"], row["start"], row["end"], a, b, signs[event["type"]]))
    return sorted(found)


RECALL_OUTCOMES = ("caught", "wrong sign", "no stance, an event between the two",
                   "both countries found, an event of one of them whose other side has no country",
                   "both countries found, no event between them", "a country not found in the sentence",
                   "sentence not in the stored text", "article not in the store")


def evidence_recall(store: Store, gold: list[tuple], texts: dict[str, str]) -> list[str]:
    """What became of each item of :func:`gold_events` in ``store`` (one of ``RECALL_OUTCOMES``), its
    sentence found in the stored text (which ingest cleaned: datelines and boilerplate gone) by its words
    in the corpus's ``texts``: caught when a stance of any kind between its two countries (either way)
    with its sign has evidence overlapping the sentence; else where it was lost."""
    ids = sorted({g[1] for g in gold})
    with store.codes_table("recall_articles", ids):
        def rows(sql):
            by = defaultdict(list)
            for article, *rest in store.con.execute(sql + " WHERE article_id IN (SELECT code FROM recall_articles)"
                                                    ).fetchall():
                by[article].append(rest)
            return by
        stances = rows("SELECT article_id, holder_country, target_country, polarity, evidence FROM stances")
        events = rows("SELECT article_id, source_country, target_country, span_start, span_end FROM events")
        actors = rows("SELECT article_id, country, mentions FROM actors")
        stored = dict(store.con.execute(
            "SELECT id, text FROM articles WHERE id IN (SELECT code FROM recall_articles)").fetchall())

    def outcome(article, start, end, a, b, sign):
        if article not in stored:
            return "article not in the store"
        at = stored[article].find(texts[article][start:end])
        if at < 0:
            return "sentence not in the stored text"
        sentence = [at, at + end - start]
        signs = {p for x, y, p, evidence in stances[article]
                 if {x, y} == {a, b} and inside(sentence, json.loads(evidence or "[]"))}
        if sign in signs:
            return "caught"
        if signs:
            return "wrong sign"
        near = [(x, y) for x, y, s, e in events[article] if inside(sentence, [(s, e)])]
        if any({x, y} == {a, b} for x, y in near):
            return "no stance, an event between the two"
        if not {a, b} <= {c for c, mentions in actors[article] if c and inside(sentence, json.loads(mentions or "[]"))}:
            return "a country not found in the sentence"
        if any((x in (a, b)) != (y in (a, b)) and None in (x, y) for x, y in near):
            return "both countries found, an event of one of them whose other side has no country"
        return "both countries found, no event between them"

    return [outcome(*g[1:]) for g in gold]


def recall(db: str, shared: Path) -> None:
    """Print, per split of the annotated set, the share of its pairs of countries that the stances of
    ``DB`` catch (:func:`evidence_recall`) among those whose sentence is in the store, and where the others
    were lost."""
    gold = gold_events()
    texts = {i: r["text"] for i, r in annotated.read_corpus(shared, "allsides").items()}
    with Store(db, read_only=True) as store:
        outcomes = evidence_recall(store, gold, texts)
    for split in ("train", "dev", "test", "all"):
        got = Counter(o for g, o in zip(gold, outcomes, strict=True) if split in (g[0], "all"))
        n = sum(got.values()) - got["article not in the store"] - got["sentence not in the stored text"]
        print(f"{split}: {n} pairs of countries in stored sentences, caught {got['caught'] / max(n, 1):.3f}; "
              + "; ".join(f"{o} {got[o]}" for o in RECALL_OUTCOMES if got[o]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("db")
    b = sub.add_parser("batches")
    b.add_argument("db")
    b.add_argument("out", type=Path)
    st = sub.add_parser("store")
    st.add_argument("raw", nargs="+")
    for p in (s, b, st):
        p.add_argument("--round", type=int, choices=sorted(SEEDS), default=1, help="the round of the sample")
    sub.add_parser("agreement")
    pr = sub.add_parser("precision")
    pr.add_argument("db")
    pr.add_argument("--write", action="store_true")
    rc = sub.add_parser("recall")
    rc.add_argument("db")
    rc.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data folder (../shared)")
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.db, args.round)
    elif args.command == "batches":
        batches(args.db, args.out, args.round)
    elif args.command == "precision":
        precision(args.db, args.write)
    elif args.command == "recall":
        recall(args.db, args.shared)
    elif args.command == "store":
        store_labels(args.raw, args.round)
    else:
        agreement()


if __name__ == "__main__":
    main()
