#!/usr/bin/env python3
"""Train the events stage's model (communique/data/event_model.npz) and its verb table (cameo_verbs.tsv).

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python tools/train_events.py --shared ../shared            # build the data, train, report
    .venv/bin/python tools/train_events.py --shared ../shared --test     # also report the test split

1. ``cameo_verbs.tsv``: for each verb of the CAMEO 2.0 verb dictionary (PETRARCH-2's
   ``CAMEO.2.0.txt``), the PLOVER types its patterns code to, with their shares, and the
   object words of patterns that select a type.
2. Candidates: the texts are coded by the project's pipeline with a recording events stage,
   which keeps every candidate the parse proposes (:meth:`EventCoder.candidates`) with its
   features and its arguments' features. They are labelled from the gold:

   - the annotated real-news set (``annotations/``, coded within the whole article): a candidate
     whose trigger overlaps a gold event's trigger takes its type (``NONE`` when that event is
     negated or hypothetical), every other candidate of an annotated sentence is ``NONE``;
     the head words of the gold source and target phrases label the candidate's arguments;
   - PLV train pairs, the PLOVER GSR dev half and the CAMEO codebook examples (one sentence
     each): the lowest candidate whose clause holds both the marked source and target (the
     highest of the sentence where none is marked) takes the gold type (PLV's YIELD: half
     CONCEDE, half RETREAT); the others are NONE (these sets mark one event a sentence; see pair_rows).

3. Splits, by the hash of the article or record id (70/15/15, ``split_of``). The role model
   (logistic regression, scikit-learn) is fitted on train, its regularisation and threshold
   chosen on dev; the candidates are recorded again with it choosing the parties, and the type
   model is fitted on train for each regularisation strength, the best on dev kept and its
   probabilities temperature-scaled on dev. The annotated dev split is then coded end to end:
   the threshold on an event's confidence is the one with the best triple F1 among those that
   code at most 0.2 events per sentence holding none, and an isotonic map calibrates the
   confidence of the events it keeps (the threshold rising to the lowest confidence it maps
   above zero). Test figures are printed only with ``--test``.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Optional

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from communique.evaluate.annotated import (  # noqa: E402
    code_labelled, codable, corpus_texts, evaluate_annotated, load_labels, score_sentences, split_of)
from communique.events.coder import EventCoder  # noqa: E402
from communique.events.learned import (  # noqa: E402
    BUCKETS, LABELS, MODEL_FILE, NONE, ROLES, VERBS_FILE, EventModel, argument_tokens,
    role_features, verb_senses)  # noqa: E402
from communique.events.lexicon import Lexicon  # noqa: E402
from communique.model import Article  # noqa: E402
from communique.resources import dense_vector, hashed  # noqa: E402
from communique.pipeline import Pipeline  # noqa: E402
from communique.settings import Settings  # noqa: E402

DATA = REPO / "communique" / "data"
VERSION = "events-2"
SEED = 14
LEARNED = Settings.of(events="learned")
FLOOR = 0.05  # the lowest threshold tried (and the one the dev split is coded with to choose it)
PATTERN = re.compile(r"^-\s*(.*?)\s*\[(\d+)[:\]]")
BLOCK = re.compile(r"^---\s+(\S+)\s+\[(\d*)")
VERB = re.compile(r"^([A-Z_]+)\s*(?:\{[^}]*\})?\s*(?:\[(\d+)\])?")
OTHER_WEIGHT = 1.0  # the weight of a public record's other candidates as NONE (chosen on dev: see pair_rows)
OWN_CODE_WEIGHT = 3  # a verb's own code (or its block's) counts as this many patterns


# -- 1. the verb table ---------------------------------------------------------------------
def build_verb_table(shared: Path) -> None:
    """lemma, object word (or empty), PLOVER type, share of the verb block's patterns."""
    cameo = Lexicon.load().cameo
    blocks: dict[str, dict] = {}
    block = None
    text = (shared / "data/reference/phoenix-dictionaries/CAMEO.2.0.txt").read_text(encoding="utf-8", errors="replace")
    for line in text.splitlines():
        line = line.split("#")[0].rstrip()
        if not line.strip():
            continue
        head = BLOCK.match(line)
        if head:
            block = blocks.setdefault(head.group(1), {"verbs": {}, "types": Counter(), "objects": set(),
                                                      "code": head.group(2)})
            continue
        if block is None or line.startswith(("&", "+")):
            continue
        pattern = PATTERN.match(line)
        if pattern:
            code = pattern.group(2)
            entry = cameo.get(code) or cameo.get(code[:3]) or cameo.get(code[:2])
            if entry is None or not entry.plover_type:
                continue
            block["types"][entry.plover_type] += 1
            words = pattern.group(1).split()
            after = words[words.index("*") + 1:] if "*" in words else []
            if after and after[0].isalpha():
                block["objects"].add((after[0].lower(), entry.plover_type))
            continue
        verb = VERB.match(line.strip())
        if verb:
            block["verbs"][verb.group(1).lower().replace("_", " ")] = verb.group(2) or block["code"]
    types: dict[str, Counter] = defaultdict(Counter)  # a verb may be in several blocks
    objects: dict[str, set] = defaultdict(set)
    for block in blocks.values():
        for verb, code in block["verbs"].items():
            if " " in verb:
                continue
            types[verb] += block["types"]
            objects[verb] |= block["objects"]
            entry = cameo.get(code or "") or cameo.get((code or "")[:3])
            if entry is not None and entry.plover_type:
                types[verb][entry.plover_type] += OWN_CODE_WEIGHT
    rows = set()
    for verb, counts in types.items():
        total = sum(counts.values())
        rows |= {(verb, "", etype, f"{n / total:.2f}") for etype, n in counts.items()}
        rows |= {(verb, word, etype, "") for word, etype in objects[verb]}
    lines = ["# Generated by tools/train_events.py from PETRARCH-2's CAMEO 2.0 verb dictionary (MIT; see NOTICE):",
             "# for each verb, the PLOVER types its patterns code to (share of the block's patterns), and",
             "# object words of patterns that select a type. Do not edit by hand.",
             "lemma\tobject\ttype\tshare"] + ["\t".join(r) for r in sorted(rows)]
    (DATA / VERBS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{VERBS_FILE}: {len(rows)} rows, {len({r[0] for r in rows})} verbs", file=sys.stderr)


# -- 2. candidates -------------------------------------------------------------------------
class Recorder(EventCoder):
    """An events stage that records every candidate with its features and codes nothing."""

    skipped_verbs = ("amod", "compound")  # gerunds after a preposition too: see EventCoder.skipped_verbs

    def __init__(self, coder: EventCoder, model: EventModel):
        super().__init__(coder.gazetteer, coder.dictionary, coder.lexicon, model)
        self.seen: list[dict] = []

    def judge(self, found, sent, ctx):
        for cand in found:
            if self.model.roles is not None:
                self.assign_roles(cand, sent, ctx)
            args = []
            speaker = ctx.speaker(cand.trigger)
            for tok, path in argument_tokens(cand.trigger, sent):
                actor = ctx.actor_at.get(tok.i)
                args.append({"span": (tok.idx, tok.idx + len(tok.text)),
                             "head": (tok.head.idx, tok.head.idx + len(tok.head.text)),
                             "feats": role_features(cand.trigger, tok, path, actor,
                                                    speaker is not None and actor is speaker)})
            self.seen.append({"article": ctx.article.id, "start": cand.trigger.idx, "args": args,
                              "end": cand.trigger.idx + len(cand.trigger.text),
                              "sentence": (sent.start_char, sent.end_char),
                              "extent": (cand.trigger.left_edge.idx, cand.trigger.right_edge.idx
                                         + len(cand.trigger.right_edge.text)),
                              "feats": self.features(cand, sent, ctx),
                              "dense": [round(float(x), 4) for x in dense_vector(cand.trigger)]})
        return []


def record_candidates(articles: list[Article], roles: Optional[tuple[np.ndarray, float]]) -> dict[str, list[dict]]:
    """Every candidate of every article, by article id, its parties chosen by the role model ``roles``
    (weights, threshold) where given, else by the rules."""
    pipeline = Pipeline(Settings())
    index = next(i for i, s in enumerate(pipeline.stages) if s.name == "events")
    base = pipeline.stages[index]
    # open candidates are proposed only where there is a model to judge them: a placeholder here
    placeholder = EventModel(np.zeros((1, len(LABELS)), dtype=np.float32), roles=roles[0] if roles else None,
                             role_threshold=roles[1] if roles else 0.5)
    recorder = Recorder(base, placeholder)
    pipeline.stages[index] = recorder
    out: dict[str, list[dict]] = defaultdict(list)
    started = time.time()
    for n, _ in enumerate(pipeline.code_articles(articles), 1):
        if n % 200 == 0:
            print(f"  {n}/{len(articles)} texts, {time.time() - started:.0f} s", file=sys.stderr)
    for cand in recorder.seen:
        out[cand["article"]].append(cand)
    return out


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def annotated_rows(shared: Path, roles=None) -> tuple[list[dict], dict]:
    labels = load_labels()
    texts = corpus_texts(str(shared))
    by_article = defaultdict(list)
    for label in labels.values():
        by_article[(label["corpus"], label["article"])].append(label)
    articles = [Article(id=f"{c}:{a}", text=texts[c][a]["text"], date=texts[c][a].get("date"),
                        title=texts[c][a].get("title")) for c, a in by_article]
    cands = record_candidates(articles, roles)
    rows, missed = [], Counter()
    for (corpus, aid), sentence_labels in by_article.items():
        found = cands.get(f"{corpus}:{aid}", [])
        for label in sentence_labels:
            span = (label["start"], label["end"])
            mine = [c for c in found if span[0] <= c["start"] < span[1]]
            for event in label["events"]:
                if codable(event) and "trigger" in event and \
                        not any(overlaps((c["start"], c["end"]), tuple(event["trigger"])) for c in mine):
                    missed[event["type"]] += 1
            for c in mine:
                gold = [e for e in label["events"] if "trigger" in e and overlaps((c["start"], c["end"]), tuple(e["trigger"]))]
                etype = gold[0]["type"] if gold and codable(gold[0]) else NONE
                rows.append({"feats": c["feats"], "dense": c["dense"], "types": [etype], "split": split_of(aid),
                             "set": "annotated", "group": label["sid"], "roles": role_rows(c, gold[0]) if gold else []})
    return rows, missed


def pair_rows(records: list[dict], set_name: str, roles=None) -> list[dict]:
    """One row per record: the lowest candidate whose clause holds both the marked source and target
    (else one of them; else, with none marked, the highest candidate of the sentence), with the record's
    type; and a ``NONE`` row (set ``<name>-other``, weighted ``OTHER_WEIGHT`` in training) for each other
    candidate of the sentence. Without those, the sentence's words alone told the type, and every verb of
    a one-event sentence ("said", "plan") was coded with it: on dev, weight 1 against 0 raised the PLOVER
    GSR split's triple precision from 0.33 to 0.47 (triple F1 0.44 -> 0.54) and left the annotated set's
    triple F1 at 0.16 and PLV pairs at 0.35-0.36 (the best mean of the three, of 0, 0.3 and 1; ``--other-weight``
    trains with another)."""
    articles = [Article(id=r["id"], text=r["text"], date=r.get("date")) for r in records]
    print(f"{len(records)} records", file=sys.stderr)
    cands = record_candidates(articles, roles)
    rows = []
    for r in records:
        found = cands.get(r["id"], [])
        if not found:
            continue
        best = min(found, key=lambda c: fit(c, r["spans"]))
        marked = {"source": {"span": r["spans"][0]} if r["spans"] else None,
                  "target": {"span": r["spans"][1]} if len(r["spans"]) > 1 else None}
        rows.append({"feats": best["feats"], "dense": best["dense"], "types": r["types"], "split": r["split"],
                     "set": set_name,
                     "group": r["id"], "roles": role_rows(best, marked) if len(r["spans"]) == 2 else []})
        rows += [{"feats": c["feats"], "dense": c["dense"], "types": [NONE], "split": r["split"], "set": f"{set_name}-other",
                  "group": r["id"], "roles": []} for c in found if c is not best]
    return rows


def fit(cand: dict, spans: list) -> tuple:
    """How well a candidate's clause holds the marked spans (lower is better): how many it misses (or
    holds as its own trigger), then its size; with none marked, the largest clause."""
    outside = sum(not overlaps(cand["extent"], s) or overlaps((cand["start"], cand["end"]), s) for s in spans)
    size = cand["extent"][1] - cand["extent"][0]
    return (outside, size) if spans else (-size,)


def role_rows(cand: dict, gold: dict) -> list[tuple[list[str], str]]:
    """The candidate's arguments labelled from a gold event: the head of the marked source (target) phrase is
    "source" ("target"), other words of those phrases are left out, every other argument is "none"."""
    out = []
    spans = {role: tuple(gold[role]["span"]) for role in ("source", "target")
             if gold.get(role) and gold[role].get("span")}
    for arg in cand["args"]:
        role = "none"
        for name, span in spans.items():
            if overlaps(arg["span"], span):
                role = name if not overlaps(arg["head"], span) else "inside"
        if role != "inside":
            out.append((arg["feats"], role))
    return out


def public_records(shared: Path) -> dict[str, list[dict]]:
    """PLV train pairs, PLOVER GSR dev records and CAMEO examples as (id, text, type(s), marked spans, split)."""
    gold = shared / "data" / "gold"
    cameo = Lexicon.load().cameo
    out: dict[str, list[dict]] = {"plv": [], "gsr": [], "cameo": []}
    for r in map(json.loads, (gold / "plv-train.jsonl").read_text(encoding="utf-8").splitlines()):
        spans = [tuple(x["spans"][0]) for x in (r["source"], r["target"]) if x["spans"]]
        out["plv"].append({"id": r["id"], "text": r["text"], "types": r["plover"], "spans": spans,
                           "split": split_of(r["sentence_id"], "plv")})
    for r in map(json.loads, (gold / "plover-gsr-dev.jsonl").read_text(encoding="utf-8").splitlines()):
        if not r.get("event_plover"):
            continue
        spans = []
        for side in ("source", "target"):
            for actor in (r.get(side) or [])[:1]:
                k = r["text"].find(actor["text"].strip()) if actor.get("text", "").strip() else -1
                if k >= 0:
                    spans.append((k, k + len(actor["text"].strip())))
        out["gsr"].append({"id": r["id"], "text": r["text"], "types": [r["event_plover"]], "spans": spans,
                           "split": split_of(r["id"], "plover-gsr"), "date": r.get("date")})
    for r in map(json.loads, (gold / "cameo-examples.jsonl").read_text(encoding="utf-8").splitlines()):
        entry = cameo.get(r["code"])
        if entry and entry.plover_type:
            out["cameo"].append({"id": r["id"], "text": r["text"], "types": [entry.plover_type], "spans": [],
                                 "split": split_of(r["id"], "cameo")})
    return out


# -- 3. training ---------------------------------------------------------------------------
def matrix(rows: list[dict]):
    """The hashed features of the rows (a sparse matrix of BUCKETS columns), then their token vectors, if any."""
    from scipy.sparse import csr_matrix, hstack
    indptr, indices = [0], []
    for row in rows:
        cols = np.unique(hashed(row["feats"], BUCKETS))
        indices.append(cols)
        indptr.append(indptr[-1] + len(cols))
    indices = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    sparse = csr_matrix((np.ones(len(indices), dtype=np.float32), indices, np.array(indptr)), shape=(len(rows), BUCKETS))
    if rows and "dense" in rows[0]:
        return hstack([sparse, csr_matrix(np.array([r["dense"] for r in rows], dtype=np.float32))]).tocsr()
    return sparse


def expand(rows: list[dict]) -> tuple[list[dict], list[str], np.ndarray]:
    """Rows with one label each: a row with k possible types (PLV's YIELD) becomes k rows of weight 1/k."""
    out, labels, weights = [], [], []
    for row in rows:
        types = row["types"]
        for t in types:
            out.append(row)
            labels.append(t)
            weights.append(row.get("weight", 1.0) / len(types))
    return out, labels, np.array(weights)


def export(model) -> np.ndarray:
    """The weights in LABELS order (BUCKETS + DENSE rows x labels), the intercept folded into the BIAS bucket."""
    weights = np.zeros((model.coef_.shape[1], len(LABELS)), dtype=np.float32)
    bias = hashed(["BIAS"], BUCKETS)[0]
    for k, label in enumerate(model.classes_):
        col = LABELS.index(label)
        weights[:, col] = model.coef_[k]
        weights[bias, col] += model.intercept_[k]
    for col, label in enumerate(LABELS):
        if label not in model.classes_:
            weights[bias, col] = -30.0
    return weights


def probabilities(weights: np.ndarray, X, temperature: float = 1.0) -> np.ndarray:
    z = np.asarray(X @ weights) / temperature
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def decide(probs: np.ndarray, threshold: float) -> list[str]:
    k = probs[:, 1:].argmax(axis=1) + 1
    return [LABELS[j] if probs[i, j] >= threshold else NONE for i, j in enumerate(k)]


def figures(rows: list[dict], predicted: list[str]) -> dict:
    """On annotated rows: typed-event precision, recall, F1 and event/no-event F1; on pair rows: type accuracy."""
    out = {}
    ann = [(r["types"][0], p) for r, p in zip(rows, predicted, strict=True) if r["set"] == "annotated"]
    if ann:
        tp = sum(g == p != NONE for g, p in ann)
        pred = sum(p != NONE for _, p in ann)
        gold = sum(g != NONE for g, _ in ann)
        detected = sum(g != NONE and p != NONE for g, p in ann)
        prec, rec = tp / max(pred, 1), tp / max(gold, 1)
        dprec, drec = detected / max(pred, 1), detected / max(gold, 1)
        out["annotated"] = {"candidates": len(ann), "gold events": gold, "typed P": round(prec, 3),
                            "typed R": round(rec, 3), "typed F1": round(2 * prec * rec / max(prec + rec, 1e-9), 3),
                            "event F1": round(2 * dprec * drec / max(dprec + drec, 1e-9), 3),
                            "type acc (detected)": round(tp / max(detected, 1), 3)}
    for name in ("plv", "gsr", "cameo"):
        pairs = [(r["types"], p) for r, p in zip(rows, predicted, strict=True) if r["set"] == name]
        if pairs:
            out[name] = {"n": len(pairs), "type acc": round(sum(p in g for g, p in pairs) / len(pairs), 3)}
    return out


def argmax_types(probs: np.ndarray) -> list[str]:
    return [LABELS[j] for j in probs[:, 1:].argmax(axis=1) + 1]


def train_types(rows: list[dict], report_test: bool, other_weight: float) -> tuple[np.ndarray, float, dict]:
    """The type model: weights (BUCKETS + DENSE rows) and temperature, chosen on dev; and its figures on the
    candidates (at probability 0.5, and the type alone of the public sets' marked pairs)."""
    from sklearn.linear_model import LogisticRegression

    by_split = {s: [r for r in rows if r["split"] == s and not r["set"].endswith("-other")] for s in ("train", "dev", "test")}
    others = [dict(r, weight=other_weight) for r in rows if r["split"] == "train" and r["set"].endswith("-other")]
    train_rows, labels, weights = expand(by_split["train"] + (others if other_weight > 0 else []))
    X = matrix(train_rows)
    dev = by_split["dev"]
    Xdev = matrix(dev)
    best = None
    for C in (0.3, 1.0, 3.0):
        model = LogisticRegression(C=C, max_iter=3000, random_state=SEED)
        model.fit(X, labels, sample_weight=weights)
        w = export(model)
        probs = probabilities(w, Xdev)
        fig = figures(dev, decide(probs, 0.5))
        typed = figures(dev, argmax_types(probs))
        score = fig.get("annotated", {}).get("typed F1", 0) + np.mean([typed[k]["type acc"] for k in typed
                                                                        if k != "annotated"] or [0])
        print(f"C={C}: dev {json.dumps(fig)}; types of pairs "
              f"{json.dumps({k: v for k, v in typed.items() if k != 'annotated'})}", file=sys.stderr)
        if best is None or score > best[0]:
            best = (score, C, w)
    _, C, w = best
    temperature = fit_temperature(w, Xdev, [r["types"] for r in dev])
    probs = probabilities(w, Xdev, temperature)
    result = {"C": C, "temperature": round(temperature, 3), "dev candidates": figures(dev, decide(probs, 0.5)),
              "dev, type of pairs": figures(dev, argmax_types(probs))}
    if report_test:
        test = by_split["test"]
        tprobs = probabilities(w, matrix(test), temperature)
        result["test candidates"] = figures(test, decide(tprobs, 0.5))
        result["test, type of pairs"] = figures(test, argmax_types(tprobs))
    return w, temperature, result


def save(w: np.ndarray, temperature: float, threshold: float, roles: np.ndarray, role_threshold: float,
         calibration: tuple[np.ndarray, np.ndarray]) -> None:
    np.savez_compressed(DATA / MODEL_FILE, weights=w[:BUCKETS].astype(np.float16), dense=w[BUCKETS:],
                        temperature=temperature, threshold=threshold, version=VERSION,
                        roles=roles.astype(np.float16), role_threshold=role_threshold,
                        calibration_raw=calibration[0], calibration_value=calibration[1])


def choose_threshold(shared: Path) -> tuple[float, tuple[np.ndarray, np.ndarray], dict]:
    """The threshold on an event's confidence and its calibration, from the annotated dev split coded within
    whole articles by the model saved with a low threshold and no calibration: the threshold with the best
    triple F1 among those coding at most 0.2 events per sentence that holds none; then an isotonic map from
    the confidence of the events it keeps to the share of them whose type is a gold type of their sentence."""
    from sklearn.isotonic import IsotonicRegression

    EventModel.load.cache_clear()
    labels, coded, _ = code_labelled(REPO / "annotations", shared, Pipeline(LEARNED), "dev")

    def kept(t: float) -> list[list[dict]]:
        return [[e for e in events if e["confidence"] >= t] for events in coded]
    options = [(round(float(t), 3), score_sentences(labels, kept(t))) for t in np.arange(FLOOR, 0.9, 0.025)]
    allowed = [o for o in options if o[1]["events_per_empty_sentence"] <= 0.2] or options
    threshold, fig = max(allowed, key=lambda o: (o[1]["triple_f1"], o[0]))
    raw, right = [], []
    for label, events in zip(labels, kept(threshold), strict=True):
        gold = {e["type"] for e in label["events"] if codable(e)}
        raw += [e["confidence"] for e in events]
        right += [float(e["type"] in gold) for e in events]
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, right)
    # no event is coded with a confidence that none of its like on dev had right: the threshold rises to the
    # lowest confidence the calibration maps above zero
    threshold = max(threshold, float(iso.X_thresholds_[np.argmax(iso.y_thresholds_ > 0)]))
    print(f"threshold {threshold}: dev {json.dumps({k: v for k, v in fig.items() if k != 'per_type'})}; "
          f"calibration from {len(raw)} events", file=sys.stderr)
    table = {str(t): {k: f[k] for k in ("type_accuracy", "event_f1", "triple_f1", "events_per_empty_sentence")}
             for t, f in options[::4]}
    return threshold, (np.asarray(iso.X_thresholds_, dtype=np.float32),
                       np.asarray(iso.y_thresholds_, dtype=np.float32)), table


