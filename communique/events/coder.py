"""Events stage: PLOVER events with CAMEO codes from the dependency parse.

Reads ``article.parse`` with the actors and quotes stages' working state
(``actor_at``, ``speakers``, ``pair``, ``sole_country``), ``article.actors``,
``article.quotes`` and ``article.date``; writes ``article.events`` and ties quotes to
their events (``Quote.events``).

The rules propose candidates and find their arguments; with a model (:mod:`.learned`), every
other verb and act noun is an open candidate too, the role model picks source and target among
the arguments, and the type model decides whether a candidate is a codable event and of which type
(recorded in ``reason`` where it differs from the rule's). The rules, each recorded in the event's
``reason`` (docs/events.md says more):

- a trigger verb (``triggers.tsv``: lemma, required objects, CAMEO code) with its
  subject as source and its object, dative or prepositional object as target;
  negated, conditional and questioned clauses are not coded, except that a negated
  acceptance is a rejection; a modal or promised act is coded with the trigger's
  intent code (intent to cooperate is AGREE, not COOPERATE);
- an event noun with its owner ("his meeting with X") or as the object of a light
  verb ("launched an investigation into X");
- evaluative speech: a speaker who calls what an actor does by a condemning word
  ("Western bullying") or takes a position "against" an actor criticises that actor;
- obligations in reported speech ("declared that China must ...") are demands.
"""
from __future__ import annotations

import heapq
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterator, Optional

import numpy as np
from spacy.tokens import Doc, Span, Token

from ..lexicons.dictionary import Dictionary
from ..lexicons.gazetteer import Gazetteer
from ..lexicons.words import speech_verbs
from ..model import Actor, Article, Event, Location
from ..resources import dense_vector
from .arguments import Context, actors_of, objects_of, prep_objects, sources_of, targets_of, unique
from .dates import resolve_date
from .learned import NONE, EventModel, argument_tokens, candidate_features, role_features, verb_senses
from .lexicon import Lexicon, Trigger

MODALS = {"will", "would", "can", "could", "should", "may", "might", "must", "shall", "ca", "wo"}
CONDITIONALS = {"if", "unless", "whether"}
SYMMETRIC = {"CONSULT", "COOPERATE", "AGREE"}
DIRECTED = {"PROTEST", "COERCE", "THREATEN", "REQUEST", "ACCUSE", "REJECT", "SANCTION", "ASSAULT", "MOBILIZE",
            "CONCEDE", "RETREAT"}
REFUSABLE = {"AGREE", "SUPPORT", "CONCEDE"}
OBLIGATION = {"must": "100", "should": "020", "ought": "020"}
CIVIL_SECTORS = {"CVL", "OPP", "LAB", "EDU", "AGR", "REF", "REL", "JRN", "MED", "BUS", "SOC"}
PARTITIVES = {"part", "some", "all", "most", "much", "half", "portion", "rest", "parts", "bulk", "state"}
COMPLEMENT_ROLES = ("dobj", "prep:with", "prep:to", "prep:on", "prep:against", "prep:for")
LOCATION_PREPS = ("in", "at")
PLACE_KINDS = ("city", "capital", "country", "region")
# Candidates whose parties and type the rule defines (a speaker condemning, a demand in reported speech, a
# refusal): the model only decides whether they hold.
FIXED_KINDS = frozenset({"evaluative", "obligation", "refusal"})


@dataclass
class Candidate:
    code: str
    trigger: Token
    sources: list[Actor]
    targets: list[Actor]
    reason: str
    confidence: float
    modifiers: list[Token]  # the tokens whose dates and places are the event's
    default_target: bool = False  # the target is the place's country, not a party named as target
    kind: str = "verb"  # the rule that proposed it: verb, noun, open, evaluative, obligation, refusal
    intent: bool = False  # a modal, promised or planned act
    how: str = ""  # how the source was found


