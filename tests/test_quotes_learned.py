"""The learned part of the quotes stage: the packaged model, the phrases it chooses from, and the stage
with and without it."""
import pytest

from communique.lexicons.words import attribution_verbs, speech_verbs, stance_verbs
from communique.pipeline import Pipeline
from communique.quotes.learned import AROUND, BUCKETS, QuoteModel, content_candidates
from communique.resources import DENSE
from communique.settings import Settings

HOPES = "The governor hopes the new law will bring jobs to the state."


def test_the_packaged_model_has_both_models_and_thresholds():
    model = QuoteModel.load()
    assert model is not None and model.version.startswith("quotes-")
    assert model.cue_weights.shape == (BUCKETS + DENSE,) and model.content_weights.shape == (BUCKETS,)
    assert 0 < model.cue_threshold < 1 and 0 <= model.content_threshold < 1


def test_a_cues_candidates_are_the_phrases_of_the_parse_around_it(pipeline):
    doc = pipeline.nlp(HOPES)
    hopes = next(t for t in doc if t.text == "hopes")
    found = {kind: doc[first:last + 1].text for kind, first, last in content_candidates(hopes)}
    assert found["child:ccomp"] == "the new law will bring jobs to the state"
    assert "The governor" not in found.values()  # a subject is never the content
    assert found["around"] == HOPES.rstrip(".")  # PolNeAR marks some contents from their first word to their last
    spans = [(first, last) for _, first, last in content_candidates(hopes)]
    assert len(spans) == len(set(spans))
    assert all(kind in AROUND for kind, first, last in content_candidates(hopes) if first <= hopes.i <= last)


@pytest.mark.parametrize("text, cue, content, speaker", [
    ("Sanders trashed the trade deal.", "trashed", "the trade deal", "Sanders"),  # in none of the word lists
    (HOPES, "hopes", "the new law will bring jobs to the state", "The governor"),  # lemmatized "hop": the lists miss it
    ("The mayor blasted the decision to close the hospital.", "blasted", "the decision to close the hospital",
     "The mayor"),  # a stance verb whose subject the rules do not take for a party
])
def test_learned_cues_and_contents_reach_past_the_rules(code, code_rules, text, cue, content, speaker):
    assert code_rules(text).quotes == []
    article = code(text)
    [quote] = article.quotes
    assert (quote.cue, quote.text, article.text[slice(*quote.speaker_span)]) == (cue, content, speaker)


def test_trash_is_in_none_of_the_word_lists():
    assert not any("trash" in words() for words in (attribution_verbs, speech_verbs, stance_verbs))


def test_an_unknown_quotes_setting_is_named():
    with pytest.raises(ValueError, match="unknown quotes setting 'neural'"):
        Pipeline(Settings.of(quotes="neural"))
