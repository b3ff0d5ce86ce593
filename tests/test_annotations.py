"""The annotated real-news set (annotations/): its sample, labels, splits and the annotation tool."""
import json
from collections import Counter

import pytest

from communique.evaluate.annotated import (
    EVENT_TYPES, NO_EVENT_KINDS, ROOT as ANNOTATIONS, SECTORS, corpus_texts, load_labels, load_sample, split_of)
from conftest import SHARED, load_tool, shared_path


def test_sample_has_3200_sentences_of_640_articles_split_by_article():
    sample = load_sample()
    assert len(sample) == 3200 and len({r["sid"] for r in sample}) == 3200
    assert len({(r["corpus"], r["article"]) for r in sample}) == 640
    assert all(r["split"] == split_of(r["article"]) for r in sample)
    splits = {}
    for r in sample:  # one article, one split
        assert splits.setdefault(r["article"], r["split"]) == r["split"]
    counts = Counter(r["split"] for r in sample)
    assert counts["train"] > counts["dev"] > 0 and counts["test"] > 0
    assert sum(bool(r.get("double")) for r in sample) == 200


def test_no_held_out_article_is_sampled():
    heldout = {line.strip() for line in shared_path("data", "heldout-articles.txt").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert len(heldout) > 0
    assert not heldout & {r["article"] for r in load_sample()}


def test_every_sentence_has_one_valid_label():
    sample = {r["sid"]: r for r in load_sample()}
    first, second = load_labels(), load_labels(second=True)
    assert set(first) == set(sample)
    assert set(second) == {s for s, r in sample.items() if r.get("double")}
    for sid, label in list(first.items()) + list(second.items()):
        row = sample[sid]
        assert (label["start"], label["end"]) == (row["start"], row["end"])
        if not label["events"]:
            assert label["none"] in NO_EVENT_KINDS, sid
        for event in label["events"]:
            assert event["type"] in EVENT_TYPES, sid
            assert row["start"] <= event["trigger"][0] < event["trigger"][1] <= row["end"], sid
            for side in ("source", "target"):
                party = event.get(side)
                if party and party["span"]:
                    assert row["start"] <= party["span"][0] < party["span"][1] <= row["end"], sid
                if party and party["sector"]:
                    assert party["sector"] in SECTORS, sid


def test_labels_hold_offsets_not_text():
    for path in (ANNOTATIONS / "labels").glob("*.jsonl"):
        for line in path.read_text().splitlines():
            assert set(json.loads(line)) <= {"sid", "article", "corpus", "start", "end", "events", "none",
                                             "annotator"}


def test_label_offsets_point_at_words_of_their_article():
    shared_path("data", "corpora", "allsides-world.jsonl.gz")
    texts = corpus_texts(str(SHARED))
    for label in list(load_labels().values())[:400]:
        text = texts[label["corpus"]][label["article"]]["text"]
        sentence = text[label["start"]:label["end"]]
        assert sentence.strip() == sentence and sum(c.isalpha() for c in sentence) >= 20
        for event in label["events"]:
            start, end = event["trigger"]
            assert text[start:end].strip() == text[start:end] != ""
            assert not (text[start - 1].isalnum() and text[start].isalnum())  # whole words
            assert not (end < len(text) and text[end].isalnum() and text[end - 1].isalnum())


def test_locate_finds_whole_words_only():
    tool = load_tool("annotate")
    text = "Then the minister said he would go."
    assert tool.locate("he", text, 0, len(text)) == (23, 25)
    assert tool.locate("minister said", text, 0, len(text)) == (9, 22)
    assert tool.locate("Iran", "U.S.-Iranian talks", 0, 18) is None


@pytest.mark.parametrize("pairs, expected", [
    ([("A", "A"), ("B", "B"), ("A", "A"), ("B", "B")], 1.0),
    ([("A", "B"), ("B", "A"), ("A", "B"), ("B", "A")], -1.0),
    ([("A", "A"), ("A", "B"), ("B", "B"), ("B", "A")], 0.0),
])
def test_kappa(pairs, expected):
    assert load_tool("annotate").kappa(pairs) == pytest.approx(expected)
