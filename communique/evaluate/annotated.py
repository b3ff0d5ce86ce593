"""The project's annotated real-news set (``annotations/``): its sample, its labels and its splits.

Labels hold an article id and character offsets into the ``text`` field of the article's
record in a corpus of ``../shared/data/corpora`` (the texts are not copied); the codebook is
docs/annotation.md and annotations/README.md says how the set was made.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from ..events.learned import TYPES
from ..model import Article, Failure
from .events import country, ratio

ROOT = Path(__file__).resolve().parents[2] / "annotations"
CORPORA = {"wikinews": "wikinews.jsonl.gz", "allsides": "allsides-world.jsonl.gz"}
EVENT_TYPES = frozenset(TYPES)
FLAGS = ("negated", "hypothetical", "historical")
NOT_CODABLE = ("negated", "hypothetical")  # events that did not (or not yet, or not surely) happen
NO_EVENT_KINDS = frozenset({"commentary", "generic", "caption", "hypothetical", "background", "no-actor", "other"})
SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "PTY", "ELI", "SPY", "REB", "UAF", "CRM", "CVL", "OPP",
                     "BUS", "MED", "JRN", "EDU", "REL", "LAB", "AGR", "NGO", "IGO", "REF", "SOC", "PRM", "HLH"})
SPLITS = (("train", 70), ("dev", 85), ("test", 100))  # cumulative percentages of the article hash


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two codings, ``(first, second)`` label pairs (1.0 where both give one and the same
    label throughout)."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def split_of(article_id: str, set_name: str = "annotations") -> str:
    """train, dev or test, by the hash of the article (or record) id: 70/15/15."""
    bucket = int(hashlib.sha1(f"{set_name}:{article_id}".encode()).hexdigest(), 16) % 100
    return next(name for name, upto in SPLITS if bucket < upto)


def read_corpus(shared: Path, corpus: str) -> dict[str, dict]:
    """The records of a corpus of ``shared/data/corpora`` by id."""
    with gzip.open(Path(shared) / "data" / "corpora" / CORPORA[corpus], "rt", encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f)}


def load_sample(root: Path = ROOT) -> list[dict]:
    with open(root / "sample.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_labels(second: bool = False, root: Path = ROOT) -> dict[str, dict]:
    """The labels by sentence id: the first coding of each sentence, or (``second``) the independent
    second coding of the double-coded ones."""
    out: dict[str, dict] = {}
    for path in sorted((root / "labels").glob("*.jsonl")):
        if path.stem.endswith("-second") != second:
            continue
        with open(path, encoding="utf-8") as f:
            for label in map(json.loads, filter(str.strip, f)):
                out[label["sid"]] = label
    return out


def codable(event: dict) -> bool:
    """An event the coder should code: neither negated nor hypothetical."""
    return not any(event.get(flag) for flag in NOT_CODABLE)


@lru_cache(maxsize=2)
def corpus_texts(shared: str) -> dict[str, dict[str, dict]]:
    return {c: read_corpus(Path(shared), c) for c in CORPORA}


# -- scoring the coder on the set ------------------------------------------------------------
def triple(event: dict) -> tuple:
    """(type, source country, target country), PLOVER's UNO and EUR counted as IGO as in the gold standard."""
    return event["type"], country(event.get("source")), country(event.get("target"))


def gold_triples(label: dict) -> set[tuple]:
    return {triple(e) for e in label["events"] if codable(e)}


