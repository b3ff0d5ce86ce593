#!/usr/bin/env python3
"""The real-news annotation set: sampling, batches for annotators, checks, agreement and the training table.

    .venv/bin/python tools/annotate.py sample            # annotations/sample.jsonl (fixed seed)
    .venv/bin/python tools/annotate.py batches OUT       # OUT/batch-NN.md: the sentences to read, with context
    .venv/bin/python tools/annotate.py check RAW...      # validate annotators' raw files (text strings)
    .venv/bin/python tools/annotate.py store RAW...      # raw files -> annotations/labels/*.jsonl (offsets only)
    .venv/bin/python tools/annotate.py agreement         # Cohen's kappa on the double-coded sentences
    .venv/bin/python tools/annotate.py table OUT.jsonl   # the training table: labels joined with their texts

The texts stay in ``../shared`` (``--shared``): the sample and the labels hold article ids and
character offsets into the ``text`` field of the corpus record. annotations/README.md says how
the set was made; docs/annotation.md is the codebook.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from communique.evaluate.annotated import (  # noqa: E402
    CORPORA, EVENT_TYPES, FLAGS, NO_EVENT_KINDS, SECTORS, kappa, load_labels, load_sample, read_corpus, split_of)

SEED = 14
ARTICLES = {"wikinews": 120, "allsides": 520}
PER_ARTICLE = 5
DOUBLE = 200
BATCH_SENTENCES = 100
CODERS = 8  # annotators working in parallel
OUT = REPO / "annotations"


def sample(shared: Path) -> None:
    """Articles at random from each corpus (never a held-out one), up to five sentences at random from each."""
    from communique.language import analyse_many, load_nlp
    from communique.model import Article

    heldout = {l.strip() for l in (shared / "data/heldout-articles.txt").read_text().splitlines()
               if l.strip() and not l.startswith("#")}
    rng = random.Random(SEED)
    chosen = []
    for corpus, n in ARTICLES.items():
        records = [r for r in read_corpus(shared, corpus).values() if r["id"] not in heldout and r["text"].strip()]
        records.sort(key=lambda r: r["id"])
        chosen += [(corpus, r) for r in rng.sample(records, n)]
    nlp = load_nlp()
    articles = (Article(id=r["id"], text=r["text"]) for _, r in chosen)
    rows = []
    for (corpus, record), article in zip(chosen, analyse_many(articles, nlp), strict=True):
        sents = [s for s in article.sentences if sum(c.isalpha() for c in record["text"][s.start:s.end]) >= 20]
        picked = sorted(rng.sample(sents, min(PER_ARTICLE, len(sents))), key=lambda s: s.start)
        for s in picked:
            text = record["text"][s.start:s.end]
            start = s.start + len(text) - len(text.lstrip())
            end = s.start + len(text.rstrip())
            rows.append({"sid": f"{corpus}:{record['id']}:{start}", "corpus": corpus, "article": record["id"],
                         "start": start, "end": end, "split": split_of(record["id"])})
    for row in rng.sample(rows, DOUBLE):
        row["double"] = True
    with open(OUT / "sample.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    print(f"{len(rows)} sentences from {len({r['article'] for r in rows})} articles; "
          f"{sum(bool(r.get('double')) for r in rows)} to code twice; splits "
          f"{dict(Counter(r['split'] for r in rows))}", file=sys.stderr)


def batches(shared: Path, out: Path) -> None:
    """Batches of about a hundred sentences, an article's sentences together, each with its title,
    date and the two sentences before it; the double-coded sentences again in batches of their own."""
    rows = load_sample()
    texts = {c: read_corpus(shared, c) for c in CORPORA}
    by_article = defaultdict(list)
    for row in rows:
        by_article[(row["corpus"], row["article"])].append(row)
    groups = list(by_article.values())
    out.mkdir(parents=True, exist_ok=True)
    chunks, current = [], []
    for group in groups:
        current += group
        if len(current) >= BATCH_SENTENCES:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    # annotator k codes first batches k, k + CODERS, ...; the double-coded sentences of those are coded
    # again, independently, by annotator k + 1 (mod CODERS), in a batch of their own
    first = {r["sid"]: n % CODERS for n, chunk in enumerate(chunks) for r in chunk}
    for k in range(CODERS):
        chunks.append([dict(r, second=True) for r in rows if r.get("double") and first[r["sid"]] == (k - 1) % CODERS])
    for n, chunk in enumerate(chunks, 1):
        lines = [f"# Batch {n:02d}: {len(chunk)} sentences", ""]
        for row in chunk:
            record = texts[row["corpus"]][row["article"]]
            text = record["text"]
            before = text[max(0, row["start"] - 600):row["start"]].replace("\n", " ")
            lines += [f"## {row['sid']}", f"title: {record.get('title', '')} | date: {record.get('date', '')}",
                      f"before: ...{before[-400:]}", "", f"SENTENCE: {text[row['start']:row['end']]}", ""]
        coder = (n - 1) % CODERS if not chunk[0].get("second") else n - 1 - (len(chunks) - CODERS)
        name = f"coder{coder}-batch-{n:02d}{'-second' if chunk[0].get('second') else ''}"
        (out / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(chunks)} batches in {out}", file=sys.stderr)


def locate(phrase: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The first occurrence of ``phrase`` in ``text[start:end]`` as a whole word or words ("he" is not in "the")."""
    if not phrase:
        return None
    left = r"\b" if phrase[0].isalnum() else ""
    right = r"\b" if phrase[-1].isalnum() else ""
    found = re.compile(left + re.escape(phrase) + right).search(text, start, end)
    return found.span() if found else None