class EventCoder:
    """The events stage: ``coder(article) -> article``."""

    name = "events"
    reads = frozenset({"parse.doc", "parse.actor_at", "parse.speakers", "parse.pair", "parse.sole_country",
                       "parse.main_country", "actors", "quotes", "date"})
    writes = frozenset({"events", "quotes"})
    # verbs that are no open candidate: modifiers, and gerunds after a preposition, which name an activity
    # ("especially in dealing with") more often than an event. The type model still trains on the latter
    # (tools/train_events.py): on dev, training on them and skipping them here did best.
    skipped_verbs: tuple[str, ...] = ("amod", "compound", "pcomp")

    def __init__(self, gazetteer: Gazetteer, dictionary: Dictionary, lexicon: Lexicon,
                 model: Optional[EventModel] = None):
        """``model``: the learned judge of candidates (:mod:`.learned`); without one, the rules' types stand."""
        self.gazetteer, self.dictionary, self.lexicon, self.model = gazetteer, dictionary, lexicon, model
        self.default_codes = default_codes(lexicon)

    def __call__(self, article: Article) -> Article:
        ctx = Context.of(article, self.dictionary)
        events: list[Event] = []
        for sent, ents in sentence_entities(article.parse.doc):
            if sent.text.rstrip().rstrip('"\u201d').endswith("?"):
                continue
            found = self.candidates(sent, ctx)
            if self.model is not None:
                found = self.judge(found, sent, ctx)
            events += self.to_events(found, sent, ents, ctx)
        article.events = events
        link_quotes(article)
        return article

    def candidates(self, sent: Span, ctx: Context) -> list[Candidate]:
        """What the rules propose in a sentence, and (with a model to judge them) the open candidates."""
        found: list[Candidate] = []
        for tok in sent:
            found += self.verb_events(tok, ctx) + self.noun_events(tok, ctx)
        found += evaluative_events(sent, ctx, self.lexicon)
        if self.model is not None:
            found += self.open_events(sent, {c.trigger.i for c in found}, ctx)
        return found

    def features(self, cand: Candidate, sent: Span, ctx: Context) -> list[str]:
        entry = self.lexicon.cameo.get(cand.code)
        return candidate_features(cand.trigger, sent, cand.kind, entry.plover_type if entry else None, cand.intent,
                                  cand.kind == "refusal" or not_asserted(cand.trigger), cand.sources, cand.targets,
                                  cand.how, ctx.speaker(cand.trigger) is not None)

    def judge(self, found: list[Candidate], sent: Span, ctx: Context) -> list[Candidate]:
        """The candidates the model takes for codable events, with the type and confidence it gives them
        (the rule's CAMEO code where the types agree, else the type's most general code)."""
        kept = []
        for cand in found:
            fixed = cand.kind in FIXED_KINDS
            if self.model.roles is not None and not fixed:
                self.assign_roles(cand, sent, ctx)
            feats, vector = self.features(cand, sent, ctx), dense_vector(cand.trigger)
            if fixed:  # the rule says who does what to whom; the model, whether it holds
                confidence = self.model.event_probability(feats, vector)
                if confidence < self.model.threshold:
                    continue
                cand.confidence = confidence
                kept.append(cand)
                continue
            etype, confidence = self.model.decide(feats, vector)
            if etype == NONE:
                continue
            entry = self.lexicon.cameo.get(cand.code)
            if entry is None or entry.plover_type != etype:
                cand.code = self.default_codes[etype]
                cand.reason += f"; model: {etype}"
            cand.confidence = confidence
            kept.append(cand)
        return kept

    def role_scores(self, trigger: Token, sent: Span, ctx: Context) -> list[tuple[Token, np.ndarray]]:
        """Each argument of the trigger with the role model's probabilities of ``ROLES``."""
        speaker = ctx.speaker(trigger)
        out = []
        for tok, path in argument_tokens(trigger, sent):
            actor = ctx.actor_at.get(tok.i)
            feats = role_features(trigger, tok, path, actor, speaker is not None and actor is speaker)
            out.append((tok, self.model.role_probabilities(feats)))
        return out

    def assign_roles(self, cand: Candidate, sent: Span, ctx: Context) -> None:
        """The source and target the role model finds among the trigger's arguments, where it is sure
        enough (``role_threshold``); the rules' choice stands for a side it is not sure of."""
        scored = self.role_scores(cand.trigger, sent, ctx)
        threshold = self.model.role_threshold
        source = max(scored, key=lambda s: s[1][1], default=None)
        if source is not None and source[1][1] >= threshold:
            found = actors_of(source[0], ctx)
            if found:
                cand.sources, cand.how = found, "role model"
        rest = [s for s in scored if source is None or s[0].i != source[0].i or source[1][1] < threshold]
        target = max(rest, key=lambda s: s[1][2], default=None)
        if target is not None and target[1][2] >= threshold:
            found = [a for a in actors_of(target[0], ctx) if a not in cand.sources]
            if found:
                cand.targets = found

    def open_events(self, sent: Span, taken: set[int], ctx: Context) -> list[Candidate]:
        """Every other verb, and the nouns that name an act (the CAMEO verb dictionary's verbs used as nouns,
        "attack", "visit"; the trigger table's event nouns), with the actors their clause names: the
        model decides whether and what they code."""
        found = []
        senses = verb_senses()
        for tok in sent:
            if tok.i in taken:
                continue
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" and tok.dep_ not in self.skipped_verbs:
                intent = is_intended(tok, self.lexicon.intent_words)
                sources, how = sources_of(tok, ctx, speaker_may_act=intent)
                targets = targets_of(tok, COMPLEMENT_ROLES, ctx) or complement_targets(tok, ctx)
                modifiers = clause_modifiers(tok)
            elif tok.pos_ == "NOUN" and (lemma in senses or self.lexicon.triggers(lemma, "noun")):
                intent = False
                owners = [c for c in tok.children if c.dep_ == "poss"]
                sources, how = (actors_of(owners[0], ctx), "owner") if owners else ([], "none")
                modifiers = noun_modifiers(tok)
                targets = targets_of(tok, COMPLEMENT_ROLES[1:], ctx, modifiers)
            else:
                continue
            reason = f"{tok.pos_.lower()} '{trigger_phrase(tok)}' (open); source: {how}"
            found.append(Candidate("", tok, sources, targets, reason, 0.5, modifiers, kind="open", intent=intent,
                                   how=how))
        return found

    # -- rules ----------------------------------------------------------------------------
    def verb_events(self, verb: Token, ctx: Context) -> list[Candidate]:
        if verb.pos_ != "VERB" or verb.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj"):
            return []  # "evacuated the wounded": a participle used as a noun
        found = self.obligation_events(verb, ctx) if is_speech(verb) else []
        trigger = self.match(verb)
        if trigger is None or under_trigger(verb, self.lexicon) or self.names_event_object(verb):
            return found
        if not_asserted(verb):
            return found + self.refusal_events(verb, trigger, ctx)
        intent = is_intended(verb, self.lexicon.intent_words)
        sources, how = sources_of(verb, ctx, speaker_may_act=intent)
        modifiers = clause_modifiers(verb)
        targets = targets_of(verb, trigger.targets, ctx) or complement_targets(verb, ctx)
        code = trigger.intent if intent else verbal_code(verb, trigger.code, self.lexicon)
        code = civil_code(code, sources)
        confidence = 0.45 + (0.25 if how in ("subject", "passive agent") else 0.1) + (0.2 if targets else 0)
        reason = f"verb '{trigger_phrase(verb)}' ({'intent' if intent else 'realised'}); source: {how}"
        return found + [Candidate(code, verb, sources, targets, reason, confidence, modifiers, intent=intent, how=how)]

    def names_event_object(self, verb: Token) -> bool:
        """A light verb whose object names the event ("ordered patrols", "called a strike"): the
        noun is coded (:meth:`noun_events`), not the verb's own sense."""
        if any(c.dep_ == "prt" for c in verb.children):  # "called off a strike" is about the strike
            return False
        return verb.lemma_.lower() in self.lexicon.light_verbs and any(
            c.dep_ == "dobj" and self.lexicon.triggers(c.lemma_.lower(), "noun") for c in verb.children)

    def refusal_events(self, verb: Token, trigger: Trigger, ctx: Context) -> list[Candidate]:
        """A negated acceptance, agreement or concession is a rejection ("Syria will not accept
        more refugees"); other negated acts did not happen and are not coded."""
        entry = self.lexicon.cameo.get(trigger.code)
        if entry is None or entry.plover_type not in REFUSABLE or any(m.dep_ == "mark" for m in verb.children):
            return []
        sources, how = sources_of(verb, ctx)
        targets = targets_of(verb, trigger.targets, ctx)
        reason = f"negated '{trigger_phrase(verb)}' ({entry.plover_type}): a rejection; source: {how}"
        return [Candidate("120", verb, sources, targets, reason, 0.6, list(verb.children), kind="refusal", how=how)]

    def obligation_events(self, verb: Token, ctx: Context) -> list[Candidate]:
        """A speaker saying another actor must or should act demands or asks it of them
        ("The administration declared that China must drop barriers")."""
        found = []
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            modal = [c.lower_ for c in clause.children if c.dep_ == "aux" and c.lower_ in OBLIGATION]
            subject = [c for c in clause.children if c.dep_ == "nsubj"]
            if not modal or not subject or not_asserted(clause):
                continue
            sources, how = sources_of(verb, ctx)
            targets = [a for a in actors_of(subject[0], ctx) if a not in sources]
            if sources and targets:
                code = OBLIGATION[modal[0]]
                reason = f"'{verb.text} ... {modal[0]}': {'demand' if code == '100' else 'appeal'}; source: {how}"
                found.append(Candidate(code, verb, sources, targets, reason, 0.6, list(verb.children),
                                       kind="obligation", how=how))
        return found

    def noun_events(self, noun: Token, ctx: Context) -> list[Candidate]:
        """An event noun with its owner ("his meeting with X") or as the object of a light verb
        ("launched an investigation into X", "staged a rally against Y", "undertook a mediation
        mission between X and Y": the noun or a noun compounded with it names the event)."""
        verb = noun.head
        engaged_in = noun.dep_ == "pobj" and verb.lower_ == "in" and verb.head.lemma_.lower() == "engage"
        if noun.pos_ != "NOUN" and not engaged_in:
            return []
        owners = [c for c in noun.children if c.dep_ == "poss"]
        if engaged_in:
            verb = verb.head  # "were engaged in ethnic cleansing", "engaged in fighting with X"
        light = engaged_in or (noun.dep_ == "dobj" and verb.lemma_.lower() in self.lexicon.light_verbs)
        keys = [noun] + ([c for c in noun.children if c.dep_ == "compound"] if light and not owners else [])
        triggers = [t for k in keys for w in dict.fromkeys((k.lower_, k.lemma_.lower()))
                    for t in self.lexicon.triggers(w, "noun")]
        if not triggers:
            return []
        if owners:
            sources, intent = actors_of(owners[0], ctx), False
            reason = f"noun '{noun.text}' with owner '{owners[0].text}'"
        elif light and not not_asserted(verb):
            intent = is_intended(verb, self.lexicon.intent_words)
            sources, how = sources_of(verb, ctx, speaker_may_act=intent)
            reason = f"'{verb.text} {noun.text}' ({'intent' if intent else 'realised'}); source: {how}"
        else:
            return []
        modifiers = noun_modifiers(noun)
        targets = targets_of(noun, triggers[0].targets, ctx, modifiers)
        code = triggers[0].intent if intent else triggers[0].code
        return [Candidate(code, noun, sources, targets, reason, 0.6, modifiers, kind="noun", intent=intent)]

    def match(self, verb: Token) -> Optional[Trigger]:
        particle = [c.lower_ for c in verb.children if c.dep_ == "prt"
                    and not (c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ == "to")]  # "up to 16": no particle
        preps = [c.lower_ for c in verb.children if c.dep_ == "prep"]
        options = []
        for lemma in lemma_keys(verb):
            options += [t for p in particle + preps for t in self.lexicon.triggers(f"{lemma} {p}")]
            if not particle:  # a phrasal verb means something else: "give up" is no "give"
                options += self.lexicon.triggers(lemma)
        objects = {w for o in object_words(verb) for w in (o.lemma_.lower(), o.lower_)}
        for trig in options:
            if not trig.objects or trig.objects & objects:
                return trig
        return None

    # -- from candidates to events ----------------------------------------------------------
    def to_events(self, found: list[Candidate], sent: Span, ents: list[Span], ctx: Context) -> list[Event]:
        """Events of the sentence's candidates (``ents``: the entities inside the sentence)."""
        events, seen = [], set()
        for cand in found:
            entry = self.lexicon.cameo.get(cand.code)
            if entry is None or not entry.plover_type:
                continue
            if not cand.targets:
                cand.targets = default_targets(cand, entry.plover_type, ctx)
                cand.default_target = bool(cand.targets)
            for source, target in pairs(cand, entry.plover_type, ctx):
                key = (entry.plover_type, key_of(source), key_of(target))
                raw = pair_confidence(cand, source, target)
                if key in seen or (self.model is not None and raw < self.model.threshold):
                    continue
                seen.add(key)
                date, historical = self.date_of(cand.modifiers, ents, ctx.article.date)
                events.append(Event(
                    type=entry.plover_type, mode=entry.plover_mode, context=entry.plover_context,
                    cameo=entry.code, goldstein=entry.goldstein, quad_class=entry.quad_class,
                    source=source.ref() if source else None, target=target.ref() if target else None,
                    sentence=sent.text.strip(), span=strip_span(sent), trigger=cand.trigger.text,
                    trigger_span=(cand.trigger.idx, cand.trigger.idx + len(cand.trigger.text)),
                    location=self.location_of(cand.modifiers, ctx, historical), date=date, historical=historical,
                    confidence=self.model.calibrated(raw) if self.model is not None else raw,
                    reason=cand.reason, source_span=mention_in(source, sent, cand.trigger),
                    target_span=mention_in(target, sent, cand.trigger)))
        return events

    def location_of(self, modifiers: list[Token], ctx: Context, historical: bool) -> Optional[Location]:
        """A place named in the event's clause, else (for a current event) the dateline's."""
        for prep in modifiers:
            if prep.dep_ == "prep" and prep.lower_ in LOCATION_PREPS:
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    place = self.gazetteer.lookup(pobj_text(pobj))
                    if place and place.kind in PLACE_KINDS:
                        actor = ctx.actor_at.get(pobj.i)
                        if actor is not None and actor.kind == "country" and actor.country != place.iso3:
                            return Location(place.name, actor.country)  # a namesake the article settled
                        return Location(place.name, place.iso3, place.lat, place.lon)
        if historical or not ctx.article.place:
            return None
        place = self.gazetteer.lookup(ctx.article.place)
        if place and place.kind in PLACE_KINDS:
            return Location(ctx.article.place, place.iso3, place.lat, place.lon)
        return None

    def date_of(self, modifiers: list[Token], ents: list[Span], article_date: Optional[str]) -> tuple[Optional[str], bool]:
        """The date of the first date or time entity of the sentence (``ents``) attached to the modifiers."""
        for ent in ents:
            if ent.label_ in ("DATE", "TIME") and attached_to(ent.root, modifiers):
                date, historical = resolve_date(ent.text, article_date)
                if date or historical:
                    return date or None, historical
        return article_date, False


