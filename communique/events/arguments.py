"""Who did it and to whom: source and target actors from the dependency parse.

A token stands for the actors of the mention that covers it (the actors stage's
``actor_at``), the actors it is coordinated with ("Jordan and Britain"), the
speaker for a first-person pronoun inside a quote, or the article's two main
countries for "the two countries" / "both sides".
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Token

from ..lexicons.dictionary import Dictionary
from ..model import Actor, Article

ADJECTIVAL_PASSIVES = {"oppose", "commit", "determine", "prepare", "dedicate", "engage"}
FIRST_PERSON = {"i", "me", "my", "we", "us", "our"}
COLLECTIVE = {"group", "party", "movement", "member", "force", "people", "supporter", "fighter", "faction",
              "organization", "organisation", "union", "association", "front", "alliance", "network", "camp"}
PAIR_NOUNS = {"country", "side", "nation", "state", "government", "leader", "president"}
RELATION_NOUNS = {"relation", "relations", "tie", "ties", "cooperation", "partnership", "alliance", "coalition",
                  "friendship", "bond", "link", "trade", "union", "front", "bloc"}
SUBJECT_CLIMB = ("xcomp", "conj", "advcl", "ccomp", "acl", "relcl", "pcomp", "prep", "acomp")


@dataclass
class Context:
    """What the events stage reads of the earlier stages, for one article."""

    article: Article
    dictionary: Dictionary
    actors: list[Actor]  # the article's actors
    actor_at: dict[int, Actor]  # token index -> the actor mentioned there
    speakers: list[tuple[int, int, Actor]]  # (start, end, speaker) of quoted and reported contents
    pair: Optional[tuple[str, str]]
    sole_country: Optional[str] = None
    main_country: Optional[str] = None  # the country most of the article's placed mentions are of, if any
    unresolved: dict[int, Actor] = field(default_factory=dict)
    relations: dict[int, list[Actor]] = field(default_factory=dict)  # token -> its participants, once found
    _speaker_index: Optional[tuple] = field(default=None, repr=False)  # see speaker_index()
    _countries: dict[Optional[str], list[Actor]] = field(default_factory=dict, repr=False)  # see country_actors()

    @classmethod
    def of(cls, article: Article, dictionary: Dictionary) -> "Context":
        parse = article.parse
        return cls(article, dictionary, article.actors, parse.actor_at, parse.speakers, parse.pair,
                   parse.sole_country, parse.main_country)

    def speaker(self, tok: Token) -> Optional[Actor]:
        """The speaker of the quote or reported clause that contains ``tok`` (the innermost), if known.

        The quotes stage's spans do not overlap: sorted once, the one that may hold ``tok`` is found
        by bisection (the events stage asks for every token); overlapping spans are searched in full.
        """
        if self._speaker_index is None:
            self._speaker_index = speaker_index(self.speakers)
        starts, spans = self._speaker_index
        if starts is None:
            inside = [(e - s, a.id, a) for s, e, a in spans if s <= tok.idx < e]
            return min(inside, key=lambda item: item[:2])[2] if inside else None
        k = bisect_right(starts, tok.idx) - 1
        return spans[k][2] if k >= 0 and tok.idx < spans[k][1] else None

    def pair_actors(self) -> list[Actor]:
        if not self.pair:
            return []
        return [a for code in self.pair for a in self.country_actors(code)]

    def country_actors(self, code: Optional[str]) -> list[Actor]:
        """The article's actors of kind "country" of ``code``, in order (listed once per code: every
        "both sides" and every event without a target asks for them)."""
        if code not in self._countries:
            self._countries[code] = [a for a in self.actors if a.kind == "country" and a.country == code]
        return list(self._countries[code])


def speaker_index(speakers: list[tuple[int, int, Actor]]) -> tuple[Optional[list[int]], list[tuple[int, int, Actor]]]:
    """(starts, spans): the speakers' spans sorted, with their starts, when no two overlap; else
    (None, the spans as they are)."""
    spans = sorted(speakers, key=lambda span: (span[0], span[1], span[2].id))
    if any(a[1] > b[0] for a, b in zip(spans, spans[1:], strict=False)):
        return None, speakers
    return [s for s, _, _ in spans], spans


def actors_of(tok: Token, ctx: Context) -> list[Actor]:
    """The actors a noun phrase headed by ``tok`` refers to, coordination included."""
    found = own_actors(tok, ctx)
    for conj in tok.conjuncts:
        found += own_actors(conj, ctx)
    return unique(found)


def own_actors(tok: Token, ctx: Context) -> list[Actor]:
    if tok.i in ctx.actor_at:
        return [ctx.actor_at[tok.i]]
    if tok.lower_ in FIRST_PERSON:
        speaker = ctx.speaker(tok)
        return [speaker] if speaker else []
    if is_pair_phrase(tok):
        return ctx.pair_actors()
    for dep in ("compound", "amod", "poss"):  # "Iranian airline Mahan Air", "the Turkish and Greek sides"
        found = [ctx.actor_at[m.i] for c in tok.children if c.dep_ == dep
                 for m in [c] + list(c.conjuncts) + ([g for g in c.children if g.dep_ == "compound"]
                                                     if dep == "compound" else [])
                 if m.i in ctx.actor_at]
        if found:
            return unique(found)
    if tok.lower_ in ("its", "their") and tok.dep_ == "poss":  # "the diplomats held their meeting"
        return owner_as_subject(tok, ctx)
    found = complement_actors(tok, ctx)
    if found:
        return found
    unresolved = unresolved_actor(tok, ctx)
    return [unresolved] if unresolved else []


def owner_as_subject(pronoun: Token, ctx: Context) -> list[Actor]:
    """An unresolved "its"/"their" owns what the subject of its clause owns."""
    verb = pronoun.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < pronoun.i]
    return actors_of(subjects[0], ctx) if subjects else []


def complement_actors(tok: Token, ctx: Context) -> list[Actor]:
    """Whose a noun is by its complement: "a group of Moroccan diplomats", "the withdrawal of
    Serbian forces", "an admission by Moscow", "doctors from American aid groups", "crimes
    committed by Croat forces"."""
    if tok.pos_ not in ("NOUN", "PROPN", "NUM") or tok.ent_type_ not in ("", "CARDINAL"):
        return []
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "by", "from"):
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                found = actors_of(pobj, ctx)
                if found and found[0].country:
                    return found
        if child.dep_ == "acl" and child.tag_ == "VBN":
            for agent in (c for c in child.children if c.dep_ == "agent"):
                for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                    return actors_of(pobj, ctx)
    return []


