#!/usr/bin/env python3
"""Train the quotes stage's model (communique/data/quote_model.npz) from PolNeAR.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python tools/train_quotes.py --shared ../shared             # parse, train, choose, report
    .venv/bin/python tools/train_quotes.py --shared ../shared --test      # also report the held-out part

Data: PolNeAR's training month (``gold/polnear/train``, 840 articles) and dev month
(``gold/polnear/dev``, 84); its test month is held out of this project's data. The training month
is split by the hash of the article name (``split_of(name, "polnear")``): its train and dev parts
(85%) fit the models, its test part (15%) is reported only with ``--test``. Every choice
(regularisation, thresholds) is made on the dev month.

1. The texts are parsed by the project's language stage (``--cache DIR`` keeps the parses).
2. Cue rows: every verb, noun, auxiliary and adposition (``CUE_POS``); a word is a cue when it
   stands for a gold Cue span (:func:`gold_cues`: the first of the span's words, its root first,
   one of whose candidates is the gold content, else its root). Content rows: for each such word,
   each of its :func:`content_candidates`; right when its trimmed characters are the gold content's.
3. Two logistic regressions (scikit-learn) over the hashed features (and, for cues, the parser's
   token vector); the regularisation of each chosen on the dev month (cue: average precision;
   content: the share of gold cues whose best candidate is the gold content).
4. The two thresholds are chosen on the dev month end to end: the actors and quotes stages run on
   the parses and ``eval quotes``'s scoring, by the mean of speaker F1, content overlap F1 and exact
   content F1.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from communique.evaluate.annotated import split_of  # noqa: E402
from communique.evaluate.quotes import format_quotes_report, read_polnear, score_quotes, trim_span  # noqa: E402
from communique.language import analyse_many, attach  # noqa: E402
from communique.lexicons.quotemarks import quote_spans  # noqa: E402
from communique.model import Article  # noqa: E402
from communique.quotes import Taken, find_quotes  # noqa: E402
from communique.quotes.learned import (  # noqa: E402
    BUCKETS, CUE_POS, MODEL_FILE, QuoteModel, content_candidates, content_features, cue_features)
from communique.resources import DENSE, dense_vector, hashed  # noqa: E402

VERSION = "quotes-1"
SEED = 15
C_GRID = (0.03, 0.1, 0.3, 1.0)
CUE_THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.5)
CONTENT_THRESHOLDS = (0.0, 0.05, 0.1, 0.2)


def parsed(shared: Path, month: str, cache: Path | None, nlp) -> list[tuple]:
    """(gold article, Doc) of a PolNeAR month, parsed by the language stage (kept in ``cache``)."""
    from spacy.tokens import DocBin

    golds = read_polnear(str(shared / "data" / "gold" / "polnear" / month))
    bin_path = cache / f"polnear-{month}.spacy" if cache else None
    if bin_path and bin_path.exists():
        tensors = np.load(bin_path.with_suffix(".npz"))
        docs = list(DocBin().from_disk(bin_path).get_docs(nlp.vocab))
        for k, doc in enumerate(docs):
            doc.tensor = tensors[str(k)].astype(np.float32)
    else:
        start, docs = time.time(), []
        for n, article in enumerate(analyse_many((Article(id=g.name, text=g.text) for g in golds), nlp)):
            docs.append(article.parse.doc)
            if n % 100 == 0:
                print(f"  parsed {month} {n}/{len(golds)} ({time.time() - start:.0f} s)", file=sys.stderr)
        if bin_path:
            cache.mkdir(parents=True, exist_ok=True)
            DocBin(docs=docs).to_disk(bin_path)
            np.savez_compressed(bin_path.with_suffix(".npz"), **{str(k): d.tensor.astype(np.float16)
                                                                 for k, d in enumerate(docs)})
    return list(zip(golds, docs, strict=True))


def quoted_tokens(doc) -> list[bool]:
    """Whether each token stands inside quote marks (as the quotes stage reads it)."""
    inside_marks = Taken(quote_spans(doc.text))
    return [inside_marks.overlaps(t.idx, t.idx + 1) for t in doc]


def gold_cues(gold, doc) -> dict[int, tuple[int, int]]:
    """The word of each gold cue that stands for it -> the trimmed characters of its content: the first word
    of the cue (its root first) one of whose candidates is the content, else its root."""
    out = {}
    for att in gold.attributions:
        if "cue" not in att.extents or "content" not in att.extents:
            continue
        span = doc.char_span(*att.extents["cue"], alignment_mode="expand")
        if span is None or not len(span):
            continue
        content = att.extents["content"]
        words = sorted((t for t in span if t.pos_ in CUE_POS), key=lambda t: t.i != span.root.i)
        anchor = next((t for t in words if any(characters(doc, first, last) == content
                                               for _, first, last in content_candidates(t))), span.root)
        out.setdefault(anchor.i, content)
    return out


def characters(doc, first: int, last: int) -> tuple[int, int]:
    """The trimmed characters of tokens first..last."""
    return trim_span(doc.text, (doc[first].idx, doc[last].idx + len(doc[last])))


def rows_of(pairs: list[tuple]) -> tuple[list, list, list]:
    """Cue rows (features, vector, label) and content rows (features, label, group)."""
    cues, contents, groups = [], [], []
    for gold, doc in pairs:
        quoted, golds = quoted_tokens(doc), gold_cues(gold, doc)
        for tok in doc:
            if tok.pos_ not in CUE_POS:
                continue
            cues.append((cue_features(tok, quoted[tok.i]), dense_vector(tok), tok.i in golds))
            if tok.i in golds:
                group = len(groups)
                groups.append(golds[tok.i])
                for kind, first, last in content_candidates(tok):
                    right = characters(doc, first, last) == golds[tok.i]
                    contents.append((content_features(tok, kind, first, last), right, group))
    return cues, contents, groups


def matrix(feats: list[list[str]], vectors: list[np.ndarray] | None = None):
    from scipy.sparse import csr_matrix, hstack

    indptr, indices = [0], []
    for f in feats:
        indices.extend(hashed(f, BUCKETS))
        indptr.append(len(indices))
    X = csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(feats), BUCKETS))
    X.sum_duplicates()
    if vectors is not None:
        X = hstack([X, csr_matrix(np.vstack(vectors))]).tocsr()
    return X


def fit(X, y, C: float) -> np.ndarray:
    """Weights of a logistic regression, the intercept folded into the bias feature's bucket ("b")."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=2000, random_state=SEED).fit(X, y)
    weights = model.coef_[0].astype(np.float32)
    weights[hashed(["b"], BUCKETS)[0]] += model.intercept_[0]
    return weights