def mention_in(actor: Optional[Actor], sent: Span, trigger: Token) -> Optional[tuple[int, int]]:
    """The actor's mention in the sentence nearest the trigger (an unresolved party: its phrase)."""
    if actor is None:
        return None
    if actor.id < 0:  # an unresolved party, named by the token at -1 - id
        tok = sent.doc[-1 - actor.id]
        return tok.left_edge.idx if tok.left_edge.i >= sent.start else tok.idx, tok.idx + len(tok.text)
    mentions = actor.mentions  # in text order (the actors stage sorts them): the sentence's by bisection
    inside = mentions[bisect_left(mentions, (sent.start_char,)):bisect_left(mentions, (sent.end_char,))]
    return min(inside, key=lambda m: abs(m[0] - trigger.idx)) if inside else None


def default_codes(lexicon: Lexicon) -> dict[str, str]:
    """Each PLOVER type's most general CAMEO code (the shortest, then the lowest)."""
    codes: dict[str, str] = {}
    for code in sorted(lexicon.cameo, key=lambda c: (len(c), c)):
        codes.setdefault(lexicon.cameo[code].plover_type, code)
    return codes


def sentence_entities(doc: Doc) -> Iterator[tuple[Span, list[Span]]]:
    """Each sentence with the entities inside it, as ``sent.ents`` gives them (which reads all the
    document's entities at each call): one pass over both."""
    ents, k = list(doc.ents), 0
    for sent in doc.sents:
        while k < len(ents) and ents[k].start < sent.start:
            k += 1
        end = k
        while end < len(ents) and ents[end].end <= sent.end:
            end += 1
        yield sent, ents[k:end]


