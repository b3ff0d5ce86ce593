"""Scoring quote attribution against PolNeAR (brat standoff) annotations.

Counted as the quotes issue specifies: for each article of ``DIR/text``, the first
``.ann`` file of ``DIR/attributions`` by name (``<article>_<annotator>.ann``); every E line
is one gold attribution, its content the union of its Content spans (T lines may have
discontinuous offsets ``a b;c d``). A coded quote matches a gold attribution when their
contents share at least half of the gold content's characters (one-to-one, greedy by
overlap); its speaker is right when ``speaker_span`` shares a character with the gold
Source (or both are absent). Content precision/recall/F1 by overlap; speaker F1 counts
matches with the right speaker.

Exact match, as the published PolNeAR figures count (CofeNet, COLING 2022: each element
right only when its span is): for each element (content, source, cue), a coded span
(``span``, ``speaker_span``, ``cue_span``) is right when its start and end equal those of the
same element of a gold attribution of the article (from its first to its last character),
both trimmed of spaces, quote marks and ``,.;:!?``; one-to-one, precision over the coded
spans of that element, recall over the gold attributions that have it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

TRIM = " \t\r\n\"'“”‘’«»,.;:!?"
ELEMENTS = {"Content": "content", "Source": "source", "Cue": "cue"}  # PolNeAR's roles -> our names
CODED = {"content": "span", "source": "speaker_span", "cue": "cue_span"}  # our names -> the quote's fields


@dataclass
class GoldAttribution:
    content: frozenset[int]
    source: frozenset[int]
    text: str
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)  # element -> (first, last + 1)


@dataclass
class GoldArticle:
    name: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)


def read_polnear(directory: str) -> list[GoldArticle]:
    """The articles of ``directory`` (``text/`` and ``attributions/``) with their gold attributions."""
    root = Path(directory)
    texts = sorted((root / "text").glob("*.txt"))
    if not texts:
        raise FileNotFoundError(f"{directory}: no text/*.txt files (expected PolNeAR's text/ and attributions/)")
    anns = sorted((root / "attributions").glob("*.ann"))
    articles = []
    for path in texts:
        text = path.read_text(encoding="utf-8")
        ann = next((a for a in anns if a.name.startswith(path.stem + "_")), None)
        articles.append(GoldArticle(path.stem, text, read_ann(ann, text) if ann else []))
    return articles


def read_ann(path: Path, text: str) -> list[GoldAttribution]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            ranges = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";") if piece.strip()]
            spans[parts[0]] = (label, [(a, b) for a, b in ranges])
        elif line.startswith("E") and len(parts) >= 2:
            events.append(parts[1].split())
    out = []
    for args in events:
        roles: dict[str, list[tuple[int, int]]] = {}
        for arg in args:
            role, _, ref = arg.partition(":")
            if ref in spans:
                roles.setdefault(role.rstrip("0123456789"), []).extend(spans[ref][1])
        content = roles.get("Content", [])
        if not content:
            continue
        chars = frozenset(i for a, b in content for i in range(a, b))
        extents = {ELEMENTS[role]: trim_span(text, (min(a for a, _ in found), max(b for _, b in found)))
                   for role, found in roles.items() if role in ELEMENTS and found}
        first, last = min(a for a, _ in content), max(b for _, b in content)
        out.append(GoldAttribution(chars, frozenset(i for a, b in roles.get("Source", []) for i in range(a, b)),
                                   text[first:last], extents))
    return out


def trim_span(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span without spaces, quote marks and ``,.;:!?`` at its ends."""
    start, end = span
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def match(golds: list[GoldAttribution], quotes: list[dict]) -> list[tuple[GoldAttribution, dict]]:
    """One-to-one pairs whose contents share at least half of the gold content, greedy by overlap."""
    pairs = []
    for g, gold in enumerate(golds):
        for q, quote in enumerate(quotes):
            start, end = quote["span"]
            overlap = sum(1 for i in range(start, end) if i in gold.content)
            if overlap * 2 >= len(gold.content) and overlap:
                pairs.append((overlap, g, q))
    used_g, used_q, out = set(), set(), []
    for _, g, q in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if g not in used_g and q not in used_q:
            used_g.add(g)
            used_q.add(q)
            out.append((golds[g], quotes[q]))
    return out


def speaker_right(gold: GoldAttribution, quote: dict) -> bool:
    span = quote.get("speaker_span")
    if not gold.source or not span:
        return not gold.source and not span
    return any(i in gold.source for i in range(span[0], span[1]))


def prf(hits: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    return round(p, 4), round(r, 4), round(2 * p * r / (p + r), 4) if p + r else 0.0


def score_quotes(articles: Iterable[GoldArticle], coded: Iterable[list[dict]]) -> dict:
    n_gold = n_pred = hits = speaker_hits = n = 0
    exact = {element: [0, 0, 0] for element in CODED}  # element -> [right, coded, gold]
    for article, quotes in zip(articles, coded, strict=True):
        n += 1
        n_gold += len(article.attributions)
        n_pred += len(quotes)
        pairs = match(article.attributions, quotes)
        hits += len(pairs)
        speaker_hits += sum(speaker_right(g, q) for g, q in pairs)
        for element, key in CODED.items():  # exact: one-to-one on trimmed offsets
            gold = [g.extents[element] for g in article.attributions if element in g.extents]
            spans = [trim_span(article.text, tuple(q[key])) for q in quotes if q.get(key)]
            counts = exact[element]
            counts[1] += len(spans)
            counts[2] += len(gold)
            for span in spans:
                if span in gold:
                    gold.remove(span)
                    counts[0] += 1
    p, r, f = prf(hits, n_pred, n_gold)
    sp, sr, sf = prf(speaker_hits, n_pred, n_gold)
    out = {"content_precision": p, "content_recall": r, "content_f1": f,
           "speaker_precision": sp, "speaker_recall": sr, "speaker_f1": sf,
           "gold": n_gold, "predicted": n_pred, "n": n}
    for element, (right, coded_n, gold_n) in exact.items():
        ep, er, ef = prf(right, coded_n, gold_n)
        out |= {f"{element}_precision_exact": ep, f"{element}_recall_exact": er, f"{element}_f1_exact": ef}
    return out


def evaluate_quotes(directory: str, code: Callable[[str, str], list[dict]]) -> dict:
    """Code every article's text (``code(name, text) -> quotes as dicts``) and score it."""
    articles = read_polnear(directory)
    return score_quotes(articles, (code(a.name, a.text) for a in articles))


def format_quotes_report(result: dict) -> str:
    lines = [f"articles: {result['n']}  gold attributions: {result['gold']}  coded quotes: {result['predicted']}",
             f"{'':18}{'precision':>10}{'recall':>8}{'F1':>8}"]
    for label, key in (("content (overlap)", "content"), ("speaker", "speaker"), ("content (exact)", "content_exact"),
                       ("source (exact)", "source_exact"), ("cue (exact)", "cue_exact")):
        suffix = "_exact" if key.endswith("exact") else ""
        base = key.removesuffix("_exact")
        lines.append(f"{label:18}{result[f'{base}_precision{suffix}']:>10.3f}{result[f'{base}_recall{suffix}']:>8.3f}"
                     f"{result[f'{base}_f1{suffix}']:>8.3f}")
    return "\n".join(lines)

