"""Within-article coreference: titles, definite descriptions and pronouns.

No offline coreference model works with spaCy 3.8, so these rules are ours:

- a definite description headed by a person title ("the Cuban president", "the
  Leader of the Islamic Revolution", "the leader") joins the person whose title,
  country and earlier descriptions it agrees with, the most salient one first;
  a description that agrees with nobody but names a country becomes that
  country's sector actor ("Iranian officials" -> IRN GOV);
- "his delegation" is of the country of whoever "his" is; "the delegation" joins the
  group of that title named before it;
- a personal pronoun joins the nearest earlier person in its sentence, else the
  subject of the closest earlier sentence that names a person, never a person of
  the other gender, and stays unresolved when nothing agrees; "it" and "they" join
  the state, organisation or group that is the subject of the clause they are
  reported in ("Syria says it will ...").
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Optional

from spacy.tokens import Span, Token

from ..lexicons.dictionary import Pronoun, Title
from ..lexicons.gazetteer import Place
from ..model import Actor
from .index import ActorIndex, Lexicons, PersonInfo, content_words, is_subject

DEFINITE = {"the", "this", "that", "these", "those"}
# Sectors whose bodies, named without a country, belong to the dateline's country: in
# international news a "delegation" or "officials" may be anyone's, the "police" rarely are.
HOME_SECTORS = {"COP", "CVL", "REB", "OPP", "JUD", "LEG", "PRM", "UAF"}
PRONOUN_WINDOW = 3  # sentences looked back for a pronoun's antecedent


def nominal_phrase(head: Token) -> Span:
    """The noun phrase headed by ``head`` with its "of" complement ("the leader of Cuba")."""
    left = [c for c in head.lefts if c.dep_ in ("det", "amod", "compound", "poss", "nmod", "case", "nummod")]
    start = min([head.i] + [min(t.i for t in c.subtree) for c in left])
    end = head.i
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            end = max(t.i for t in child.subtree)
    return head.doc[start:end + 1]


def resolve_nominals(index: ActorIndex, resolver: Lexicons, home: Optional[Place] = None,
                     quoted: tuple[tuple[int, int], ...] = ()) -> list[Token]:
    """Title and sector phrases: a person they describe, else the sector of the country they name.

    A domestic body or group named without a country ("police", "protesters") outside quotes
    belongs to the article's home country (``home``: the dateline's). Returns the phrases to
    settle once pronouns are resolved (:func:`resolve_owned`).
    """
    owned = []
    for tok in index.doc:
        if tok.i in index.actor_at or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        title = title_of(tok, resolver)
        if title is None:
            continue
        phrase = nominal_phrase(tok)
        place = resolver.country_in([t for t in phrase if t.i != tok.i])
        actor = None
        if title.person and tok.tag_ in ("NN", "NNP") and is_definite(phrase, tok):
            actor = antecedent(index, tok, phrase, title.term, place.iso3 if place else None)
        reason = f"title '{title.term}' ({title.sector}) with '{place.name}'" if place else ""
        unplaced = actor is None and place is None
        if unplaced and any(c.dep_ == "poss" for c in tok.children):
            owned.append(tok)  # "his delegation": settled once the pronouns are resolved
            continue
        if unplaced and home is not None and title.sector in HOME_SECTORS and not title.person \
                and not any(s <= tok.idx < e for s, e in quoted):
            place, reason = home, f"'{title.term}' ({title.sector}) in the article's home country {home.iso3}"
        elif unplaced and not title.person and is_definite(phrase, tok):
            owned.append(tok)  # "the delegation": the one named before, settled with the owned ones
            continue
        if actor is None and place is not None:
            actor = sector_actor(index, tok, title, place, reason)
        if actor is not None:
            index.mention(actor, phrase, head=tok)
    return owned


def earlier_body(index: ActorIndex, tok: Token, term: str) -> Optional[Actor]:
    """The most recently mentioned group named by the same title ("his delegation" ... "the delegation")."""
    groups = [a.id for a in index.actors if a.kind == "group" and a.name.endswith(f" {term}")]
    before = last_heads(index.heads_of, groups, tok.i)
    return index.actors[max(before)[1]] if before else None


def last_heads(heads_of: dict[int, list[int]], actor_ids, i: int) -> list[tuple[int, int]]:
    """(head, actor) of each actor's last mention (of ``heads_of``: sorted heads by actor) before token ``i``."""
    found = []
    for a in actor_ids:
        heads = heads_of.get(a, [])
        k = bisect_left(heads, i)
        if k:
            found.append((heads[k - 1], a))
    return found


def resolve_owned(index: ActorIndex, resolver: Lexicons, owned: list[Token]) -> None:
    """ "his delegation", "their army": the sector of the owner's country; "the delegation": the
    group of that title named before it."""
    for tok in owned:
        if tok.i in index.actor_at:
            continue
        title = title_of(tok, resolver)
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        actor = index.actor_of(owner) if owner is not None else None
        place = resolver.gazetteer.country(actor.country) if actor and actor.country else None
        if place is not None and title is not None:
            reason = f"'{title.term}' ({title.sector}) of '{owner.text}' ({actor.name})"
            index.mention(sector_actor(index, tok, title, place, reason), nominal_phrase(tok), head=tok)
        elif owner is None and title is not None:
            earlier = earlier_body(index, tok, title.term)
            if earlier is not None:
                index.mention(earlier, nominal_phrase(tok), head=tok)


