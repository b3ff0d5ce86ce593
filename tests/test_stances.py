"""Stances: the directed-sentiment reader and scorer, the classifier, and the stances stage."""
import json

import pytest

from communique.cli import main
from communique.evaluate.stance import parse_line, read_pairs, score_stance
from communique.encoder import MAX_TOKENS, tokenizer
from communique.stances.classifier import SWAPPED, StanceModel, marked_ids
from conftest import shared_path


def test_parse_line_strips_the_marks_and_finds_entity_one():
    pair = parse_line("Critics said [Brazil] had snubbed [Argentina] again.\tArgentina\tBrazil\t4")
    assert pair.text == "Critics said Brazil had snubbed Argentina again."
    assert pair.text[slice(*pair.first)] == "Argentina" and pair.text[slice(*pair.second)] == "Brazil"
    assert pair.label == 4
    assert parse_line("no marks here\tA\tB\t0") is None


def test_read_pairs_leaves_out_lines_of_the_training_split(tmp_path):
    line = "[Chile] thanked [Peru] for its help.\tChile\tPeru\t1"
    (tmp_path / "train.txt").write_text(line + "\n")
    (tmp_path / "valid.txt").write_text(line + "\n[Chile] and [Peru] met.\tChile\tPeru\t0\n")
    assert [p.label for p in read_pairs(str(tmp_path / "valid.txt"))] == [0]
    assert len(read_pairs(str(tmp_path / "train.txt"))) == 1