def collect(shared: Path, roles, cache: Optional[Path]) -> list[dict]:
    """The labelled candidates of every data set (read from ``cache`` when it exists, else written there)."""
    if cache and cache.exists():
        return json.loads(cache.read_text())
    rows = []
    for name, records in public_records(shared).items():
        rows += pair_rows(records, name, roles)
    annotated, missed = annotated_rows(shared, roles)
    print(f"annotated: {len(annotated)} candidates; gold events with no candidate: "
          f"{sum(missed.values())} {dict(missed.most_common())}", file=sys.stderr)
    rows += annotated
    if cache:
        cache.write_text(json.dumps(rows))
    return rows


def train_roles(rows: list[dict]) -> tuple[np.ndarray, float, dict]:
    """The role model: logistic regression over (trigger, argument) features, C and threshold chosen on dev
    by the F1 of the sources and targets it finds."""
    from sklearn.linear_model import LogisticRegression

    def flat(split):
        pairs = [(f, role) for r in rows if r["split"] == split for f, role in r.get("roles", [])]
        return [{"feats": f} for f, _ in pairs], [role for _, role in pairs]

    def by_candidate(split):
        return [r["roles"] for r in rows if r["split"] == split and r.get("roles")]

    train_x, train_y = flat("train")
    X = matrix(train_x)
    dev = by_candidate("dev")
    best = None
    for C in (0.1, 0.3, 1.0, 3.0):
        model = LogisticRegression(C=C, max_iter=3000, random_state=SEED).fit(X, train_y)
        w = np.zeros((BUCKETS, len(ROLES)), dtype=np.float32)
        bias = hashed(["BIAS"], BUCKETS)[0]
        for k, label in enumerate(model.classes_):
            w[:, ROLES.index(label)] = model.coef_[k] if len(model.classes_) > 2 else 0
            w[bias, ROLES.index(label)] += model.intercept_[k]
        for threshold in (0.2, 0.3, 0.4, 0.5, 0.6):
            fig = role_figures(w, dev, threshold)
            if best is None or fig["f1"] > best[0]["f1"]:
                best = (fig, w, threshold, C)
    fig, w, threshold, C = best
    print(f"roles: C={C} threshold={threshold} dev {fig}", file=sys.stderr)
    return w, threshold, {"C": C, "threshold": threshold, "dev": fig}