def unresolved_actor(tok: Token, ctx: Context) -> Optional[Actor]:
    """A named or titled party the actors stage could not place in a country ("President
    Mugabe", "opposition groups", "the Nigerian Union of Teachers"): kept, its country the
    article's only country when the article names one and the party's name holds no place or
    nationality the gazetteer does not know (those may well be foreign)."""
    if tok.i in ctx.unresolved:
        return ctx.unresolved[tok.i]
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    dictionary = ctx.dictionary
    words = [t for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("det", "punct", "case", "poss")
             and not t.is_punct and (t.i == tok.i or t.head.i == tok.i or t.head.head.i == tok.i)]
    title = dictionary.title([tok.lemma_.lower()]) or dictionary.title([tok.lower_])
    modifier_title = next((dictionary.title([t.lower_]) for t in words if t.i != tok.i
                           and dictionary.title([t.lower_])), None)
    named = tok.ent_type_ in ("ORG", "PERSON", "NORP", "FAC") or (tok.pos_ == "PROPN" and not tok.ent_type_)
    if not (named or title or (modifier_title and tok.lemma_.lower() in COLLECTIVE)):
        return None
    sector = (title or modifier_title).sector if (title or modifier_title) else None
    foreign_name = any(t.ent_type_ in ("NORP", "GPE", "FAC") for t in words)  # an unknown place or people
    if ctx.sole_country and not foreign_name:
        country, reason = ctx.sole_country, "the only country the article names"
    elif ctx.main_country and not foreign_name:
        country, reason = ctx.main_country, "the country most of the article's mentions are of"
    else:
        country, reason = None, "no country in the text"
    actor = Actor(id=-1 - tok.i, name=" ".join(t.text for t in words), kind="unresolved", country=country,
                  sector=sector, reason=reason)
    ctx.unresolved[tok.i] = actor
    return actor


def is_pair_phrase(tok: Token) -> bool:
    """ "the two countries", "both sides" """
    if tok.lemma_.lower() not in PAIR_NOUNS or tok.tag_ not in ("NNS", "NNPS"):
        return False
    return any(c.lower_ in ("two", "both") for c in tok.children)


