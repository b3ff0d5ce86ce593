"""Scoring HTML article extraction against the article-extraction benchmark.

Counted as that benchmark counts it: per page, the text is cut into ``\\w+`` tokens and
overlapping 4-token shingles; true positives, false positives and false negatives are
counted over the shingle multisets (normalising them to sum to one per page leaves the
ratios unchanged); precision and recall are the means over pages of tp/(tp+fp) and
tp/(tp+fn), pages with no predicted (no true) shingles left out of the precision
(recall) mean; F1 is computed from the two means. The predicted body is the article text
communique reads from the page (its title not included).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Optional

SHINGLE = 4


def shingles(text: str) -> Counter:
    tokens = re.findall(r"\w+", text)
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_scores(predicted: str, true: str) -> tuple[Optional[float], Optional[float]]:
    """(precision, recall) of one page; None where the page has no predicted (true) shingles."""
    pred, gold = shingles(predicted), shingles(true)
    tp = sum((pred & gold).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    return (tp / (tp + fp) if pred else None), (tp / (tp + fn) if gold else None)


def score_extraction(pairs: list[tuple[str, str]]) -> dict:
    """Figures for (predicted, true) body texts, one pair per page."""
    scores = [page_scores(p, t) for p, t in pairs]
    precisions = [p for p, _ in scores if p is not None]
    recalls = [r for _, r in scores if r is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "n": len(pairs)}


def evaluate_extraction(directory: str, extract: Callable[[str], str]) -> dict:
    """``extract(path) -> body text`` ('' where nothing was read) for every page of
    ``directory/html`` with a ground truth in ``directory/ground-truth.json``."""
    root = Path(directory)
    truth_path = root / "ground-truth.json"
    if not truth_path.exists():
        raise FileNotFoundError(f"{directory}: no ground-truth.json (expected the extraction benchmark's folder)")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pairs = []
    for page in sorted((root / "html").glob("*.html.gz")):
        key = page.name.removesuffix(".html.gz")
        if key in truth:
            pairs.append((extract(str(page)), truth[key].get("articleBody") or ""))
    return score_extraction(pairs)
