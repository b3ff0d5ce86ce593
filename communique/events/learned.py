"""The learned part of the events stage (``events="learned"``): the parties of a candidate, whether it
is a codable event, and of which PLOVER type.

The parse proposes candidates (a verb or an event noun with the actors around it, see
:mod:`communique.events.coder`). A role model (logistic regression over the dependency path from
the trigger, :func:`role_features`) scores each nearby noun as source, target or neither. What a
candidate means is decided by a multinomial logistic regression over hashed features of the
candidate (:func:`candidate_features`: its lemma and the words that select its sense, what the
CAMEO verb dictionary and the rule that proposed it say it can mean, the clause around it, its
parties, the sentence's words) and the parser's vector of the trigger. One label, ``NONE``, says
the candidate is no codable event (commentary, generic, hypothetical, negated, or no event).

The weights (``communique/data/event_model.npz``) are trained by ``tools/train_events.py``
from the project's annotated real-news set and public gold (PLV train pairs, the PLOVER GSR
dev half, the CAMEO codebook examples), split by record hash. The probabilities are
temperature-scaled on the dev split; the file holds the threshold chosen on dev (an event is
coded when the probability of its type, lowered for parties without a country, reaches it) and
an isotonic calibration fitted on the dev split's coded events, which maps that probability to
the share of such events whose type was right.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import numpy as np
from spacy.tokens import Span, Token

from ..resources import DENSE, hashed, model_arrays, read_table, softmax

MODEL_FILE = "event_model.npz"
VERBS_FILE = "cameo_verbs.tsv"
BUCKETS = 1 << 17
NONE = "NONE"
TYPES = ("ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE", "MOBILIZE",
         "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN")
LABELS = (NONE,) + TYPES
MODALS = {"will", "would", "can", "could", "should", "may", "might", "must", "shall", "ca", "wo"}
HEDGES = {"expect", "likely", "possible", "consider", "plan", "could", "may", "might", "if", "whether", "unless"}
HABITUAL = {"always", "often", "usually", "constantly", "repeatedly", "routinely", "regularly", "frequently",
            "continually", "traditionally", "long"}  # a condition or a habit, not an event (codebook: generic)


@dataclass(frozen=True)
class VerbSenses:
    """What the CAMEO verb dictionary says a lemma can mean: PLOVER types of its patterns with
    their shares, and the types of patterns that name an object word."""

    types: dict[str, float]
    objects: dict[str, frozenset[str]]  # object word -> PLOVER types


@lru_cache(maxsize=1)
def verb_senses() -> dict[str, VerbSenses]:
    """lemma -> VerbSenses, from ``cameo_verbs.tsv`` (derived from the CAMEO 2.0 verb dictionary)."""
    out: dict[str, dict] = {}
    for row in read_table(VERBS_FILE):
        entry = out.setdefault(row["lemma"], {"types": {}, "objects": {}})
        if row["object"]:
            entry["objects"].setdefault(row["object"], set()).add(row["type"])
        else:
            entry["types"][row["type"]] = float(row["share"])
    return {k: VerbSenses(v["types"], {o: frozenset(t) for o, t in v["objects"].items()}) for k, v in out.items()}


def candidate_features(trigger: Token, sent: Span, kind: str, rule_type: Optional[str], intent: bool,
                       negated: bool, sources: list, targets: list, how: str, quoted: bool) -> list[str]:
    """The feature strings of a candidate: ``kind`` is the rule that proposed it (verb, noun, open,
    evaluative, obligation, refusal), ``rule_type`` the PLOVER type that rule gives it, if any."""
    lemma = trigger.lemma_.lower()
    children = list(trigger.children)
    particle = [c.lower_ for c in children if c.dep_ == "prt"]
    objects = [c for c in children if c.dep_ in ("dobj", "nsubjpass", "attr", "pobj")]
    preps = [c.lower_ for c in children if c.dep_ in ("prep", "agent")]
    modals = [c.lower_ for c in children if c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS]
    feats = ["BIAS", f"K={kind}", f"L={lemma}", f"L={lemma}|K={kind}", f"POS={trigger.pos_}", f"DEP={trigger.dep_}",
             f"TAG={trigger.tag_}", f"RULE={rule_type}", f"RULE={rule_type}|K={kind}", f"INTENT={intent}",
             f"NEG={negated}", f"QUOTED={quoted}", f"HOW={how}", f"L={lemma}|INTENT={intent}",
             f"RULE={rule_type}|INTENT={intent}", f"RULE={rule_type}|NEG={negated}"]
    feats += [f"LP={lemma}_{p}" for p in particle]
    feats += [f"LO={lemma}|{o.lemma_.lower()}" for o in objects] + [f"O={o.lemma_.lower()}" for o in objects]
    feats += [f"LPR={lemma}|{p}" for p in preps] + [f"PR={p}" for p in preps]
    feats += [f"MODAL={m}" for m in modals]
    head = trigger.head
    if head.i != trigger.i:
        feats += [f"H={head.lemma_.lower()}", f"H={head.lemma_.lower()}|{trigger.dep_}", f"HPOS={head.pos_}"]
        if head.head.i != head.i:
            feats.append(f"HH={head.head.lemma_.lower()}")
    if any(c.dep_ == "mark" and c.lower_ in HEDGES for c in children):
        feats.append("COND")
    if any(c.dep_ == "advmod" and c.lower_ in HABITUAL for c in children):
        feats += ["HABITUAL", f"HABITUAL|TAG={trigger.tag_}"]
    senses = verb_senses().get(lemma)
    if senses is not None:
        best = max(senses.types.items(), key=lambda kv: kv[1], default=None)
        feats += [f"CV={t}" for t, share in senses.types.items() if share >= 0.2]
        if best:
            feats.append(f"CVBEST={best[0]}")
        for o in objects:
            for word in (o.lemma_.lower(), o.lower_):
                feats += [f"CVO={t}" for t in senses.objects.get(word, ())]
    else:
        feats.append("CV=unknown")
    for side, actors in (("SRC", sources), ("TGT", targets)):
        if not actors:
            feats.append(f"{side}=none")
        for actor in actors[:2]:
            feats += [f"{side}={actor.kind}", f"{side}S={actor.sector}", f"{side}C={bool(actor.country)}"]
    feats.append(f"PAIR={bool(sources)}{bool(targets)}")
    feats.append(f"PAIR={bool(sources)}{bool(targets)}|RULE={rule_type}")
    lo, hi = max(sent.start, trigger.i - 3), min(sent.end, trigger.i + 4)
    feats += [f"W={t.lemma_.lower()}" for t in sent.doc[lo:hi] if t.i != trigger.i and t.is_alpha]
    feats += [f"S={t.lemma_.lower()}" for t in sent if t.is_alpha and not t.is_stop]
    if sent.text.rstrip().rstrip('"\u201d').endswith("?"):
        feats.append("QUESTION")
    return feats


ROLES = ("none", "source", "target")
ARGUMENT_POS = {"NOUN", "PROPN", "PRON"}
MAX_PATH = 4  # dependency steps between a trigger and its arguments


def dependency_path(trigger: Token, arg: Token) -> Optional[list[str]]:
    """The steps from the trigger to the argument: up ("^dep", leaving a token by its relation) to where
    their heads meet, then down ("dep"); None when longer than ``MAX_PATH``."""
    ups, node = {trigger.i: 0}, trigger
    up_steps = [trigger]
    while node.head.i != node.i and len(up_steps) <= MAX_PATH:
        node = node.head
        ups[node.i] = len(up_steps)
        up_steps.append(node)
    down, node = [], arg
    while node.i not in ups:
        if node.head.i == node.i or len(down) > MAX_PATH:
            return None
        down.append(node)
        node = node.head
    k = ups[node.i]
    path = [f"^{t.dep_}" for t in up_steps[:k]] + [t.dep_ if t.dep_ != "pobj" else f"pobj:{t.head.lower_}"
                                                    for t in reversed(down)]
    return path if 0 < len(path) <= MAX_PATH else None


def argument_tokens(trigger: Token, sent: Span) -> list[tuple[Token, list[str]]]:
    """The nouns and pronouns of the sentence near the trigger in the parse, with their paths from it."""
    out = []
    for tok in sent:
        if tok.pos_ in ARGUMENT_POS and tok.i != trigger.i and tok.dep_ != "compound":
            path = dependency_path(trigger, tok)
            if path is not None:
                out.append((tok, path))
    return out


def role_features(trigger: Token, arg: Token, path: list[str], actor, speaker: bool) -> list[str]:
    """Features of a (trigger, argument) pair for the role model: ``actor`` is the actor the argument
    names, if any; ``speaker`` whether it is the speaker of the trigger's quote."""
    lemma = trigger.lemma_.lower()
    joined = "/".join(path)
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in trigger.children)
    last = path[-1]
    feats = ["BIAS", f"P={joined}", f"P={joined}|V={passive}", f"L={lemma}|P={joined}", f"LAST={last}",
             f"LAST={last}|V={passive}", f"L={lemma}|LAST={last}", f"N={len(path)}", f"TPOS={trigger.pos_}",
             f"SIDE={'before' if arg.i < trigger.i else 'after'}", f"APOS={arg.pos_}", f"ENT={arg.ent_type_}",
             f"FIRST={path[0]}", f"FIRST={path[0]}|LAST={last}", f"SPEAKER={speaker}"]
    if actor is not None:
        feats += [f"ACTOR={actor.kind}", f"SECTOR={actor.sector}", f"ACTOR|P={joined}", f"ACTOR|LAST={last}"]
    else:
        feats += ["ACTOR=none", f"NOACTOR|LAST={last}", f"A={arg.lemma_.lower()}"]
    return feats