def subject_of(verb: Token) -> Optional[Token]:
    """The active subject of ``verb`` or of the clause it depends on. A passive subject is not
    an agent: it ends the search without a subject."""
    for _ in range(4):
        for child in verb.children:
            if child.dep_ == "nsubj":
                return child
            if child.dep_ in ("nsubjpass", "expl"):
                return None
        if verb.dep_ in SUBJECT_CLIMB and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    return None


def sources_of(verb: Token, ctx: Context, speaker_may_act: bool = False) -> tuple[list[Actor], str]:
    """The actors doing ``verb``, and how they were found.

    With no subject in the clause, the speaker of a reported or quoted clause is the source
    only where ``speaker_may_act``: an intent the speaker states ("relations should be
    strengthened"), not an act the speaker reports ("soldiers had been killed").
    """
    agent = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if agent:
        return actors_of(agent[0], ctx), "passive agent"
    if verb.lemma_.lower() in ADJECTIVAL_PASSIVES:  # "Israel is opposed to ...": the subject acts
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return actors_of(subjects[0], ctx), "subject"
    subject = subject_of(verb)
    if subject is not None:
        return actors_of(subject, ctx), "subject"
    speaker = ctx.speaker(verb)
    if speaker is not None and speaker_may_act:
        return [speaker], "speaker of the reported clause"
    return [], "none"


def objects_of(verb: Token) -> list[Token]:
    """Direct objects, or the passive subject, of ``verb``."""
    passive_subject = "nsubjpass" if verb.lemma_.lower() not in ADJECTIVAL_PASSIVES else "-"
    objs = [c for c in verb.children if c.dep_ in ("dobj", passive_subject)]
    if not objs:  # "attacked and bombed Gaza": coordinated verbs share the object
        objs = [c for conj in verb.conjuncts if conj.i > verb.i for c in conj.children if c.dep_ == "dobj"][:1]
    if not objs and verb.dep_ in ("relcl", "acl") and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN"):
        objs = [verb.head]
    return objs


def prep_objects(tok: Token, word: str) -> list[Token]:
    return [p for c in tok.children if c.dep_ == "prep" and c.lower_ == word for p in c.children
            if p.dep_ == "pobj"]


def targets_of(verb: Token, roles: tuple[str, ...], ctx: Context, modifiers: Optional[list[Token]] = None) -> list[Actor]:
    """The first actors found in the trigger's target roles ("dobj", "prep:with", ...)."""
    objs = objects_of(verb)
    preps = [c for t in [verb] + objs for c in t.children if c.dep_ == "prep"]
    preps += [c for c in modifiers or [] if c.dep_ == "prep" and c not in preps]
    datives = [c for c in verb.children if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN")]
    for role in ("dative",) + tuple(roles):
        if role == "dative":
            heads = datives
        elif role == "dobj":
            heads = objs
        else:
            heads = [p for c in preps if c.lower_ == role[5:] for p in c.children if p.dep_ == "pobj"]
        for head in heads:
            relation = head.lemma_.lower() in RELATION_NOUNS and head.i not in ctx.actor_at  # not "... Front"
            found = participants(head, ctx) if relation else actors_of(head, ctx)
            if found:
                return found
    return []


def participants(noun: Token, ctx: Context) -> list[Actor]:
    """The parties of a relation ("relations between Iran and Cuba", "ties with X", "these relations").

    Found once per noun (``ctx.relations``): "these relations" asks each earlier "relations" of its
    sentence, which ask theirs, so that unremembered the questions double with each one."""
    if noun.i not in ctx.relations:
        ctx.relations[noun.i] = relation_parties(noun, ctx)
    return list(ctx.relations[noun.i])


def relation_parties(noun: Token, ctx: Context) -> list[Actor]:
    for word in ("between", "with", "among"):
        for pobj in prep_objects(noun, word):
            found = actors_of(pobj, ctx)
            if found:
                return found
    det = [c.lower_ for c in noun.children if c.dep_ in ("det", "poss")]
    if any(d in ("these", "those", "this", "that", "the", "their", "our", "bilateral") for d in det) or not det:
        for other in noun.sent:
            if other.i < noun.i and other.lemma_.lower() == noun.lemma_.lower():
                found = participants(other, ctx)
                if found:
                    return found
        return ctx.pair_actors() if det else []
    return []


def unique(actors: list[Actor]) -> list[Actor]:
    seen, out = set(), []
    for a in actors:
        if a.id not in seen:
            seen.add(a.id)
            out.append(a)
    return out