def test_score_stance_macro_f1_over_five_labels():
    result = score_stance([0, 0, 1, 3, 4], [0, 1, 1, 3, 0])
    assert result["accuracy"] == 0.6 and result["n"] == 5
    assert result["per_label_f1"] == [0.5, 0.6667, 0.0, 1.0, 0.0]
    assert result["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 1.0) / 5, abs=1e-3)


def test_swapped_labels_turn_direction_and_keep_polarity():
    assert [SWAPPED[label] for label in range(5)] == [0, 2, 1, 4, 3]


@pytest.mark.parametrize("text, first, second, direction", [
    ("Pakistan sharply criticized India over the dam project.", "Pakistan", "India", "1->2"),
    ("India was sharply criticized by Pakistan over the dam project.", "India", "Pakistan", "2->1"),
])
def test_classifier_reads_who_criticises_whom(text, first, second, direction):
    spans = [(text.index(name), text.index(name) + len(name)) for name in (first, second)]
    label, probability = StanceModel.load().predict(text, *spans)
    assert label == (3 if direction == "1->2" else 4) and probability > 0.5


def test_marked_ids_mark_both_mentions_and_keep_them_in_a_long_sentence():
    text = "Pakistan sharply criticized India over the dam project."
    ids, one, two = marked_ids(text, (0, 8), (28, 33))
    words = [tokenizer().id_to_token(i) for i in ids]
    assert words[one] == words[two] == "[" and words[one + 1] == "pakistan" and words[two + 1] == "india"
    long = " ".join(["The talks dragged on."] * 60) + " " + text  # the mentions come after 300 tokens
    start = len(long) - len(text)
    ids, one, two = marked_ids(long, (start, start + 8), (start + 28, start + 33))
    words = [tokenizer().id_to_token(i) for i in ids]
    assert len(ids) == MAX_TOKENS and words[one + 1] == "pakistan" and words[two + 1] == "india"
    ids, one, two = marked_ids("UK-France talks", (0, 2), (2, 9))  # the second begins where the first ends
    assert " ".join(tokenizer().id_to_token(i) for i in ids[one:two + 4]) == "[ uk ] [ - france ]"


def test_eval_stance_on_the_validation_split_stays_above_its_floor(capsys):
    path = shared_path("data", "gold", "directed-sentiment", "valid.txt")
    assert main(["eval", "stance", "--gold", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] > 1000 and result["macro_f1"] >= 0.45


@pytest.mark.parametrize("apposition, polarity", [("a staunch supporter", 1), ("a harsh critic", -1)])
def test_stances_come_from_sentences_without_an_event_between_the_pair(code, apposition, polarity):
    a = code(f"Japan, {apposition} of Australia, hosted the summit.", date="2023-05-01")
    assert not [e for e in a.events if e.target]
    assert [(s.holder.country, s.target.country, s.polarity) for s in a.stances] == [("JPN", "AUS", polarity)]


def issue_stances_of(code, text):
    a = code(text, date="2024-01-01")
    return {(s.holder.country, s.issue, s.polarity) for s in a.stances if s.issue}


def test_issue_stances_with_negation_and_hedging(code):
    assert issue_stances_of(code, "Iran has always backed the Palestinian cause.") == {("IRN", "Palestinian cause", 1)}
    assert issue_stances_of(code, "Hungary did not support new sanctions on Russia.") == {("HUN", "sanctions", -1)}
    assert issue_stances_of(code, "Germany may support the ceasefire.") == set()  # hedged: no stance
    assert issue_stances_of(code, "Turkey opposed Sweden's NATO membership.") == {("TUR", "NATO enlargement", -1)}


def test_negated_sentences_are_not_read_for_tone(code):
    a = code("Hungary did not support new sanctions on Russia.", date="2024-01-01")
    assert not [s for s in a.stances if s.target and s.target.country == "RUS"]


# "Iran spoke." with its parse (see conftest.parsed_article)
IRAN_SPOKE = [("Iran", True, 1, "nsubj", "PROPN", "Iran", "GPE", True), ("spoke", False, 1, "ROOT", "VERB", "speak", "", False),
              (".", False, 1, "punct", "PUNCT", ".", "", False), ("\n\n", False, 1, "dep", "SPACE", "\n\n", "", False)]


def test_stances_of_a_long_article_are_read_in_linear_time(pipeline):
    # each sentence was searched for every mention of every actor
    import time

    from conftest import parsed_article

    article = parsed_article(pipeline.nlp, IRAN_SPOKE, 20_000)
    for stage in pipeline.stages[:3]:
        article = stage(article)
    start = time.perf_counter()
    article = pipeline.stages[3](article)
    assert time.perf_counter() - start < 5  # under a second; 16 s when the steps grew with the square
    assert article.stances == []


def test_path_length_counts_dependency_edges_between_two_mentions(pipeline):
    from communique.stances import path_length

    text = "Japan, a staunch supporter of Australia, hosted the summit."
    doc = pipeline.nlp(text)
    japan, australia = (0, 5), (text.index("Australia"), text.index("Australia") + 9)
    assert path_length(doc, japan, australia) == path_length(doc, australia, japan) == 3  # appos, prep, pobj
    assert path_length(doc, japan, japan) == 0


def kinds_of(article):
    return {(s.kind, s.holder.country, s.target.country, s.polarity, tuple(map(tuple, s.evidence)))
            for s in article.stances if s.target}


def test_a_quote_gives_the_speakers_stance_toward_a_party_it_names(code):
    text = ('Iran\'s foreign minister Javad Zarif said on Monday: "The United States is the main threat to peace in '
            'our region and its sanctions are a crime against our people."')
    a = code(text, date="2024-01-01")
    quote = next(q for q in a.quotes if "United States" in q.text)
    assert ("quote", "IRN", "USA", -1, (tuple(quote.span),)) in kinds_of(a)


def test_parties_acting_together_toward_a_third_stand_together_both_ways(code):
    a = code("Germany and Italy sent aid to Ukraine.", date="2024-01-01")
    together = {(k, h, t, p) for k, h, t, p, _ in kinds_of(a) if k == "coaction"}
    assert together == {("coaction", "DEU", "ITA", 1), ("coaction", "ITA", "DEU", 1)}
    one = code("Germany sent aid to Ukraine.", date="2024-01-01")  # one party: nothing to stand with
    assert not [s for s in one.stances if s.kind == "coaction"]
