"""Scoring the event coder against gold sentences.

Reads the PLOVER gold-standard format (``event_plover``, ``source``/``target`` lists of
``{"text", "code"}``, ``markup``) and the CAMEO codebook examples (``code``,
``root_code``, ``text``). Every gold sentence is coded as a one-sentence article dated
by its ``date`` (if any); records that share a sentence are scored together.

- type accuracy: share of sentences for which some coded event has a gold type;
- source (target) accuracy: among those that have actor gold, the share where such an event's source
  (target) country is among the gold codes, an empty gold list matched by no actor;
  actors marked SRC/TAR in the markup count as both; PLOVER's UNO (UN) and EUR (EU) count as
  IGO on both sides, as the gold-standard records (coded before PLOVER split them off) write IGO;
- triple precision: share of distinct coded (type, source, target) triples that are
  gold triples of their sentence; recall: share of sentences with a matching triple
  (sentences with actor gold only: the codebook examples have none);
- CAMEO root accuracy: share of sentences with a gold CAMEO code for which some coded
  event has the gold root (2 digits); null when the gold has no CAMEO codes;
- macro-F1 over PLOVER types of the sentence-level decision "a coded event has type T".
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from ..events.lexicon import Lexicon
from ..model import Article

BOTH = re.compile(r"\(SRC/TAR:\s*([^)]*)\)")


@dataclass
class GoldSentence:
    text: str
    date: Optional[str]
    types: set[str] = field(default_factory=set)
    triples: set[tuple] = field(default_factory=set)
    sources: dict[str, set[Optional[str]]] = field(default_factory=dict)  # by type
    targets: dict[str, set[Optional[str]]] = field(default_factory=dict)
    cameo_roots: set[str] = field(default_factory=set)


def read_gold(path: str) -> list[GoldSentence]:
    """Gold sentences from a JSON Lines file of either format, in file order."""
    cameo = Lexicon.load().cameo
    by_text: dict[str, GoldSentence] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"].strip()
        gold = by_text.setdefault(text, GoldSentence(text, record.get("date")))
        add_record(gold, record, cameo)
    return [g for g in by_text.values() if g.types]


def add_record(gold: GoldSentence, record: dict, cameo: dict) -> None:
    pairs: set[tuple[Optional[str], Optional[str]]] = set()
    if "event_plover" in record:
        etype = record["event_plover"]
        src = record.get("source") or []
        tgt = record.get("target") or []
        both = {m.strip() for m in BOTH.findall(record.get("markup") or "")}
        shared = [as_igo(a["code"]) for a in src + tgt if a["text"].strip() in both]
        sources = unique([as_igo(a["code"]) for a in src] + shared)
        targets = unique([as_igo(a["code"]) for a in tgt] + shared)
        # Actors marked SRC/TAR are both source and target, but not paired with themselves;
        # a domestic event keeps its two actors of one country (a government and its rebels).
        direct = {(as_igo(a["code"]), as_igo(b["code"])) for a in src for b in tgt}
        pairs = {(s, t) for s in sources or [None] for t in targets or [None]
                 if s is None or s != t or (s, t) in direct}
    else:
        entry = cameo.get(record["code"])
        etype = entry.plover_type if entry else ""
        sources, targets = [], []
        gold.cameo_roots.add(record["root_code"])
    if not etype:
        return
    gold.types.add(etype)
    gold.sources.setdefault(etype, set()).update(set(sources) or {None})
    gold.targets.setdefault(etype, set()).update(set(targets) or {None})
    gold.triples.update((etype, s, t) for s, t in pairs)  # the codebook examples name no actors


def unique(items: list) -> list:
    return list(dict.fromkeys(items))


def as_igo(code: Optional[str]) -> Optional[str]:
    return "IGO" if code in ("UNO", "EUR") else code


def country(actor: Optional[dict]) -> Optional[str]:
    return as_igo(actor.get("country")) if actor else None


def score(golds: list[GoldSentence], coded: list[dict], threshold: float = 0.0) -> dict:
    """The figures of the module docstring for coded outputs (``Article.to_dict()``), one per gold sentence."""
    n = len(golds)
    type_hits = src_hits = tgt_hits = recall_hits = 0
    actor_n = cameo_n = cameo_hits = triple_n = 0
    predicted, correct = 0, 0
    per_type = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    for gold, doc in zip(golds, coded, strict=True):
        events = [e for e in doc["events"] if e["confidence"] >= threshold]
        types = {e["type"] for e in events}
        for t in types | gold.types:
            per_type[t][0 if (t in types and t in gold.types) else 1 if t in types else 2] += 1
        matched = [e for e in events if e["type"] in gold.types]
        type_hits += bool(matched)
        if matched and gold.triples:
            actor_n += 1
            src_hits += any(country(e["source"]) in gold.sources[e["type"]] for e in matched)
            tgt_hits += any(country(e["target"]) in gold.targets[e["type"]] for e in matched)
        if gold.triples:
            triple_n += 1
            triples = {(e["type"], country(e["source"]), country(e["target"])) for e in events}
            predicted += len(triples)
            correct += len(triples & gold.triples)
            recall_hits += bool(triples & gold.triples)
        if gold.cameo_roots:
            cameo_n += 1
            cameo_hits += any(e["cameo"][:2] in gold.cameo_roots for e in events)
    precision = correct / predicted if predicted else 0.0
    recall = recall_hits / triple_n if triple_n else 0.0
    f1s = [2 * tp / (2 * tp + fp + fn) if tp else 0.0 for tp, fp, fn in
           (per_type[t] for t in sorted({t for g in golds for t in g.types}))]
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    has_actors = triple_n > 0  # the codebook examples have no actor gold: those figures are null
    return {
        "type_accuracy": ratio(type_hits, n),
        "type_macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "source_accuracy": ratio(src_hits, actor_n) if has_actors else None,
        "target_accuracy": ratio(tgt_hits, actor_n) if has_actors else None,
        "triple_precision": round(precision, 4) if has_actors else None,
        "triple_recall": round(recall, 4) if has_actors else None,
        "triple_f1": f1 if has_actors else None,
        "cameo_root_accuracy": ratio(cameo_hits, cameo_n) if cameo_n else None,
        "n": n,
    }


def ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def evaluate_events(path: str, code: Callable[[str, Optional[str]], Article]) -> tuple[dict, list[dict]]:
    """Code every gold sentence of ``path`` and score it; also return the precision-recall table."""
    golds = read_gold(path)
    coded = [code(g.text, g.date).to_dict() for g in golds]
    table = [dict(threshold=t, **score(golds, coded, t)) for t in (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)]
    return score(golds, coded), table


def fmt(value: Optional[float], width: int) -> str:
    return f"{'n/a':>{width}}" if value is None else f"{value:{width}.3f}"


def format_report(result: dict, table: Iterable[dict]) -> str:
    lines = [f"sentences with a gold event: {result['n']}"]
    for key in ("type_accuracy", "type_macro_f1", "source_accuracy", "target_accuracy", "triple_precision",
                "triple_recall", "triple_f1", "cameo_root_accuracy"):
        value = result[key]
        lines.append(f"{key:<22} {'n/a' if value is None else f'{value:.3f}'}")
    lines.append("")
    lines.append("confidence >=  triple P  triple R  triple F1  type acc")
    for row in table:
        cells = [fmt(row[k], 8) for k in ("triple_precision", "triple_recall")] + [fmt(row["triple_f1"], 9)]
        lines.append(f"{row['threshold']:>12.1f}  {'  '.join(cells)}  {row['type_accuracy']:8.3f}")
    return "\n".join(lines)
