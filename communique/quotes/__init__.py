"""Quotes stage: who said what.

Reads ``article.doc`` and the actors stage's ``doc.user_data["actor_at"]``;
writes ``article.quotes`` and ``doc.user_data["speakers"]`` (a list of
``(start_char, end_char, actor_id)`` for every quoted or reported content whose
speaker is known), which the events stage uses to code reported speech.

Direct quotes are the text between paired quote marks in a paragraph; their cue
is the speech verb ("said", "added", "saying") nearest to the quote in its
sentence, and the speaker that verb's subject (or the subject of the clause it
hangs from). Indirect quotes are the "that"-clauses of speech verbs.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc, Span, Token

from ..language.quotemarks import quote_spans
from ..model import Actor, Article, Quote
from ..resources import read_words

SUBJECT_DEPS = ("nsubj", "nsubjpass")


@lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    return read_words("speech_verbs.txt")


def find_quotes(article: Article) -> Article:
    """The quotes stage: ``find_quotes(article) -> article``."""
    doc = article.doc
    actors: list[Actor] = doc.user_data.get("actors", [])
    actor_at: dict[int, int] = doc.user_data.get("actor_at", {})
    quotes, speakers = [], []
    direct = quote_spans(article.text)
    for start, end in direct:
        quote, actor_id = attribute(doc, start, end, True, actors, actor_at)
        quotes.append(quote)
        if actor_id is not None:
            speakers.append((start, end, actor_id))
    for cue in doc:
        if is_cue(cue):
            for content in reported_clauses(cue):
                s, e = content.start_char, content.end_char
                if any(a <= s < b for a, b in direct):
                    continue
                quote, actor_id = attribute(doc, s, e, False, actors, actor_at, cue)
                quotes.append(quote)
                if actor_id is not None:
                    speakers.append((s, e, actor_id))
    article.quotes = sorted(quotes, key=lambda q: q.span)
    doc.user_data["speakers"] = speakers
    return article


def is_cue(tok: Token) -> bool:
    return tok.pos_ == "VERB" and tok.lemma_.lower() in speech_verbs()


def reported_clauses(cue: Token) -> list[Span]:
    """The "that"-clauses (or bare complement clauses) reported by a speech verb."""
    out = []
    for child in cue.children:
        if child.dep_ == "ccomp" and child.i > cue.i:
            tokens = [t for t in child.subtree if not (t.dep_ == "mark" and t.head.i == child.i)]
            first, last = tokens[0].i, tokens[-1].i
            while last > first and cue.doc[last].is_punct:
                last -= 1
            out.append(cue.doc[first:last + 1])
    return out


def attribute(doc: Doc, start: int, end: int, direct: bool, actors: list[Actor], actor_at: dict[int, int],
              cue: Optional[Token] = None):
    """The Quote for the content at ``[start, end)``, with its cue and speaker."""
    cue = cue or find_cue(doc, start, end)
    subject = speaker_token(cue) if cue is not None else None
    actor = actors[actor_at[subject.i]] if subject is not None and subject.i in actor_at else None
    speaker_span = None
    if subject is not None:
        speaker_span = mention_span(actor, subject) or (subject.idx, subject.idx + len(subject.text))
    quote = Quote(text=doc.text[start:end], span=(start, end), speaker=actor.ref() if actor else None,
                  speaker_span=speaker_span, cue=cue.text if cue is not None else None, direct=direct)
    return quote, (actor.id if actor else None)


def find_cue(doc: Doc, start: int, end: int) -> Optional[Token]:
    """The speech verb outside the quote nearest to it, in the quote's sentence."""
    inside = doc.char_span(start, end, alignment_mode="expand")
    if inside is None:
        return None
    sent = inside[0].sent
    outside = [t for t in sent if (t.idx < start or t.idx >= end) and is_cue(t)]
    if not outside:
        return None
    return min(outside, key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))


def speaker_token(cue: Token) -> Optional[Token]:
    """The subject of the cue, or of the clause the cue hangs from ("..., saying:")."""
    verb = cue
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            return subjects[0]
        if verb.dep_ in ("advcl", "conj", "xcomp", "ccomp", "relcl") and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    return None


def mention_span(actor: Optional[Actor], tok: Token) -> Optional[tuple[int, int]]:
    if actor is None:
        return None
    for s, e in actor.mentions:
        if s <= tok.idx < e:
            return (s, e)
    return None
