"""The pipeline: one Article flows through every stage, in order.

inputs (readers, cleaning) -> language (spaCy) -> actors -> quotes -> events ->
stances. Each stage is a callable ``stage(article) -> article`` that declares the
fields it ``reads`` and ``writes`` (``"parse.X"`` for the working state in
``Article.parse``); the pipeline checks when it is built that every field a stage
reads is an input's or written by an earlier stage. The resources (the spaCy
pipeline, the gazetteer, the dictionary, the trigger lexicon, the stance model) are
built once per settings (:class:`Resources`) and handed to the stages.

An exception while coding one article is contained to it: the article comes out as a
:class:`~communique.model.Failure` naming the stage, and the run goes on.
:meth:`Pipeline.run` is the one run loop, in this process or on a cluster (a
:class:`BatchMapper`: :class:`LocalMapper` here, ``communique.distributed.DaskMapper``).
"""
from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Optional, Protocol, Union

from spacy.language import Language

from .actors.lookup import Resolution, lookup_actor
from .actors.resolve import ActorResolver
from .events.coder import EventCoder
from .events.learned import EventModel
from .events.lexicon import Lexicon
from .inputs import read_inputs
from .inputs.clean import clean_article
from .language import LanguageStage, load_nlp
from .lexicons.custom import read_actor_file
from .lexicons.dictionary import Dictionary, Role
from .lexicons.gazetteer import Gazetteer
from .model import Article, Failure
from .quotes import QuoteFinder
from .quotes.learned import QuoteModel
from .settings import CODERS, Settings
from .stances import StanceFinder
from .stances.classifier import StanceModel

ZONE_ARTICLES = 64  # articles parsed and coded in one spaCy memory zone
INPUT_FIELDS = frozenset({"id", "text", "title", "source", "place", "date", "url", "input"})  # the inputs stage's


class Stage(Protocol):
    name: str
    reads: frozenset[str]
    writes: frozenset[str]

    def __call__(self, article: Article) -> Article: ...


@dataclass
class Duplicate:
    """An article not coded because it repeats ``of`` (a stored or an earlier article's id), with
    the estimated similarity of their texts (1.0: the same text)."""

    article: Article
    of: str
    similarity: float = 1.0


Coded = Union[Article, Failure, Duplicate]
Keep = Callable[[list[Article]], list[Optional[tuple[str, float]]]]


@dataclass(frozen=True)
class Resources:
    """What the stages read, built once per settings: the spaCy pipeline, the gazetteer and the
    actor dictionary (with a user actor file's entries), the trigger lexicon, the stance and event models."""

    nlp: Language
    gazetteer: Gazetteer
    dictionary: Dictionary
    lexicon: Lexicon
    stance_model: Optional[StanceModel]
    event_model: Optional[EventModel] = None
    quote_model: Optional[QuoteModel] = None

    @classmethod
    def build(cls, settings: Settings) -> "Resources":
        custom = read_actor_file(settings.actors) if settings.actors else None
        gazetteer = Gazetteer.from_data(custom) if custom else Gazetteer.load()
        if custom or settings.learned:
            learned = [Role(name, country, sector or None, role or "", start or "", "", None,
                            source="learned from the text") for name, country, sector, role, start in settings.learned]
            dictionary = Dictionary.build(custom, learned)
        else:
            dictionary = Dictionary.load()
        event_model = learned_model("events", settings.events, EventModel.load, "event_model.npz", "train_events.py")
        quote_model = learned_model("quotes", settings.quotes, QuoteModel.load, "quote_model.npz", "train_quotes.py")
        return cls(load_nlp(settings.model), gazetteer, dictionary, Lexicon.load(), StanceModel.load(), event_model,
                   quote_model)


def learned_model(stage: str, setting: str, load: Callable[[], Any], file: str, script: str) -> Any:
    """The stage's packaged model where ``setting`` is "learned", None where it is "rules"."""
    if setting not in CODERS:
        raise ValueError(f"unknown {stage} setting {setting!r}: {' or '.join(CODERS)}")
    model = load() if setting == "learned" else None
    if setting == "learned" and model is None:
        raise RuntimeError(f"{stage}=learned, but communique/data/{file} is missing: run tools/{script}")
    return model


def check_stages(first: Stage, stages: list[Stage], given: frozenset[str] = INPUT_FIELDS) -> None:
    """Raise ValueError where a stage reads a field that neither the input nor an earlier stage writes."""
    written = set(given)
    for stage in [first, *stages]:
        missing = stage.reads - written
        if missing:
            raise ValueError(f"stage {stage.name!r} reads {', '.join(sorted(missing))}, which no earlier stage "
                             f"writes")
        written |= stage.writes