def title_of(tok: Token, resolver: Lexicons) -> Optional[Title]:
    words = [c.lemma_.lower() for c in tok.lefts if c.dep_ in ("amod", "compound")]
    return resolver.dictionary.title(words + [tok.lemma_.lower()]) or resolver.dictionary.title(words + [tok.lower_])


def sector_actor(index: ActorIndex, head: Token, title: Title, place: Place, reason: str) -> Actor:
    """The actor a title phrase names when no named person fits: one unnamed office holder
    ("Ghana's president", who pronouns may then refer to) or a country's sector ("Iranian officials")."""
    if title.person and head.tag_ in ("NN", "NNP"):
        actor = index.get(("office", place.iso3, title.term), name=f"{title.term} of {place.name}", kind="person",
                          country=place.iso3, sector=title.sector, role=title.term, reason=reason)
        index.persons.setdefault(actor.id, PersonInfo(surname="", titles={title.term}))
        return actor
    return index.get(("sector", place.iso3, title.sector), name=f"{place.name} {title.term}".strip(),
                     kind="group", country=place.iso3, sector=title.sector, reason=reason)


def is_definite(phrase: Span, head: Token) -> bool:
    det = [t for t in phrase if t.dep_ in ("det", "poss") and t.head.i == head.i]
    return bool(det) and det[0].lower_ in DEFINITE


def antecedent(index: ActorIndex, tok: Token, phrase: Span, title: str, country: Optional[str]) -> Optional[Actor]:
    words = content_words(phrase)
    candidates = []
    for actor in index.actors:
        info = index.persons.get(actor.id)
        if info is None or (country and actor.country != country):
            continue
        if title in info.titles or title == actor.role or any(words <= d for d in info.descriptions):
            candidates.append(actor)
    return most_salient(index, candidates, tok) if candidates else None


def most_salient(index: ActorIndex, candidates: list[Actor], tok: Token) -> Optional[Actor]:
    """Prefer the living, then the most recent subject, then the most recent mention; else a later one."""
    living = [a for a in candidates if not index.persons[a.id].deceased] or candidates
    ids = {a.id for a in living}
    before = last_heads(index.heads_of, ids, tok.i)
    if not before:
        after = [(index.heads_of[a][0], a) for a in ids if index.heads_of.get(a)]
        return index.actors[min(after)[1]] if after else None
    subjects = last_heads(index.subject_heads_of, ids, tok.i)
    pick = max(subjects or before)
    return index.actors[pick[1]]


def resolve_pronouns(index: ActorIndex, pronouns: dict[str, Pronoun]) -> None:
    sents: Optional[list[Span]] = None
    for tok in index.doc:
        pron = pronouns.get(tok.lower_)
        if pron is None or tok.i in index.actor_at or tok.pos_ != "PRON":
            continue
        if pron.gender == "n" or pron.number == "pl":
            actor = collective_antecedent(index, tok, pron.number)
        else:
            sents = list(index.doc.sents) if sents is None else sents
            actor = pronoun_antecedent(index, tok, pron.gender, sents)
        if actor is not None:
            index.mention(actor, index.doc[tok.i:tok.i + 1])


def collective_antecedent(index: ActorIndex, tok: Token, number: str) -> Optional[Actor]:
    """ "Syria says it will withdraw", "the rebels said they would meet": "it" and "they" join
    the subject of the clause they are reported in, when that is a state, organisation or group."""
    head = tok.head
    while head.dep_ in ("ccomp", "xcomp", "conj", "advcl") and head.head.i != head.i:
        head = head.head
        for child in head.children:
            if child.dep_ == "nsubj" and child.i < tok.i and child.i in index.actor_at:
                actor = index.actors[index.actor_at[child.i]]
                return actor if agrees_in_number(actor, child, number) else None
    return None


def agrees_in_number(actor: Actor, head: Token, number: str) -> bool:
    plural = head.tag_ in ("NNS", "NNPS")
    if number == "sg":
        return actor.kind in ("country", "organization") or (actor.kind == "group" and not plural)
    return actor.kind == "group" and plural


def pronoun_antecedent(index: ActorIndex, tok: Token, gender: str, sents: Optional[list[Span]] = None) -> Optional[Actor]:
    """``sents``: the document's sentences (listed once for all its pronouns)."""
    def agrees(actor_id: int) -> bool:
        info = index.persons.get(actor_id)
        return info is not None and info.gender in (None, gender)

    def mentioned(start: int, end: int) -> list[tuple[int, int]]:  # (head, actor) of the mentions in [start, end)
        return [(i, a) for i in range(start, end) for a in index.heads_at.get(i, ()) if agrees(a)]

    sents = list(index.doc.sents) if sents is None else sents
    pos = bisect_right(sents, tok.i, key=lambda s: s.start) - 1  # the sentence of ``tok``
    sent = sents[pos]
    same = mentioned(sent.start, tok.i)
    if same:
        return index.actors[max(same)[1]]
    for prev in reversed(sents[max(0, pos - PRONOUN_WINDOW):pos]):
        found = mentioned(prev.start, prev.end)
        if found:
            subjects = [(i, a) for i, a in found if is_subject(index.doc[i])]
            return index.actors[min(subjects or found)[1]]
    return None
