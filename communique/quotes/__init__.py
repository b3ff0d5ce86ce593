"""Quotes stage: who said what.

Reads ``article.parse`` (the Doc and the actors stage's ``actor_at``); writes
``article.quotes`` and ``article.parse.speakers`` (``(start_char, end_char, actor)``
of every quoted or reported content whose speaker is known), which the events stage
uses to code reported speech.

What counts as a quote:

* direct: the text between paired quote marks in a paragraph; a quote split around
  its cue ('"X," he said, "Y."') is one quote whose span runs from X to Y. Its cue is
  the attribution verb nearest to it in its sentences, else a cue ending the previous
  sentence with a colon ('He said:') or making a short sentence after it ('He said.');
  a quote that opens a paragraph without a cue runs on from the last attribution at
  most two paragraphs back and has its speaker; a parenthetical cue ("This campaign,
  he says, is different") reports the clause it stands in. The speaker is the cue's subject (or the subject of the
  clause the cue hangs from). Quoted words inside a reported clause ('said Trump was a
  "loser"') belong to that clause; short quoted text without a cue ("Cake Boss") is a
  title or a scare quote, not a quotation;
* reported, with the learned model (the default, :mod:`.learned`): each word its cue model
  takes for a cue, with the phrase of the parse around it its content model takes for the
  content ("trashed the trade deal");
* reported, by the rules alone (``quotes="rules"``): the clause an attribution verb reports,
  after it ("said that X", "told reporters X"; the content holds its "that", as PolNeAR marks
  it) or before it ("X, the minister said"), attribution verbs being the speech verbs of
  ``speech_verbs.txt`` and the verbs of belief and knowledge of ``attribution_verbs.txt``
  ("believes", "expects", "learned"); and the complements of the stance verbs of
  ``stance_verbs.txt`` ("criticized Clinton for accepting donations") of a named party or a pronoun;
* a line opening with a short name and a colon ("John McCain: Populist anger appeals
  to ..."): the rest of the line, the name its speaker;
* "according to": the clause an "according to X" phrase is attached to, X the speaker.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from itertools import accumulate
from typing import Optional

from spacy.tokens import Doc, Span, Token

from ..lexicons.quotemarks import quote_spans
from ..lexicons.words import attribution_verbs, stance_verbs
from ..model import Actor, Article, Quote
from .learned import SUBJECTS, QuoteModel, trimmed

CUE_BEFORE = ("aux", "auxpass", "neg", "advmod")  # what the cue takes from right before it ("has also said")
MAX_BRIDGE_WORDS = 25  # between the halves of a split quote: '," said David Cohen, a political scientist at ..., "'
# (not when the second half has a cue of its own: '"X," said A. "Y," said B.')
MAX_NAME_WORDS = 6  # "Senator John McCain:" opening a line
NAME_TYPES = ("PERSON", "ORG", "NORP", "GPE")
COMPLEMENTS = ("dobj", "dative", "oprd", "xcomp", "prep", "attr", "acomp")
MIN_UNCUED_WORDS = 4  # shorter quoted text without a cue is a title or a scare quote ("Cake Boss", "loser")
PARAGRAPH_LEAD = " \t\"“”‘’'"  # what may stand between a paragraph's start and its opening quote
CLAUSE_LEAD = " \"“”‘’'"  # what may stand between a reported clause's start and a quote it opens with
NON_SPACE = re.compile(r"\S")


class QuoteFinder:
    """The quotes stage: ``finder(article) -> article``."""

    name = "quotes"
    reads = frozenset({"parse.doc", "parse.text", "parse.actor_at"})
    writes = frozenset({"quotes", "parse.speakers"})

    def __init__(self, model: Optional[QuoteModel] = None):
        """``model``: the learned cues and contents (:mod:`.learned`); without one, the rules' attribution verbs."""
        self.model = model

    def __call__(self, article: Article) -> Article:
        return find_quotes(article, self.model)