def train_cue(train: list, dev: list) -> np.ndarray:
    from sklearn.metrics import average_precision_score

    X, y = matrix([r[0] for r in train], [r[1] for r in train]), np.array([r[2] for r in train])
    Xd, yd = matrix([r[0] for r in dev], [r[1] for r in dev]), np.array([r[2] for r in dev])
    best = None
    for C in C_GRID:
        weights = fit(X, y, C)
        ap = average_precision_score(yd, Xd @ weights)
        print(f"  cue model C={C}: dev average precision {ap:.3f}", file=sys.stderr)
        if best is None or ap > best[0]:
            best = (ap, C, weights)
    print(f"cue model: C={best[1]}, dev average precision {best[0]:.3f} ({int(y.sum())} cues of {len(y)} words)")
    return best[2]


def top1(weights: np.ndarray, rows: list, n_groups: int) -> float:
    """The share of gold cues whose best candidate is the gold content."""
    scores = matrix([r[0] for r in rows]) @ weights
    best: dict[int, tuple[float, bool]] = {}
    for (_, right, group), score in zip(rows, scores, strict=True):
        if group not in best or score > best[group][0]:
            best[group] = (score, right)
    return sum(right for _, right in best.values()) / max(n_groups, 1)


def train_content(train: list, dev: list, n_dev: int) -> np.ndarray:
    X, y = matrix([r[0] for r in train]), np.array([r[1] for r in train])
    best = None
    for C in C_GRID:
        weights = fit(X, y, C)
        acc = top1(weights, dev, n_dev)
        print(f"  content model C={C}: dev top-1 {acc:.3f}", file=sys.stderr)
        if best is None or acc > best[0]:
            best = (acc, C, weights)
    reachable = len({g for _, right, g in dev if right}) / max(n_dev, 1)
    print(f"content model: C={best[1]}, dev top-1 {best[0]:.3f} of gold cues (a candidate is right for {reachable:.3f})")
    return best[2]