def convert(raw: dict, row: dict, text: str) -> tuple[dict, list[str]]:
    """A raw label (text strings) as stored (offsets), and what is wrong with it."""
    errors = []
    events = []
    for e in raw.get("events") or []:
        event = {"type": e.get("type")}
        if event["type"] not in EVENT_TYPES:
            errors.append(f"type {event['type']!r}")
        for key in ("mode", "context"):
            if e.get(key):
                event[key] = e[key]
        for key in ("source", "target"):  # a party may be named only before the sentence: its codes, no span
            phrase = (e.get(key) or "").strip()
            country = e.get(f"{key}_country") or None
            sector = e.get(f"{key}_sector") or None
            if sector and sector not in SECTORS:
                errors.append(f"{key}_sector {sector!r}")
            if country and not (len(country) == 3 and country.isupper()):
                errors.append(f"{key}_country {country!r}")
            span = locate(phrase, text, row["start"], row["end"]) if phrase else None
            if phrase and span is None:
                errors.append(f"{key} {phrase!r} is not in the sentence")
            if span or country or sector:
                event[key] = {"span": list(span) if span else None, "country": country, "sector": sector}
        for key in ("trigger",):
            phrase = (e.get(key) or "").strip()
            if not phrase:
                errors.append("no trigger")
                continue
            span = locate(phrase, text, row["start"], row["end"])
            if span is None:
                errors.append(f"{key} {phrase!r} is not in the sentence")
                continue
            if key == "trigger":
                event["trigger"] = list(span)

        for flag in FLAGS:
            if e.get(flag):
                event[flag] = True
        events.append(event)
    label = {"sid": row["sid"], "article": row["article"], "corpus": row["corpus"], "start": row["start"],
             "end": row["end"], "events": events}
    if not events:
        kind = raw.get("none")
        if kind not in NO_EVENT_KINDS:
            errors.append(f"no events and 'none' is {kind!r} (one of {sorted(NO_EVENT_KINDS)})")
        label["none"] = kind
    return label, errors


def read_raw(paths: list[str]) -> list[tuple[str, dict]]:
    out = []
    for path in paths:
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    out.append((f"{path}:{n}", json.loads(line)))
                except json.JSONDecodeError as exc:
                    out.append((f"{path}:{n}", {"error": str(exc)}))
    return out


def check(shared: Path, paths: list[str], store_as: str | None = None) -> int:
    rows = {r["sid"]: r for r in load_sample()}
    texts = {c: read_corpus(shared, c) for c in CORPORA}
    bad = 0
    stored: dict[str, list[dict]] = defaultdict(list)
    for where, raw in read_raw(paths):
        row = rows.get(raw.get("sid"))
        if row is None:
            print(f"{where}: unknown sid {raw.get('sid')!r} {raw.get('error', '')}")
            bad += 1
            continue
        label, errors = convert(raw, row, texts[row["corpus"]][row["article"]]["text"])
        for err in errors:
            print(f"{where} {row['sid']}: {err}")
        bad += bool(errors)
        label["annotator"] = raw.get("annotator") or Path(where.split(":")[0]).stem
        stored[Path(where.split(":")[0]).stem].append(label)
    print(f"{sum(map(len, stored.values()))} labels, {bad} with errors", file=sys.stderr)
    if store_as is not None:
        (OUT / "labels").mkdir(exist_ok=True)
        for name, labels in stored.items():
            with open(OUT / "labels" / f"{name}.jsonl", "w", encoding="utf-8") as f:
                for label in labels:
                    f.write(json.dumps(label, sort_keys=True) + "\n")
    return 1 if bad else 0


def agreement() -> None:
    """Cohen's kappa on event/no-event and on the type of the sentence's main (first) codable event."""
    firsts, seconds = load_labels(second=False), load_labels(second=True)
    common = sorted(set(firsts) & set(seconds))

    def main_type(label: dict) -> str:
        codable = [e["type"] for e in label["events"] if not any(e.get(f) for f in ("negated", "hypothetical"))]
        return codable[0] if codable else "NONE"

    def types(label: dict) -> set:
        return {e["type"] for e in label["events"] if not any(e.get(f) for f in ("negated", "hypothetical"))}

    pairs = [(main_type(firsts[s]), main_type(seconds[s])) for s in common]
    binary = [(a != "NONE", b != "NONE") for a, b in pairs]
    both = [(a, b) for a, b in pairs if a != "NONE" and b != "NONE"]
    overlap = sum(bool(types(firsts[s]) & types(seconds[s])) for s in common if types(firsts[s]) and types(seconds[s]))
    print(json.dumps({
        "sentences": len(common),
        "kappa_event": round(kappa(binary), 3),
        "kappa_type_with_none": round(kappa(pairs), 3),
        "kappa_type_both_events": round(kappa(both), 3) if both else None,
        "agree_event": round(sum(a == b for a, b in binary) / len(binary), 3),
        "share_sharing_a_type_when_both_code": round(overlap / len(both), 3) if both else None,
    }, indent=1))


def table(shared: Path, out: str) -> None:
    """Every label with its sentence text and its article's text reference, for training (not committed)."""
    texts = {c: read_corpus(shared, c) for c in CORPORA}
    with open(out, "w", encoding="utf-8") as f:
        for label in load_labels(second=False).values():
            text = texts[label["corpus"]][label["article"]]["text"]
            f.write(json.dumps(dict(label, text=text[label["start"]:label["end"]],
                                    split=split_of(label["article"]))) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["sample", "batches", "check", "store", "agreement", "table"])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.shared)
    elif args.command == "batches":
        batches(args.shared, Path(args.paths[0]))
    elif args.command in ("check", "store"):
        sys.exit(check(args.shared, args.paths, store_as="labels" if args.command == "store" else None))
    elif args.command == "agreement":
        agreement()
    else:
        table(args.shared, args.paths[0])


if __name__ == "__main__":
    main()