def evaluative_events(sent: Span, ctx: Context, lexicon: Lexicon) -> list[Candidate]:
    """A speaker condemning what an actor does, or taking a position against an actor."""
    found = []
    for tok in sent:
        speaker = ctx.speaker(tok)
        lemma = tok.lemma_.lower()
        negated = any(c.dep_ in ("det", "neg") and c.lower_ in ("no", "not") for c in tok.children)
        if lemma in lexicon.pejoratives and speaker is not None and not negated and not not_asserted(tok.head):
            noun = tok if tok.pos_ in ("NOUN", "PROPN") else tok.head
            targets = [a for a in attributed_to(noun, ctx) if a.id != speaker.id]
            if not targets and lemma not in lexicon.condemnations:
                continue
            reason = f"speaker condemns: '{tok.text}'"
            found.append(Candidate("111", tok, [speaker], targets, reason, 0.4 + (0.15 if targets else 0),
                                   list(noun.children), kind="evaluative"))
        elif tok.lower_ == "against" and tok.head.lemma_.lower() in lexicon.opposition_heads:
            sources = [speaker] if speaker else actors_of_subject(tok.head, ctx)
            for pobj in (c for c in tok.children if c.dep_ == "pobj"):
                targets = [a for a in actors_of(pobj, ctx) if a not in sources]
                reason = f"position '{tok.head.text} against'"
                found.append(Candidate("110", tok, sources, targets, reason, 0.55, list(tok.head.children),
                                       kind="evaluative"))
    return [c for c in found if c.sources]