class Pipeline:
    def __init__(self, settings: Settings, resources: Optional[Resources] = None):
        self.settings = settings
        self.resources = resources or Resources.build(settings)
        r = self.resources
        self.language = LanguageStage(r.nlp, settings.batch_size, settings.max_chars)
        self.resolver = ActorResolver(r.gazetteer, r.dictionary)
        events = EventCoder(r.gazetteer, r.dictionary, r.lexicon, r.event_model)
        self.stages: list[Stage] = [self.resolver, QuoteFinder(r.quote_model), events, StanceFinder(r.stance_model)]
        check_stages(self.language, self.stages)

    @classmethod
    @lru_cache(maxsize=4)
    def get(cls, settings: Settings) -> "Pipeline":
        """The pipeline for ``settings``, built once per process."""
        return cls(settings)

    @property
    def nlp(self) -> Language:
        return self.resources.nlp

    def code_text(self, text: str, date: Optional[str] = None, id: Optional[str] = None,
                  title: Optional[str] = None, clean: bool = True) -> Article:
        """Code one text; a stage's exception is raised (a Failure carries it in a stream). With ``clean``
        off, the text is coded as it is (no dateline or boilerplate removed: offsets stay those of ``text``)."""
        article_id = id or hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        article = Article(id=article_id, text=text, date=date, title=title, input="<text>")
        coded = next(self.code_articles([clean_article(article) if clean else article]))
        if isinstance(coded, Failure):
            raise RuntimeError(str(coded))
        return coded

    def code_articles(self, articles: Iterable[Article]) -> Iterator[Union[Article, Failure]]:
        """Code a stream of ingested articles, keeping their order; an article a stage fails on comes
        out as a Failure in its place.

        Articles are parsed and coded ``ZONE_ARTICLES`` at a time inside a spaCy memory zone: the
        words their parses added to the vocabulary are freed once they are coded (coded articles
        keep no spaCy object), so the memory of a long run does not grow with its vocabulary."""
        dated = (self.with_default_date(a) for a in articles)
        while group := list(islice(dated, ZONE_ARTICLES)):
            with self.nlp.memory_zone():
                coded = [a if isinstance(a, Failure) else self.code_parsed(a) for a in self.language.parse(group)]
            yield from coded

    def code_parsed(self, article: Article) -> Union[Article, Failure]:
        """Run the stages after the language stage; the working state is cleared in any case."""
        stage = None
        try:
            for stage in self.stages:
                article = stage(article)
            return article
        except Exception as error:  # contained to this article: recorded, and the run goes on
            return Failure.caught(article, error, stage.name)
        finally:
            article.parse = None

    def run(self, paths: Iterable[str], stdin=None, keep: Optional[Keep] = None,
            seen: Optional[Callable[[str], bool]] = None, mapper: Optional["BatchMapper"] = None) -> Iterator[Coded]:
        """Read and code inputs, in input order: each comes out as a coded Article, a Failure (an
        input that could not be read, or an article a stage failed on) or a Duplicate; nothing
        raises for one bad input.

        ``keep(articles)`` (before coding, a batch at a time) gives for each article None to code
        it, or (id, similarity) of the stored or earlier article it repeats. ``seen(url)``: feed
        items known already, not fetched. ``mapper`` codes the batches (default: this process).
        """
        mapper = mapper or LocalMapper(self)
        size = mapper.batch_size or self.settings.batch_size
        queue: deque[Union[Failure, Batch]] = deque()  # in input order
        pending: list[Article] = []
        fields = dict(self.settings.fields) or None
        for item in read_inputs(paths, stdin=stdin, max_bytes=self.settings.max_bytes, fields=fields, seen=seen):
            failed = isinstance(item, Failure)
            if not failed:
                pending.append(item)
            if len(pending) >= size or (failed and pending):  # a failure waits for the articles before it
                queue.append(submit(mapper, pending, keep))
                pending = []
            if failed:
                queue.append(item)
            yield from drain(queue, mapper, mapper.in_flight)
        if pending:
            queue.append(submit(mapper, pending, keep))
        yield from drain(queue, mapper, -1)

    def lookup(self, text: str, date: Optional[str] = None, context: Optional[str] = None) -> Resolution:
        """How an actor phrase resolves (``communique actors lookup``)."""
        return lookup_actor(text, self.nlp, self.resolver, date, context)

    def with_default_date(self, article: Article) -> Article:
        if article.date or not self.settings.default_date:
            return article
        return replace(article, date=self.settings.default_date)


class BatchMapper(Protocol):
    """Codes batches of articles, here or elsewhere: ``submit`` starts one and returns a handle,
    ``result(handle)`` its coded articles (or Failures) in order. ``in_flight``: batches that may
    be under way at once before the run loop waits for the oldest; ``batch_size``: articles per
    batch (None: the settings')."""

    in_flight: int
    batch_size: Optional[int]

    def submit(self, articles: list[Article]) -> Any: ...

    def result(self, handle: Any) -> list[Union[Article, Failure]]: ...


class LocalMapper:
    """Codes each batch in this process, when it is submitted."""

    in_flight = 0
    batch_size = None

    def __init__(self, pipeline: Pipeline):
        self.pipeline = pipeline

    def submit(self, articles: list[Article]) -> list[Union[Article, Failure]]:
        return list(self.pipeline.code_articles(articles))

    def result(self, handle: list[Union[Article, Failure]]) -> list[Union[Article, Failure]]:
        return handle


@dataclass
class Batch:
    """Articles sent to a mapper (``handle``: None when every one is known), with ``keep``'s verdicts."""

    handle: Any
    verdicts: list[Optional[tuple[str, float]]]
    articles: list[Article]

    def under_way(self) -> bool:
        return self.handle is not None


def submit(mapper: BatchMapper, articles: list[Article], keep: Optional[Keep]) -> Batch:
    """Settle which articles are known (``keep``) and send the others to the mapper."""
    verdicts = keep(articles) if keep else [None] * len(articles)
    fresh = [a for a, of in zip(articles, verdicts, strict=True) if of is None]
    return Batch(mapper.submit(fresh) if fresh else None, verdicts, articles)


def drain(queue: deque, mapper: BatchMapper, limit: int) -> Iterator[Coded]:
    """Hand back the oldest entries: failures and known articles at once, a batch under way while
    more than ``limit`` batches are (all: -1)."""
    while queue:
        head = queue[0]
        under_way = sum(isinstance(e, Batch) and e.under_way() for e in queue)
        if isinstance(head, Batch) and head.under_way() and 0 <= limit and under_way <= limit:
            return
        queue.popleft()
        if isinstance(head, Failure):
            yield head
            continue
        coded = iter(mapper.result(head.handle) if head.under_way() else [])
        for article, of in zip(head.articles, head.verdicts, strict=True):
            yield next(coded) if of is None else Duplicate(article, *of)
