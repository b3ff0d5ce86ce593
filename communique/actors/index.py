"""The actors stage's index of one article under construction: its actors, which tokens
mention which, and what the text says about each person. Shared by :mod:`.resolve` and
:mod:`.coref`, which build it."""
from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field
from typing import Optional, Protocol

from spacy.tokens import Doc, Span, Token

from ..lexicons.dictionary import Dictionary
from ..lexicons.gazetteer import Gazetteer, Place
from ..model import Actor


SUBJECT_DEPS = {"nsubj", "nsubjpass"}


def is_subject(tok: Token) -> bool:
    return tok.dep_ in SUBJECT_DEPS or (tok.dep_ in ("appos", "conj", "compound") and tok.head.dep_ in SUBJECT_DEPS)


class Lexicons(Protocol):
    """What coreference asks of the resolver: its tables, and the country a phrase names."""

    gazetteer: Gazetteer
    dictionary: Dictionary

    def country_in(self, tokens: list[Token], groups: bool = False) -> Optional[Place]: ...


@dataclass
class PersonInfo:
    """What the text says about a person actor: titles, descriptions, gender."""

    surname: str
    gender: Optional[str] = None
    titles: set[str] = field(default_factory=set)
    descriptions: list[set[str]] = field(default_factory=list)
    deceased: bool = False


class ActorIndex:
    """The article's actors under construction, and which tokens mention which."""

    def __init__(self, doc: Doc, date: Optional[str] = None):
        self.doc = doc
        self.date = date
        self.actors: list[Actor] = []
        self.by_key: dict[tuple, Actor] = {}
        self.persons: dict[int, PersonInfo] = {}
        self.actor_at: dict[int, int] = {}
        self.mention_order: list[tuple[int, int]] = []  # (token index of head, actor id)
        # mention_order read by token (actor ids of the heads at a token) and by actor (its heads'
        # token indices, sorted; those that are subjects): coreference asks who was mentioned
        # in a sentence or last before a token, for every pronoun and title
        self.heads_at: dict[int, list[int]] = {}
        self.heads_of: dict[int, list[int]] = {}
        self.subject_heads_of: dict[int, list[int]] = {}
        self.mention_set: dict[int, set[tuple[int, int]]] = {}  # actor id -> its mentions, as a set
        self.ambiguous: list[tuple[Span, Place]] = []  # town names of several countries

    def get(self, key: tuple, **fields) -> Actor:
        actor = self.by_key.get(key)
        if actor is None:
            actor = Actor(id=len(self.actors), **fields)
            self.actors.append(actor)
            self.by_key[key] = actor
        return actor

    def mention(self, actor: Actor, span: Span, head: Optional[Token] = None) -> None:
        """Record ``span`` as a mention of ``actor``; tokens already taken stay with their actor."""
        free = [t.i for t in span if t.i not in self.actor_at]
        if not free:
            return
        for i in free:
            self.actor_at[i] = actor.id
        start, end = span.start_char, span.end_char
        known = self.mention_set.setdefault(actor.id, set())
        if (start, end) not in known:
            known.add((start, end))
            actor.mentions.append((start, end))
        i = (head or span.root).i
        self.mention_order.append((i, actor.id))
        self.heads_at.setdefault(i, []).append(actor.id)
        insort(self.heads_of.setdefault(actor.id, []), i)
        if is_subject(self.doc[i]):
            insort(self.subject_heads_of.setdefault(actor.id, []), i)

    def actor_of(self, token: Token) -> Optional[Actor]:
        i = self.actor_at.get(token.i)
        return None if i is None else self.actors[i]


def content_words(span: Span) -> set[str]:
    return {t.lemma_.lower() for t in span if not (t.is_stop or t.is_punct or t.pos_ == "DET")}