def complement_targets(verb: Token, ctx: Context, depth: int = 2) -> list[Actor]:
    """The target of the clause a request, threat or promise is about: the subject of a
    "that"-clause ("demanded that the DPRK forsake ..."), else that clause's or an infinitive's
    object ("threatened to stop negotiations with X", "is willing to send material to help
    defend Saudi Arabia")."""
    for child in verb.children:
        if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX"):
            subjects = [c for c in child.children if c.dep_ == "nsubj"]
            found = actors_of(subjects[0], ctx) if subjects else []
            if found:
                return found
        if child.dep_ in ("xcomp", "ccomp", "advcl") and child.pos_ == "VERB":
            found = targets_of(child, COMPLEMENT_ROLES, ctx) or \
                (complement_targets(child, ctx, depth - 1) if depth > 1 else [])
            if found:
                return found
    return []


def default_targets(cand: Candidate, plover_type: str, ctx: Context) -> list[Actor]:
    """With no other target, the country of a place the event happens in, to or from ("Israel will
    evacuate settlements in the Gaza Strip"), else for an act directed at a state or its society
    (a protest, an arrest, a curfew) the country of an article that names only one, as CAMEO
    coders do; a domestic event is then coded from the country to itself."""
    if plover_type not in DIRECTED:
        return []  # a meeting's or an agreement's place is not its party
    found = place_targets(cand.modifiers, ctx)
    if found or not ctx.sole_country:
        return found
    return ctx.country_actors(ctx.sole_country)[:1]