def end_to_end(pairs: list[tuple], resolver, model: QuoteModel | None) -> dict:
    """``eval quotes``'s figures of the actors and quotes stages on parsed articles."""
    coded = []
    for gold, doc in pairs:
        article = resolver(attach(Article(id=gold.name, text=gold.text), doc))
        coded.append([q.to_dict() for q in find_quotes(article, model).quotes])
    return score_quotes([g for g, _ in pairs], coded)


def objective(result: dict) -> float:
    return (result["speaker_f1"] + result["content_f1"] + result["content_f1_exact"]) / 3


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--cache", type=Path, help="keep the parses here (and reuse them)")
    parser.add_argument("--test", action="store_true", help="also report the held-out part of the training month")
    args = parser.parse_args(argv)

    from communique.pipeline import Pipeline
    from communique.settings import Settings

    pipeline = Pipeline(Settings.of(quotes="rules"))
    nlp, resolver = pipeline.nlp, pipeline.resolver
    month = parsed(args.shared, "train", args.cache, nlp)
    dev = parsed(args.shared, "dev", args.cache, nlp)
    fit_part = [p for p in month if split_of(p[0].name, "polnear") != "test"]
    held_out = [p for p in month if split_of(p[0].name, "polnear") == "test"]
    print(f"training month: {len(fit_part)} articles to fit, {len(held_out)} held out; dev month: {len(dev)}")

    train_cues, train_contents, _ = rows_of(fit_part)
    dev_cues, dev_contents, dev_groups = rows_of(dev)
    cue = train_cue(train_cues, dev_cues)
    content = train_content(train_contents, dev_contents, len(dev_groups))

    rules = end_to_end(dev, resolver, None)
    print(f"dev month, rules: objective {objective(rules):.3f}\n{format_quotes_report(rules)}")
    best = None
    for cue_threshold in CUE_THRESHOLDS:
        for content_threshold in CONTENT_THRESHOLDS:
            model = QuoteModel(cue, content, cue_threshold, content_threshold, VERSION)
            result = end_to_end(dev, resolver, model)
            print(f"  thresholds cue {cue_threshold} content {content_threshold}: objective {objective(result):.3f}",
                  file=sys.stderr)
            if best is None or objective(result) > objective(best[0]):
                best = (result, model)
    result, model = best
    print(f"dev month, learned (cue threshold {model.cue_threshold}, content threshold {model.content_threshold}): "
          f"objective {objective(result):.3f}\n{format_quotes_report(result)}")
    if args.test:
        for name, chosen in (("rules", None), ("learned", model)):
            held = end_to_end(held_out, resolver, chosen)
            print(f"held-out part of the training month, {name}: objective {objective(held):.3f}\n"
                  f"{format_quotes_report(held)}")
    out = REPO / "communique" / "data" / MODEL_FILE
    np.savez_compressed(out, cue=cue.astype(np.float16), content=content.astype(np.float16),
                        cue_threshold=model.cue_threshold, content_threshold=model.content_threshold, version=VERSION)
    print(json.dumps({"wrote": str(out.relative_to(REPO)), "bytes": out.stat().st_size, "dense": DENSE}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