def find_quotes(article: Article, model: Optional[QuoteModel] = None) -> Article:
    """Find the article's quotes and their speakers (see the module's docstring); with a ``model``, the
    cues of reported contents and those contents are its."""
    parse = article.parse
    doc, text = parse.doc, parse.text
    quotes, speakers = [], []
    marked = quote_spans(text)
    inside_marks = Taken(marked)

    def add(start: int, end: int, direct: bool, cue: Optional[Token], source: Optional[Span] = None) -> None:
        quote, actor = attribute(doc, text, start, end, direct, parse.actor_at, cue, source)
        quotes.append(quote)
        if actor is not None:
            speakers.append((start, end, actor))

    reported = []  # (content, cue, source) of indirect quotes and "according to"
    for tok in doc:
        if tok.lower_ == "according":
            found = according_to(tok)
            if found:
                reported.append((found[0], tok, found[1]))
        elif tok.text == ":":
            found = headline_attribution(tok, text)
            if found:
                reported.append((found[0], tok, found[1]))
        elif model is not None:
            content = model.content(tok, inside_marks.overlaps(tok.idx, tok.idx + 1))
            if content:
                reported.append((doc[content[0]:content[1] + 1], tok, None))
        elif is_cue(tok):
            reported += [(content, tok, None) for content in reported_clauses(tok)]
    pieces = outside_reported(marked, reported, text)
    attributed = Attributions([(c.end_char, cue) for c, cue, source in reported if source is None])
    for parts in merge_split_quotes(doc, text, pieces):
        start, end = parts[0][0], parts[-1][1]
        cue = find_cue(doc, text, parts)
        if cue is None and opens_paragraph(text, start):
            cue = last_cue(attributed, start, text)  # a quote running on from the speaker before
        if cue is None and len(text[start:end].split()) < MIN_UNCUED_WORDS:
            continue  # a title or a scare-quoted phrase, not a quotation
        if cue is not None:
            attributed.add(end, cue)
        add(start, end, True, cue)
    taken = Taken([q.span for q in quotes])
    for content, cue, source in reported:
        if not taken.overlaps(content.start_char, content.end_char):
            taken.add(content.start_char, content.end_char)
            add(content.start_char, content.end_char, False, cue, source)
    article.quotes = sorted(quotes, key=lambda q: q.span)
    parse.speakers = speakers
    return article