def place_targets(modifiers: list[Token], ctx: Context) -> list[Actor]:
    """The country of a place in the event's clause, or one step down ("to a force in Liberia")."""
    for prep in modifiers:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "into", "to", "from", "at", "inside"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                found = [a for a in actors_of(pobj, ctx) if a.country and a.kind == "country"] or \
                    place_targets([c for c in pobj.children if c.dep_ == "prep"], ctx)
                if found:
                    return found
    return []


def actors_of_subject(tok: Token, ctx: Context) -> list[Actor]:
    verb = tok if tok.pos_ == "VERB" else tok.head
    sources, _ = sources_of(verb, ctx)
    return sources


def attributed_to(noun: Token, ctx: Context) -> list[Actor]:
    """Whose deed a noun names: its owner, an actor word before it, "of X" / "by X", or the
    subject of the verb it is the object of ("the United States is waging an aggression")."""
    heads = [noun] + list(noun.conjuncts)
    found: list[Actor] = []
    if noun.dep_ == "dobj":
        found += actors_of_subject(noun.head, ctx)
    for head in heads:
        for child in head.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod") and child.i in ctx.actor_at:
                found.append(ctx.actor_at[child.i])
        for word in ("of", "by"):
            for pobj in prep_objects(head, word):
                found += actors_of(pobj, ctx)
    return [a for i, a in enumerate(found) if a not in found[:i]]