def role_figures(w: np.ndarray, candidates: list[list], threshold: float) -> dict:
    """Precision, recall and F1 of the source and target chosen per candidate as the coder chooses them."""
    found = right = gold = 0
    for args in candidates:
        probs = probabilities(w, matrix([{"feats": f} for f, _ in args]))
        labels = [role for _, role in args]
        gold += sum(role != "none" for role in labels)
        taken = None
        for k, role in ((1, "source"), (2, "target")):
            order = [i for i in np.argsort(-probs[:, k]) if i != taken]
            if order and probs[order[0], k] >= threshold:
                taken = order[0]
                found += 1
                right += labels[order[0]] == role
    p, r = right / max(found, 1), right / max(gold, 1)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / max(p + r, 1e-9), 3)}


def fit_temperature(weights: np.ndarray, X, gold: list[list[str]]) -> float:
    """The temperature that minimises the dev split's negative log-likelihood."""
    index = [[LABELS.index(t) for t in types] for types in gold]

    def nll(t: float) -> float:
        p = probabilities(weights, X, t)
        return -float(np.mean([np.log(sum(p[i, j] for j in js) + 1e-12) for i, js in enumerate(index)]))
    return float(min(np.arange(0.5, 3.01, 0.1), key=nll))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--test", action="store_true", help="also report the test split")
    parser.add_argument("--cache", type=Path, help="a folder to keep the labelled candidates in (and read them from)")
    parser.add_argument("--other-weight", type=float, default=OTHER_WEIGHT,
                        help=f"the weight of a public record's other candidates as NONE (default {OTHER_WEIGHT}, "
                             "chosen on dev of 0, 0.3 and 1; 0 leaves them out)")
    args = parser.parse_args()
    build_verb_table(args.shared)
    verb_senses.cache_clear()
    (DATA / MODEL_FILE).unlink(missing_ok=True)  # built from scratch: the recording passes use placeholders
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    rows = collect(args.shared, None, args.cache / "rules.json" if args.cache else None)
    print(f"rows by set and split: {dict(Counter((r['set'], r['split']) for r in rows))}", file=sys.stderr)
    roles, role_threshold, role_result = train_roles(rows)
    if args.test:
        role_result["test"] = role_figures(roles, [r["roles"] for r in rows if r["split"] == "test" and r.get("roles")],
                                           role_threshold)
    rows = collect(args.shared, (roles, role_threshold), args.cache / "roles.json" if args.cache else None)
    w, temperature, result = train_types(rows, args.test, args.other_weight)
    result["roles"] = role_result
    save(w, temperature, FLOOR, roles, role_threshold, (np.zeros(0), np.zeros(0)))
    threshold, calibration, result["dev by threshold"] = choose_threshold(args.shared)
    result["threshold"] = threshold
    save(w, temperature, threshold, roles, role_threshold, calibration)
    EventModel.load.cache_clear()
    pipeline = Pipeline(LEARNED)
    for split in ("dev", "test") if args.test else ("dev",):
        result[f"{split}, coded"] = evaluate_annotated(REPO / "annotations", args.shared, pipeline, split)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
