"""Stances stage: who is for or against whom.

Reads ``article.events``, ``article.quotes``, ``article.actors`` and ``article.parse`` (the Doc and
the actors stage's ``actor_at``); writes ``article.stances``. A stance is of one of three kinds
(:data:`~communique.model.STANCE_KINDS`), each kind's stances found apart, so that the alignment
can weigh each kind by how often it is right (measured on the hand-labelled set of
docs/annotation-attitudes.md) and leave one out to see what it adds.

**reported**: what the sentences report of the holder's acts and words toward the target. Its
evidence, each a (holder, target, polarity, weight, sentence span):

* every event with a source and a target placed in countries and a non-zero Goldstein
  score: praise, agreement and meetings for, accusations, rejections, threats and force
  against; its weight is its confidence;
* a verb of support or opposition (``positive_words.txt``, ``negative_words.txt``) whose
  subject is a party placed in a country and whose object names an issue of ``issues.tsv``
  ("Iran backs the Palestinian cause", "Hungary opposed new sanctions"): a stance toward the
  issue, weighing 1, reversed under negation ("did not support"), none under a modal of
  doubt ("may support", "could oppose");
* every sentence that mentions two parties of different countries: the stance classifier
  (:mod:`.classifier`) reads who is for or against whom in it ("X, a fierce critic of Y"),
  for two mentions at most ``MAX_PATH`` dependency edges apart;
  a non-neutral reading of probability at least ``MIN_PROBABILITY`` weighs half its
  probability (a sentence's tone is weaker evidence than a coded act); not read in negated
  sentences ("did not support sanctions on Russia": the tone misleads) nor in sentences with
  an issue stance.

Per (holder, target) pair the weights are summed with their signs; the sign of the sum is
the stance, and the evidence spans are those that agree with it.

**quote**: what a speaker's quoted words say about a party of another country named in them
(its speaker placed in a country by the quotes stage): the stance classifier reads
``<speaker> said: "<quote>"`` with the speaker and the party marked, and a non-neutral reading
of probability at least ``MIN_PROBABILITY`` is the stance of the speaker's side (or, rarely, of
the party toward the speaker); the evidence is the quote's span. Without the classifier, none.

**coaction**: two parties of different countries that are the sources of events of one type
with one target of a third country in one sentence ("France and Britain imposed sanctions on
Syria") stand together: a positive stance each way, the sentence its evidence.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from functools import lru_cache
from itertools import combinations
from typing import Optional

from ..model import Actor, ActorRef, Article, Stance
from ..resources import read_table
from .classifier import NEGATIVE_12, NEGATIVE_21, NEUTRAL, POSITIVE_12, StanceModel, polar_words

# chosen on the directed-sentiment validation lines: readings of probability 0.8 or more between
# mentions at most five dependency edges apart are right for 62% (all readings of 0.6 or more: 46%)
MIN_PROBABILITY = 0.8
MAX_PATH = 5
SENTENCE_WEIGHT = 0.5
MAX_PARTIES = 5  # per sentence: the pairs grow with the square
HEDGES = {"may", "might", "could", "would"}  # "may support sanctions" states no stance
# (holder, target) as name/country/sector tuples -> (polarity, weight, evidence span) of each piece
Evidence = dict[tuple, list[tuple[int, float, tuple[int, int]]]]


class StanceFinder:
    """The stances stage: ``finder(article) -> article``, with the stance classifier (None: events
    and issue verbs only)."""

    name = "stances"
    reads = frozenset({"events", "quotes", "actors", "parse.doc", "parse.actor_at"})
    writes = frozenset({"stances"})

    def __init__(self, model: Optional[StanceModel]):
        self.model = model

    def __call__(self, article: Article) -> Article:
        return derive_stances(article, self.model)


def derive_stances(article: Article, model: Optional[StanceModel]) -> Article:
    """Who is for or against whom in the article (see the module's docstring)."""
    evidence: Evidence = defaultdict(list)
    for event in article.events:
        if event.source and event.target and event.source.country and event.target.country and event.goldstein:
            evidence[(astuple(event.source), astuple(event.target))].append(
                (sign(event.goldstein), event.confidence, tuple(event.span)))
    with_issue = set()  # sentences (by start) with an issue stance: their object is the issue
    for holder, issue, polarity, span in issue_stances(article):
        evidence[(astuple(holder.ref()), ("issue", issue))].append((polarity, 1.0, span))
        with_issue.add(span[0])
    if model is not None:
        for holder, target, polarity, weight, span in sentence_stances(article, model, with_issue):
            evidence[(astuple(holder.ref()), astuple(target.ref()))].append((polarity, weight, span))
    stances = summed(evidence, "reported")
    if model is not None:
        stances += summed(quote_evidence(article, model), "quote")
    stances += summed(coaction_evidence(article), "coaction")
    article.stances = stances
    return article


def summed(evidence: Evidence, kind: str) -> list[Stance]:
    """One stance of ``kind`` per (holder, target) of ``evidence``: the sign of its weights summed with
    their polarities (none where they cancel), with the spans that agree with it."""
    stances = []
    for (holder, target), items in evidence.items():
        score = sum(polarity * weight for polarity, weight, _ in items)
        if score == 0:
            continue
        polarity = sign(score)
        spans = sorted({span for p, _, span in items if p == polarity})
        if target[0] == "issue":
            stances.append(Stance(ActorRef(*holder), None, polarity, spans, issue=target[1], kind=kind))
        else:
            stances.append(Stance(ActorRef(*holder), ActorRef(*target), polarity, spans, kind=kind))
    return stances


def quote_candidates(article: Article) -> list[tuple[ActorRef, Actor, tuple[int, int], tuple[int, int]]]:
    """(speaker, party, the party's first mention in the quote, the quote's span) for each quote whose
    speaker is placed in a country and each party of another country named in it (one per country)."""
    placed = [a for a in article.actors if a.country and a.mentions]
    found = []
    for quote in article.quotes:
        speaker = quote.speaker
        if speaker is None or not speaker.country:
            continue
        countries = set()
        for actor in placed:
            inside = [m for m in actor.mentions if m[0] >= quote.span[0] and m[1] <= quote.span[1]]
            if actor.country != speaker.country and actor.country not in countries and inside:
                countries.add(actor.country)
                found.append((speaker, actor, tuple(inside[0]), tuple(quote.span)))
    return found


def quote_evidence(article: Article, model: StanceModel) -> Evidence:
    """The quote kind's evidence (see the module's docstring), weighing the readings' probabilities."""
    candidates = quote_candidates(article)
    evidence: Evidence = defaultdict(list)
    if not candidates:
        return evidence
    inputs = []
    for speaker, _, (start, end), span in candidates:
        prefix = f'{speaker.name} said: "'
        text = prefix + article.text[span[0]:span[1]] + '"'
        at = len(prefix) - span[0]
        inputs.append((text, (0, len(speaker.name)), (start + at, end + at)))
    for (speaker, party, _, span), probs in zip(candidates, model.probabilities(inputs), strict=True):
        label, probability = int(probs.argmax()), float(probs.max())
        if label == NEUTRAL or probability < MIN_PROBABILITY:
            continue
        pair = (astuple(speaker), astuple(party.ref()))
        holder, target = pair if label in (POSITIVE_12, NEGATIVE_12) else pair[::-1]
        evidence[(holder, target)].append((-1 if label in (NEGATIVE_12, NEGATIVE_21) else 1, probability, span))
    return evidence


def coaction_evidence(article: Article) -> Evidence:
    """The coaction kind's evidence (see the module's docstring)."""
    together: dict[tuple, dict[str, ActorRef]] = defaultdict(dict)  # (sentence, type, target country) -> sources
    for event in article.events:
        source, target = event.source, event.target
        if source and target and source.country and target.country and source.country != target.country:
            together[(tuple(event.span), event.type, target.country)].setdefault(source.country, source)
    evidence: Evidence = defaultdict(list)
    for (span, _, _), sources in together.items():
        for a, b in combinations(sorted(sources), 2):
            evidence[(astuple(sources[a]), astuple(sources[b]))].append((1, 1.0, span))
            evidence[(astuple(sources[b]), astuple(sources[a]))].append((1, 1.0, span))
    return evidence


def sentence_stances(article: Article, model: StanceModel, skip: set[int]):
    """(holder, target, polarity, weight, sentence span) the classifier reads in each sentence; not
    in negated sentences, whose tone it misreads, nor in those starting at a char of ``skip``.
    The article's pairs go through the classifier together."""
    doc = article.parse.doc
    placed = [a for a in article.actors if a.country and a.mentions]
    sents = list(doc.sents)
    firsts = first_mentions(placed, [(s.start_char, s.end_char) for s in sents])
    pairs = []  # (actor, its mention, other actor, its mention, sentence)
    for k, sent in enumerate(sents):
        if sent.start_char in skip or any(t.dep_ == "neg" for t in sent):
            continue
        parties = firsts.get(k, [])[:MAX_PARTIES]
        pairs += [(a, span_a, b, span_b, sent) for (a, span_a), (b, span_b) in combinations(parties, 2)
                  if a.country != b.country and path_length(doc, span_a, span_b) <= MAX_PATH]
    if not pairs:
        return
    probabilities = model.probabilities([(sent.text, relative(span_a, sent), relative(span_b, sent))
                                         for _, span_a, _, span_b, sent in pairs])
    for (a, _, b, _, sent), probs in zip(pairs, probabilities, strict=True):
        label, probability = int(probs.argmax()), float(probs.max())
        if label == NEUTRAL or probability < MIN_PROBABILITY:
            continue
        holder, target = (a, b) if label in (POSITIVE_12, NEGATIVE_12) else (b, a)
        polarity = -1 if label in (NEGATIVE_12, NEGATIVE_21) else 1
        yield holder, target, polarity, SENTENCE_WEIGHT * probability, (sent.start_char, sent.end_char)


def path_length(doc, first: tuple[int, int], second: tuple[int, int]) -> int:
    """Dependency edges between the heads of two character spans of the document (a large number
    where the parse does not join them)."""
    spans = [doc.char_span(*span, alignment_mode="expand") for span in (first, second)]
    if any(span is None or not len(span) for span in spans):
        return 1 << 10
    above = {}  # token index -> edges up from the first head
    tok, n = spans[0].root, 0
    while tok.i not in above:
        above[tok.i] = n
        tok, n = tok.head, n + 1
    tok, n = spans[1].root, 0
    seen = set()
    while tok.i not in above and tok.i not in seen:
        seen.add(tok.i)
        tok, n = tok.head, n + 1
    return above[tok.i] + n if tok.i in above else 1 << 10


def relative(span: tuple[int, int], sent) -> tuple[int, int]:
    """A character span of the document as one of the sentence's text."""
    return span[0] - sent.start_char, span[1] - sent.start_char


def issue_stances(article: Article):
    """(holder, issue, polarity, sentence span) of verbs of support or opposition with an issue object."""
    doc, actor_at = article.parse.doc, article.parse.actor_at
    polar = polar_words()
    for verb in doc:
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB" or lemma not in polar or any(c.lower_ in HEDGES for c in verb.children):
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        holder = actor_at.get(subject.i) if subject is not None else None
        if holder is None or not holder.country:
            continue
        objects = [c for c in verb.children if c.dep_ in ("dobj", "prep", "xcomp", "ccomp")]
        issue = next((i for c in objects if (i := issue_named(text_span(c)))), None)
        if issue is None:
            continue
        negated = any(c.dep_ == "neg" for c in verb.children)
        polarity = polar[lemma] * (-1 if negated else 1)
        yield holder, issue, polarity, (verb.sent.start_char, verb.sent.end_char)


def text_span(tok) -> str:
    return tok.doc[tok.left_edge.i:tok.right_edge.i + 1].text


def issue_named(text: str) -> Optional[str]:
    low = f" {text.lower()} "
    return next((issue for term, issue in issue_terms() if f" {term} " in low), None)


@lru_cache(maxsize=1)
def issue_terms() -> list[tuple[str, str]]:
    """(term, issue), longest terms first."""
    pairs = [(t.strip().lower(), r["issue"]) for r in read_table("issues.tsv") for t in r["terms"].split("|") if t]
    return sorted(pairs, key=lambda p: -len(p[0]))


def first_mentions(actors: list[Actor], sentences: list[tuple[int, int]]) -> dict[int, list[tuple[Actor, tuple[int, int]]]]:
    """For each sentence (by its place in ``sentences``, character spans in order, apart) that holds
    a mention, each actor's first mention inside it, in text order.

    One pass over the mentions, each placed in its sentence by bisection (asking every sentence
    for every actor's mentions grows with the square of the text)."""
    starts = [start for start, _ in sentences]
    found: dict[int, dict[int, tuple[Actor, tuple[int, int]]]] = {}
    for n, actor in enumerate(actors):
        for s, e in actor.mentions:
            k = bisect_right(starts, s) - 1
            if k >= 0 and e <= sentences[k][1]:
                found.setdefault(k, {}).setdefault(n, (actor, (s, e)))
    return {k: sorted(by_actor.values(), key=lambda item: item[1]) for k, by_actor in found.items()}


def astuple(ref: ActorRef) -> tuple:
    return (ref.name, ref.country, ref.sector)


def sign(x: float) -> int:
    return (x > 0) - (x < 0)