def pairs(cand: Candidate, plover_type: str, ctx: Context) -> list[tuple[Optional[Actor], Optional[Actor]]]:
    """(source, target) pairs of a candidate.

    A speaker who names their own country among coordinated sources ("Iran and
    Cuba can increase their cooperation", said the Cuban president) is the source
    for that side; coordinated parties of a symmetric event with no other target
    code each other.
    """
    sources, targets = cand.sources, cand.targets
    speaker = ctx.speaker(cand.trigger)
    if speaker and speaker.country and len(sources) > 1 and any(a.country == speaker.country for a in sources):
        targets = unique(targets + [a for a in sources if a.country != speaker.country])
        sources = [speaker]
    elif len(sources) > 1 and not targets and plover_type in SYMMETRIC:
        targets = sources
    out = [(s, t) for s in sources or [None] for t in targets or [None]
           if (s or t) and (cand.default_target or not is_self(s, t))]
    if not out and sources:  # only self-pairs: the act is still coded, its target unknown
        out = [(s, None) for s in sources]
    return out


def civil_code(code: str, sources: list[Actor]) -> str:
    """A protest by people (activists, workers, students) is a demonstration (141, PROTEST); by a
    state, an official complaint (114, ACCUSE)."""
    if code == "114" and sources and all(a.sector in CIVIL_SECTORS for a in sources):
        return "141"
    return code


def is_speech(verb: Token) -> bool:
    return verb.lemma_.lower() in speech_verbs()


def object_words(verb: Token) -> list[Token]:
    """The object nouns that select a verb's sense: the objects, their conjuncts and compounds
    ("mediation efforts"), and the noun after a partitive ("part of a military aid programme")."""
    words = []
    for obj in (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")):
        for o in [obj] + list(obj.conjuncts):
            words += [o] + [c for c in o.children if c.dep_ == "compound"]
            if o.lemma_.lower() in PARTITIVES:
                words += [p for prep in o.children if prep.lower_ == "of" for p in prep.children if p.dep_ == "pobj"]
    return words + [c for w in words if w.lemma_.lower() not in PARTITIVES for c in w.children if c.dep_ == "compound"]


def lemma_keys(tok: Token) -> list[str]:
    """The lemma, and the base forms of the word itself, for the lemmatizer's misses ("staged" -> "stag")."""
    word = tok.lower_
    keys = [tok.lemma_.lower()]
    for suffix, repl in (("ied", "y"), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            keys.append(word[: -len(suffix)] + repl)
    return list(dict.fromkeys(k for k in keys if k))


def pair_confidence(cand: Candidate, source: Optional[Actor], target: Optional[Actor]) -> float:
    """The rule's confidence, lowered for parties the text does not place: no country at all,
    or a country taken from the article's only country."""
    confidence = min(cand.confidence, 0.95)
    if both_unknown(source, target):
        confidence -= 0.25
    for actor in (source, target):
        if actor is not None and actor.kind == "unresolved" and actor.country:
            confidence -= 0.1
    return round(max(confidence, 0.05), 3)


def both_unknown(source: Optional[Actor], target: Optional[Actor]) -> bool:
    """No party of the event has a known country: nothing an analyst can place."""
    return not (source and source.country) and not (target and target.country)


def link_quotes(article: Article) -> None:
    """Tie each event to the quote its trigger stands in (the innermost) or is the cue of ("condemned"),
    and each quote to its events.

    One sweep over the events by trigger position: the spans (quotes' and cues') that start before
    a trigger wait in a heap by (quote length, quote), and those that end before it leave the top."""
    spans = sorted([(q.span[0], q.span[1], q.span[1] - q.span[0], i) for i, q in enumerate(article.quotes)] +
                   [(q.cue_span[0], q.cue_span[1], q.span[1] - q.span[0], i) for i, q in enumerate(article.quotes)
                    if q.cue_span])
    waiting: list[tuple[int, int, int]] = []  # (quote length, quote, end)
    quote_of: dict[int, int] = {}
    k = 0
    for start, n in sorted((e.trigger_span[0], n) for n, e in enumerate(article.events)):
        while k < len(spans) and spans[k][0] <= start:
            heapq.heappush(waiting, (spans[k][2], spans[k][3], spans[k][1]))
            k += 1
        while waiting and waiting[0][2] <= start:
            heapq.heappop(waiting)
        if waiting:
            quote_of[n] = waiting[0][1]
    for n, event in enumerate(article.events):
        if n in quote_of:
            event.quote = quote_of[n]
            article.quotes[event.quote].events.append(n)


def is_self(source: Optional[Actor], target: Optional[Actor]) -> bool:
    """The same actor, or two of one country's actors in one sector, or a state and one of its own
    people or bodies (a domestic dyad of two sectors, GOV and REB say, is not self)."""
    if source is None or target is None:
        return False
    if source.id == target.id:
        return True
    return source.country == target.country and ("country" in (source.kind, target.kind)
                                                 or (source.sector is not None and source.sector == target.sector))


def not_asserted(verb: Token) -> bool:
    """Negated or conditional clauses (or those under a negated/conditional head) did not happen."""
    for tok in (verb, verb.head) if verb.dep_ in ("xcomp", "aux") else (verb,):
        for child in tok.children:
            if child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ == "never"):
                return True
            if child.dep_ == "mark" and child.lower_ in CONDITIONALS:
                return True
    return False


def is_intended(verb: Token, intent_words: frozenset[str]) -> bool:
    """Modal, or an infinitive after a word of intent ("agreed to", "efforts to", "ready to"), or
    a clause under a modal ("should be used to form"): an intent, not a realised act."""
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS for c in verb.children):
        return True
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    head = verb.head
    if head.i == verb.i or verb.dep_ not in ("xcomp", "acl", "advcl", "ccomp", "conj"):
        return False
    if (infinitive or verb.dep_ == "xcomp") and head.lemma_.lower() in intent_words:
        return True
    return verb.dep_ in ("xcomp", "conj") and head.pos_ in ("VERB", "AUX") and is_intended(head, intent_words)