def score_sentences(labels: list[dict], coded: list[list[dict]]) -> dict:
    """Figures of coded events (``Event.to_dict()``, one list per label's sentence) against the labels:

    - type accuracy: among sentences with a codable gold event, the share where a coded event has a gold type;
    - event F1: the sentence-level decision "holds a codable event";
    - triple precision, recall, F1: distinct (type, source country, target country) per sentence, micro-averaged;
    - events per empty sentence: coded events per sentence that holds no codable event;
    - per type: precision, recall and F1 of "the sentence holds an event of this type";
    - calibration: for coded events with confidence >= 0.8 (0.5), the share whose type is a gold type of their
      sentence and the share whose triple is a gold triple."""
    typed_n = type_hits = tp_s = fp_s = fn_s = 0
    t_pred = t_gold = t_hit = 0
    empty_n = empty_events = 0
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    confident = defaultdict(lambda: [0, 0, 0])  # threshold -> [events, type right, triple right]
    for label, events in zip(labels, coded, strict=True):
        gold_types = {e["type"] for e in label["events"] if codable(e)}
        gold = gold_triples(label)
        types = {e["type"] for e in events}
        triples = {triple(e) for e in events}
        if gold_types:
            typed_n += 1
            type_hits += bool(types & gold_types)
        else:
            empty_n += 1
            empty_events += len(events)
        tp_s += bool(gold_types) and bool(events)
        fp_s += not gold_types and bool(events)
        fn_s += bool(gold_types) and not events
        t_pred += len(triples)
        t_gold += len(gold)
        t_hit += len(triples & gold)
        for t in types | gold_types:
            per_type[t][0 if t in types and t in gold_types else 1 if t in types else 2] += 1
        for threshold in (0.5, 0.8):
            for e in events:
                if e["confidence"] >= threshold:
                    row = confident[threshold]
                    row[0] += 1
                    row[1] += e["type"] in gold_types
                    row[2] += triple(e) in gold
    precision, recall = t_hit / t_pred if t_pred else 0.0, t_hit / t_gold if t_gold else 0.0
    return {
        "sentences": len(labels), "with_events": typed_n,
        "type_accuracy": ratio(type_hits, typed_n),
        "event_f1": ratio(2 * tp_s, 2 * tp_s + fp_s + fn_s),
        "triple_precision": round(precision, 4), "triple_recall": round(recall, 4),
        "triple_f1": ratio(2 * t_hit, t_pred + t_gold),
        "events_per_empty_sentence": ratio(empty_events, empty_n),
        "per_type": {t: {"precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn), "f1": ratio(2 * tp, 2 * tp + fp + fn),
                         "gold": tp + fn} for t, (tp, fp, fn) in sorted(per_type.items())},
        "confidence": {f">={t}": {"events": n, "type_right": ratio(a, n), "triple_right": ratio(b, n)}
                       for t, (n, a, b) in sorted(confident.items())},
    }


def code_labelled(root: Path, shared: Path, pipeline, split: str = "dev",
                  alone: bool = False) -> tuple[list[dict], list[list[dict]], int]:
    """The labels of ``split`` (train, dev, test or all), the events coded in each one's sentence (``Event.to_dict()``),
    and the number of articles that failed: each article coded whole (with ``alone``, each sentence on its own)."""
    labels = [lab for lab in load_labels(root=root).values() if split == "all" or split_of(lab["article"]) == split]
    texts = corpus_texts(str(shared))
    if alone:
        coded = [[e.to_dict() for e in pipeline.code_text(
            texts[lab["corpus"]][lab["article"]]["text"][lab["start"]:lab["end"]],
            date=texts[lab["corpus"]][lab["article"]].get("date")).events] for lab in labels]
        return labels, coded, 0
    keys = sorted({(lab["corpus"], lab["article"]) for lab in labels})
    articles = [Article(id=f"{c}:{a}", text=texts[c][a]["text"], date=texts[c][a].get("date"),
                        title=texts[c][a].get("title")) for c, a in keys]
    events, failures = {}, 0
    for article in pipeline.code_articles(articles):
        if isinstance(article, Failure):  # counted; its sentences are scored as coding nothing
            failures += 1
        else:
            events[article.id] = article.events
    coded = [[e.to_dict() for e in events.get(f"{lab['corpus']}:{lab['article']}", [])
              if lab["start"] <= e.span[0] < lab["end"]] for lab in labels]
    return labels, coded, failures


def evaluate_annotated(root: Path, shared: Path, pipeline, split: str = "dev", alone: bool = False) -> dict:
    """Code the labelled sentences of ``split`` (see :func:`code_labelled`) and score them with
    :func:`score_sentences`."""
    labels, coded, failures = code_labelled(root, shared, pipeline, split, alone)
    return dict(split=split, context="sentence" if alone else "article", failures=failures,
                **score_sentences(labels, coded))