class EventModel:
    """The classifier's weights (BUCKETS x labels), its temperature and its decision threshold."""

    def __init__(self, weights: np.ndarray, temperature: float = 1.0, threshold: float = 0.5,
                 version: str = "", roles: Optional[np.ndarray] = None, role_threshold: float = 0.5,
                 dense: Optional[np.ndarray] = None, calibration: Optional[tuple[np.ndarray, np.ndarray]] = None):
        """``roles``: the role model's weights (BUCKETS x ``ROLES``), if any; ``dense``: the weights of the
        token vector (DENSE x labels); ``calibration``: (raw, calibrated) confidences of coded events, fitted
        on the dev split, between which :meth:`calibrated` interpolates."""
        self.weights, self.temperature, self.threshold, self.version = weights, temperature, threshold, version
        self.roles, self.role_threshold = roles, role_threshold
        self.dense = dense if dense is not None else np.zeros((DENSE, weights.shape[1]), dtype=np.float32)
        self.calibration = calibration

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> Optional["EventModel"]:
        """The packaged model, or None where it is absent (the coder then keeps its rules' types)."""
        data = model_arrays(MODEL_FILE)
        if data is None:
            return None
        return cls(data["weights"].astype(np.float32), float(data["temperature"]), float(data["threshold"]),
                   str(data["version"]), data["roles"].astype(np.float32), float(data["role_threshold"]),
                   data["dense"].astype(np.float32), (data["calibration_raw"], data["calibration_value"]))

    def probabilities(self, feats: list[str], vector: np.ndarray) -> np.ndarray:
        """Temperature-scaled probabilities of ``LABELS`` (``vector``: :func:`dense_vector` of the trigger)."""
        return softmax((self.weights[hashed(feats, BUCKETS)].sum(axis=0) + vector @ self.dense) / self.temperature)

    def role_probabilities(self, feats: list[str]) -> np.ndarray:
        return softmax(self.roles[hashed(feats, BUCKETS)].sum(axis=0))

    def calibrated(self, confidence: float) -> float:
        """An event's confidence as the share of dev events with that confidence whose type was right."""
        if self.calibration is None or not len(self.calibration[0]):
            return confidence
        return float(np.interp(confidence, *self.calibration))

    def event_probability(self, feats: list[str], vector: np.ndarray) -> float:
        """The probability that the candidate is a codable event, whatever its type."""
        return 1.0 - float(self.probabilities(feats, vector)[0])

    def decide(self, feats: list[str], vector: np.ndarray) -> tuple[str, float]:
        """The most probable event type and its probability; (``NONE``, its probability) when that is below
        the threshold (the coder also drops an event whose confidence falls below it)."""
        probs = self.probabilities(feats, vector)
        k = int(probs[1:].argmax()) + 1
        if probs[k] < self.threshold:
            return NONE, float(probs[0])
        return LABELS[k], float(probs[k])