def verbal_code(verb: Token, code: str, lexicon: Lexicon) -> str:
    """A use of force "for" or "over" something is verbal: "Biden attacked Trump for the tweet"."""
    entry = lexicon.cameo.get(code)
    if entry and entry.plover_type == "ASSAULT" and any(c.dep_ == "prep" and c.lower_ in ("for", "over")
                                                       for c in verb.children):
        return "111"
    return code


def under_trigger(verb: Token, lexicon: Lexicon) -> bool:
    """A clause that only says what a request, threat or rejection is about ("urged X to
    withdraw"), or the purpose of another event ("telephoned X to discuss", "sent aid to help"):
    one real-world event, coded once, by its main verb."""
    head = verb.head
    if verb.dep_ not in ("xcomp", "ccomp", "advcl") or head.i == verb.i:
        return False
    codes = [t.code for t in lexicon.triggers(head.lemma_.lower())]
    if verb.dep_ != "advcl" and any(c[:2] in ("02", "10", "12", "13", "11") for c in codes):
        return True
    purpose = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    return purpose and verb.dep_ in ("xcomp", "advcl") and bool(codes)


def trigger_phrase(verb: Token) -> str:
    extra = [c.text for c in verb.children if c.dep_ in ("prt", "dobj")]
    return " ".join([verb.text] + extra)


def clause_modifiers(verb: Token) -> list[Token]:
    """The verb's modifiers, the prepositions of its objects and prepositional objects, and
    those of the clause it introduces ("threatened to ban voting in East Jerusalem")."""
    heads = [verb] + [c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB"]
    mods = [c for h in heads for c in h.children]
    nouns = [o for h in heads for o in objects_of(h)] + \
        [p for m in mods if m.dep_ == "prep" for p in m.children if p.dep_ == "pobj"]  # "with gunmen in Tripoli"
    return mods + [c for n in nouns for c in n.children if c.dep_ == "prep"]


def noun_modifiers(noun: Token) -> list[Token]:
    """A noun's modifiers, with those that the parser hung on its verb after it.

    "referred to his meeting 22 years ago with Castro": "ago" and "with" go to
    "referred" in the parse but belong to "meeting".
    """
    mods = list(noun.children)
    verb = {"pobj": noun.head.head, "dobj": noun.head}.get(noun.dep_)
    if verb is not None and verb.pos_ == "VERB":
        mods += [c for c in verb.children if c.i > noun.i and c.dep_ in ("prep", "advmod", "npadvmod")]
    return mods


def attached_to(tok: Token, modifiers: list[Token]) -> bool:
    """Whether ``tok`` is one of the modifiers or hangs from one (a preposition's object)."""
    return tok in modifiers or tok.head in modifiers


def pobj_text(tok: Token) -> str:
    compounds = [c for c in tok.lefts if c.dep_ == "compound"]
    start = compounds[0].i if compounds else tok.i
    return tok.doc[start:tok.i + 1].text


def key_of(actor: Optional[Actor]) -> Optional[str]:
    return actor.country if actor else None


def strip_span(sent: Span) -> tuple[int, int]:
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return start, sent.start_char + len(text.rstrip())
