"""The pipeline: one Article flows through every stage, in order.

ingest (readers, cleaning) -> language (spaCy) -> actors -> quotes -> events ->
stances. Each stage is a callable ``stage(article) -> article``; the spaCy
pipeline and the dictionaries load once per process (:meth:`Pipeline.get`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from typing import Callable, Iterable, Iterator, Optional, Union

from .actors.custom import read_actor_file
from .actors.dictionary import Dictionary
from .actors.gazetteer import Gazetteer
from .actors.lookup import Resolution, lookup_actor
from .actors.resolve import ActorResolver
from .events.coder import EventCoder
from .ingest import Failure, read_inputs
from .ingest.clean import clean_article
from .language import analyse_many, load_nlp
from .model import Article
from .quotes import find_quotes
from .settings import Settings
from .stances import derive_stances

Stage = Callable[[Article], Article]
ZONE_ARTICLES = 64  # articles parsed and coded in one spaCy memory zone


@dataclass
class Duplicate:
    """An article not coded because it repeats ``of`` (a stored or an earlier article's id), with
    the estimated similarity of their texts (1.0: the same text)."""

    article: Article
    of: str
    similarity: float = 1.0


def actor_resolver(actors_file: Optional[str]) -> ActorResolver:
    """The actors stage, with a user actor file's entries when one is given."""
    if not actors_file:
        return ActorResolver()
    custom = read_actor_file(actors_file)
    return ActorResolver(Gazetteer.from_data(custom), Dictionary.build(custom))


class Pipeline:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.nlp = load_nlp(settings.model)
        self.resolver = actor_resolver(settings.actors)
        self.stages: list[Stage] = [self.resolver, find_quotes, EventCoder(self.resolver.gazetteer), derive_stances]

    @classmethod
    @lru_cache(maxsize=4)
    def get(cls, settings: Settings) -> "Pipeline":
        """The pipeline for ``settings``, built once per process."""
        return cls(settings)

    def code_text(self, text: str, date: Optional[str] = None, id: Optional[str] = None,
                  title: Optional[str] = None) -> Article:
        article_id = id or hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        article = clean_article(Article(id=article_id, text=text, date=date, title=title, input="<text>"))
        return next(self.code_articles([article]))

    def code_articles(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Code a stream of ingested articles, keeping their order.

        Articles are parsed and coded ``ZONE_ARTICLES`` at a time inside a spaCy memory zone: the
        words their parses added to the vocabulary are freed once they are coded (coded articles
        keep no spaCy object), so the memory of a long run does not grow with its vocabulary."""
        dated = (self.with_default_date(a) for a in articles)
        while group := list(islice(dated, ZONE_ARTICLES)):
            with self.nlp.memory_zone():
                coded = [self.code_parsed(a) for a in analyse_many(group, self.nlp, self.settings.batch_size)]
            yield from coded

    def code_parsed(self, article: Article) -> Article:
        for stage in self.stages:
            article = stage(article)
        article.doc = None  # the parse is working state: free it once coded
        return article

    def code_paths(self, paths: Iterable[str], stdin=None,
                   keep: Optional[Callable[[list[Article]], list[Optional[tuple[str, float]]]]] = None,
                   seen: Optional[Callable[[str], bool]] = None) -> Iterator[Union[Article, Failure, Duplicate]]:
        """Read and code inputs; bad inputs come out as Failures in their place, never as exceptions.

        ``keep(articles)`` (before coding, a batch at a time) gives for each article None to code
        it, or (id, similarity) of the stored or earlier article it repeats: it then comes out as a
        Duplicate. ``seen(url)``: feed items known already, not fetched.
        """
        pending: list[Article] = []

        def flush() -> Iterator[Union[Article, Duplicate]]:
            verdicts = keep(pending) if keep else [None] * len(pending)
            fresh = [a for a, of in zip(pending, verdicts, strict=True) if of is None]
            coded = self.code_articles(fresh)
            for article, of in zip(pending, verdicts, strict=True):
                yield next(coded) if of is None else Duplicate(article, *of)

        fields = dict(self.settings.fields) or None
        for item in read_inputs(paths, stdin=stdin, max_bytes=self.settings.max_bytes, fields=fields, seen=seen):
            if isinstance(item, Failure):
                yield from flush()
                pending = []
                yield item
                continue
            pending.append(item)
            if len(pending) >= self.settings.batch_size:
                yield from flush()
                pending = []
        yield from flush()

    def lookup(self, text: str, date: Optional[str] = None, context: Optional[str] = None) -> Resolution:
        """How an actor phrase resolves (``communique actors lookup``)."""
        return lookup_actor(text, self.nlp, self.resolver, date, context)

    def with_default_date(self, article: Article) -> Article:
        if article.date or not self.settings.default_date:
            return article
        return replace(article, date=self.settings.default_date)
