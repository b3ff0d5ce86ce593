"""The learned part of the events stage: the packaged model, its features, and the coder with and without it."""
import numpy as np
import pytest

from communique.events.coder import EventCoder
from communique.events.learned import LABELS, NONE, TYPES, EventModel, argument_tokens, dependency_path, verb_senses
from communique.resources import DENSE, dense_vector


@pytest.fixture(scope="module")
def model():
    loaded = EventModel.load()
    assert loaded is not None, "communique/data/event_model.npz is missing: run tools/train_events.py"
    return loaded


def test_packaged_model_has_every_part(model):
    assert model.weights.shape[1] == len(LABELS) == 17 and LABELS[0] == NONE
    assert model.dense.shape == (DENSE, len(LABELS))
    assert model.roles is not None and model.roles.shape[1] == 3
    assert 0 < model.threshold < 1 and model.temperature > 0 and model.version
    raw, value = model.calibration
    assert len(raw) == len(value) > 1
    assert np.all(np.diff(raw) >= 0) and np.all(np.diff(value) >= 0)  # a calibrated confidence never falls as the raw one rises


def test_calibrated_confidence_stays_a_probability(model):
    values = [model.calibrated(x) for x in np.linspace(0, 1, 21)]
    assert all(0 <= v <= 1 for v in values) and values == sorted(values)


def test_verb_table_reads_the_cameo_dictionary():
    senses = verb_senses()
    assert len(senses) > 1000
    assert max(senses["condemn"].types, key=senses["condemn"].types.get) == "ACCUSE"
    assert max(senses["kill"].types, key=senses["kill"].types.get) == "ASSAULT"
    assert set(t for s in senses.values() for t in s.types) <= set(TYPES)


def test_learned_setting_loads_the_model(learned):
    assert learned.resources.event_model is EventModel.load()
    assert learned.stages[2].model is learned.resources.event_model


def test_dependency_paths_and_arguments(pipeline):
    doc = pipeline.nlp("Egypt urged Israel to stop the raids on Gaza.")
    urged = next(t for t in doc if t.text == "urged")
    paths = {tok.text: path for tok, path in argument_tokens(urged, doc[:])}
    assert paths["Egypt"] == ["nsubj"] and paths["Israel"] == ["dobj"]
    assert dependency_path(urged, urged) is None
    vec = dense_vector(urged)
    assert vec.shape == (DENSE,) and abs(float(np.linalg.norm(vec)) - 1) < 1e-4


def test_model_types_events_the_rules_miss(learned):
    article = learned.code_text("Turkish troops shelled Kurdish positions in northern Syria on Tuesday.",
                                date="2019-10-15")
    assert any(e.type == "ASSAULT" and e.source and e.source.country == "TUR" for e in article.events)
    for event in article.events:
        assert event.source_span is None or article.text[slice(*event.source_span)].strip()
        assert 0 <= event.confidence <= 1


def test_coder_without_a_model_keeps_its_rules(pipeline, rules):
    from communique.model import Article

    assert pipeline.resources.event_model is not None  # the default: events="learned"
    r = rules.resources
    assert r.event_model is None
    text = "Iran condemned the United States."
    found = {}
    for name, model in (("rules", None), ("learned", EventModel.load())):
        coder = EventCoder(r.gazetteer, r.dictionary, r.lexicon, model)
        article = next(pipeline.language.parse([Article(id=name, text=text)]))
        for stage in pipeline.stages[:2]:  # actors and quotes, as the pipeline runs them
            article = stage(article)
        found[name] = [(e.type, e.source.country, e.target.country) for e in coder(article).events]
    assert found["rules"] == found["learned"] == [("ACCUSE", "IRN", "USA")]