def is_cue(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in attribution_verbs()


class Taken:
    """Character spans that do not overlap, sorted: whether a span overlaps one of them is read by
    bisection (the quotes, then each reported clause that overlaps none of them)."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts, self.ends = [a for a, _ in spans], [b for _, b in spans]

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self.starts, end) - 1  # the last span that starts before ``end``; those before it end
        return k >= 0 and self.ends[k] > start  # before it starts, the spans being disjoint

    def add(self, start: int, end: int) -> None:
        k = bisect_right(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)


class Attributions:
    """(content end, cue) of the attributions found so far: the cue of the last one that ends by a
    position, read by bisection (the first one added of those that end at the same place)."""

    def __init__(self, items: list[tuple[int, Token]]):
        self.cue_at: dict[int, Token] = {}
        for end, cue in items:
            self.cue_at.setdefault(end, cue)
        self.ends = sorted(self.cue_at)

    def add(self, end: int, cue: Token) -> None:
        if end not in self.cue_at:
            self.cue_at[end] = cue
            insort(self.ends, end)

    def last(self, start: int) -> Optional[tuple[int, Token]]:
        k = bisect_right(self.ends, start) - 1
        return (self.ends[k], self.cue_at[self.ends[k]]) if k >= 0 else None


def outside_reported(pieces: list[tuple[int, int]], reported: list[tuple[Span, Token, Optional[Span]]],
                     text: str) -> list[tuple[int, int]]:
    """The quoted pieces that do not start inside a reported clause after words of its own ('that Trump
    is a "loser"', 'said the comment "was inappropriate."'): those are part of that clause (a clause
    that opens with the quote is the quote's).

    Of the clauses that hold a piece's start, the one that starts first has the most words before it:
    with the clauses sorted by start and the furthest end reached so far, it is the first clause that
    reaches past the piece's start, found by bisection."""
    clauses = sorted((c.start_char, c.end_char) for c, _, _ in reported)
    reach = list(accumulate((end for _, end in clauses), max))
    out = []
    for piece in pieces:
        k = bisect_right(reach, piece[0])
        if k < len(clauses) and clauses[k][0] <= piece[0] and has_words(text, clauses[k][0], piece[0]):
            continue
        out.append(piece)
    return out


def has_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds more than spaces and quote marks (read back from ``end``)."""
    while end > start and text[end - 1] in CLAUSE_LEAD:
        end -= 1
    return end > start


def last_cue(attributed: Attributions, start: int, text: str) -> Optional[Token]:
    """The cue of the last attribution that ends before ``start`` and at most two paragraphs back."""
    last = attributed.last(start)
    if last is None:
        return None
    end, cue = last
    return cue if lines_between(text, end, start, 2) else None


def lines_between(text: str, start: int, end: int, most: int) -> bool:
    """Whether ``text[start:end]`` has at most ``most`` lines that are not blank (read back from ``end``,
    no further than the line after the last one allowed)."""
    count = 0
    while True:
        newline = text.rfind("\n", start, end)
        if NON_SPACE.search(text, newline + 1 if newline >= 0 else start, end):
            count += 1
            if count > most:
                return False
        if newline < 0:
            return True
        end = newline


def opens_paragraph(text: str, start: int) -> bool:
    """Whether only spaces and quote marks stand between the start of the paragraph and ``start``."""
    while start > 0 and text[start - 1] in PARAGRAPH_LEAD:
        start -= 1
    return start == 0 or text[start - 1] == "\n"


def merge_split_quotes(doc: Doc, text: str, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Quotes as lists of their pieces: the halves of a quote split around its cue ('"X," he
    said, "Y."') make one quote."""
    out: list[list[tuple[int, int]]] = []
    for n, (start, end) in enumerate(spans):
        following = spans[n + 1][0] if n + 1 < len(spans) else len(text)
        if out and is_bridge(doc, text, out[-1][-1][1], start) and not has_own_cue(doc, text, end, following):
            out[-1].append((start, end))
        else:
            out.append([(start, end)])
    return out


def has_own_cue(doc: Doc, text: str, end: int, following: int) -> bool:
    """Whether a cue follows the quote ending at ``end`` in its sentence ('"Y," said B.'): then it is
    another speaker's, not the second half of the quote before it."""
    after = doc.char_span(end, following, alignment_mode="contract")
    if after is None or not len(after):
        return False
    sentence = after[0].sent
    newline = text.find("\n", end, following)
    return any(is_cue(t) and (newline < 0 or t.idx <= newline) for t in after[:sentence.end - after.start])


def is_bridge(doc: Doc, text: str, end: int, start: int) -> bool:
    """Whether the text between two quotes of a paragraph is just their cue ('," she added, "')."""
    between = text[end:start]
    if "\n" in between or not between.strip():
        return False
    span = doc.char_span(end, start, alignment_mode="contract")
    if span is None:
        return False
    words = [t for t in span if not (t.is_punct or t.is_space)]
    return 0 < len(words) <= MAX_BRIDGE_WORDS and any(is_cue(t) for t in words) \
        and between.rstrip().rstrip("\"“”").rstrip()[-1:] in (",", ":", ".")


def reported_clauses(cue: Token) -> list[Span]:
    """The clauses an attribution verb reports: its clausal complements, after it ("said that
    X") or before it ("X, the minister said"), and what follows "said:"."""
    doc = cue.doc
    out = []
    for child in cue.children:
        if (child.dep_ == "ccomp" or (child.dep_ == "parataxis" and child.i < cue.i)) and not is_aside(child):
            out.append(trim(doc, child.left_edge.i, child.right_edge.i))  # with its "that", as PolNeAR marks it
    if not out and is_aside(cue) and cue.head.i != cue.i:  # "This campaign, he says, is different"
        host = cue.head
        tokens = [t for t in host.subtree if not (cue.left_edge.i <= t.i <= cue.right_edge.i)]
        out.append(trim(doc, tokens[0].i, tokens[-1].i))
    if not out and cue.lemma_.lower() in stance_verbs() and has_party_subject(cue):
        complements = [c for c in cue.children if c.i > cue.i and c.dep_ in COMPLEMENTS]
        if complements:
            first = min(t.i for c in complements for t in c.subtree)
            last = max(t.i for c in complements for t in c.subtree)
            out.append(trim(doc, first, last))
    if not out and cue.i + 1 < len(doc) and doc[cue.i + 1].text == ":":
        end = cue.sent.end - 1
        if end > cue.i + 1:
            out.append(trim(doc, cue.i + 2, end))
    return [s for s in out if len(s) > 1]


def has_party_subject(verb: Token) -> bool:
    """Whether the verb's subject is a named party, a pronoun or a person's title."""
    subject = speaker_token(verb)
    if subject is None:
        return False
    return subject.pos_ in ("PROPN", "PRON") or subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") \
        or any(c.ent_type_ for c in subject.children if c.dep_ in ("compound", "amod", "poss"))


def is_aside(verb: Token) -> bool:
    """A parenthetical attribution: "he said" set inside or after the clause it reports, with
    nothing of its own to report. A verb whose words reach around its head ("schemes that experts
    believe are promising": "that" hangs from "promising") is not set inside that clause."""
    if not is_cue(verb) or verb.dep_ not in ("parataxis", "ccomp", "advcl"):
        return False
    if verb.left_edge.i <= verb.head.i <= verb.right_edge.i:
        return False
    own = [c for c in verb.children if c.dep_ not in ("nsubj", "nsubjpass", "punct", "advmod", "npadvmod", "aux")]
    return not own


def trim(doc: Doc, first: int, last: int) -> Span:
    """Tokens first..last without punctuation or spaces at either end (the first token where all are)."""
    kept = trimmed(doc, first, last)
    return doc[kept[0]:kept[1] + 1] if kept else doc[first:first + 1]


def according_to(tok: Token) -> Optional[tuple[Span, Span]]:
    """("the clause", "X") of "according to X": the sentence without the phrase."""
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if pobj is None:
        return None
    doc, sent = tok.doc, tok.sent
    phrase_first = min(t.i for t in tok.subtree)
    phrase_last = max(t.i for t in tok.subtree)
    source = doc[min(t.i for t in pobj.subtree):max(t.i for t in pobj.subtree) + 1]
    if phrase_first - sent.start <= sent.end - 1 - phrase_last:  # "According to X, ..."
        content = trim(doc, phrase_last + 1, sent.end - 1)
    else:  # "..., according to X."
        content = trim(doc, sent.start, phrase_first - 1)
    return (content, source) if len(content) > 1 else None


def headline_attribution(colon: Token, text: str) -> Optional[tuple[Span, Span]]:
    """("Y", "X") of a line that opens "X: Y" where X is a short name ("John McCain: Republican
    anger appeals to 'bad angels'", a headline or a transcript line)."""
    doc = colon.doc
    # A name of at most MAX_NAME_WORDS tokens starts its line: the line break is among the tokens
    # just before the colon (no need to read a long line back to its start).
    before = colon.i - MAX_NAME_WORDS - 1
    newline = text.rfind("\n", doc[before].idx if before > 0 else 0, colon.idx)
    if newline < 0 and before > 0:
        return None
    line_start = newline + 1
    head = doc.char_span(line_start, colon.idx, alignment_mode="contract")
    if head is None or not 0 < len(head) <= MAX_NAME_WORDS or not any(t.ent_type_ in NAME_TYPES for t in head):
        return None
    line_end = text.find("\n", colon.idx)
    content = doc.char_span(colon.idx + 1, line_end if line_end >= 0 else len(text), alignment_mode="contract")
    if content is None or len(content) < 2:
        return None
    return trim(doc, content.start, content.end - 1), head


def attribute(doc: Doc, text: str, start: int, end: int, direct: bool, actor_at: dict[int, Actor],
              cue: Optional[Token] = None, source: Optional[Span] = None) -> tuple[Quote, Optional[Actor]]:
    """The Quote for the content at ``[start, end)``, with its cue and speaker (``source``, the
    "X" of "according to X", else the cue's subject). The spans are those PolNeAR marks: the speaker's whole
    noun phrase, the cue with its auxiliaries (:func:`cue_extent`); the content of a reported clause holds
    its "that"."""
    subject = source.root if source is not None else speaker_token(cue) if cue is not None else None
    actor = actor_at.get(subject.i) if subject is not None else None
    speaker_span = None
    if source is not None:
        speaker_span = (source.start_char, source.end_char)
    elif subject is not None:
        phrase = trim(doc, subject.left_edge.i, subject.right_edge.i)  # the whole noun phrase, as PolNeAR marks it
        speaker_span = (phrase.start_char, phrase.end_char)
    cue_span = None
    if cue is not None:
        first, last = cue_extent(cue)
        cue_span = (doc[first].idx, doc[last].idx + len(doc[last]))
    quote = Quote(text=text[start:end], span=(start, end), speaker=actor.ref() if actor else None,
                  speaker_span=speaker_span, cue=text[cue_span[0]:cue_span[1]] if cue_span else None,
                  direct=direct, cue_span=cue_span)
    return quote, actor


def cue_extent(cue: Token) -> tuple[int, int]:
    """The first and last token of the cue as PolNeAR marks it: the verb with the auxiliaries, negation and
    adverbs right before it ("has also said") and its particle ("pointed out"); "according to"."""
    doc, first, last = cue.doc, cue.i, cue.i
    before = {c.i for c in cue.children if c.dep_ in CUE_BEFORE and c.i < cue.i}
    while first - 1 in before:
        first -= 1
    if cue.lower_ == "according" and cue.i + 1 < len(doc):
        last = cue.i + 1
    elif cue.i + 1 < len(doc) and doc[cue.i + 1].dep_ == "prt" and doc[cue.i + 1].head.i == cue.i:
        last = cue.i + 1
    return first, last


def find_cue(doc: Doc, text: str, parts: list[tuple[int, int]]) -> Optional[Token]:
    """The attribution verb outside the quote's pieces nearest to them in their sentences, else a
    cue that ends the sentence before with a colon ('He said:') or makes a short sentence after
    it ('He said.')."""
    start, end = parts[0][0], parts[-1][1]
    inside = doc.char_span(start, end, alignment_mode="expand")
    if inside is None:
        return None
    first, last = inside[0].sent, inside[-1].sent
    starts = [a for a, _ in parts]
    outside = [t for t in doc[first.start:last.end] if is_cue(t) and not in_parts(t.idx, parts, starts)]
    if outside:
        return min(outside, key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))
    if first.start > 0:
        tail = [t for t in doc[first.start - 1].sent if not t.is_space]
        if len(tail) >= 2 and tail[-1].text == ":" and is_cue(tail[-2]):
            return tail[-2]
    if last.end < len(doc):
        after = doc[last.end].sent
        words = [t for t in after if not (t.is_punct or t.is_space)]
        cues = [t for t in words if is_cue(t) and not reported_clauses(t)]
        if 0 < len(words) <= 8 and cues and "\n" not in text[end:after.start_char]:
            return cues[0]
    return None


def in_parts(idx: int, parts: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether ``idx`` falls in one of a quote's pieces (in order, apart; ``starts``: theirs)."""
    k = bisect_right(starts, idx) - 1
    return k >= 0 and idx < parts[k][1]


def speaker_token(cue: Token) -> Optional[Token]:
    """The subject of the cue, or of the clause the cue hangs from ("..., saying:")."""
    verb = cue
    for _ in range(4):
        agents = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        if agents:  # "was criticized by the senator"
            return agents[0]
        subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
        if subjects:  # not the subject of a passive: what is said of it ("peacekeepers have been accused of")
            return subjects[0] if subjects[0].dep_ == "nsubj" else None
        if verb.dep_ in ("advcl", "conj", "xcomp", "ccomp", "relcl") and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    return None
