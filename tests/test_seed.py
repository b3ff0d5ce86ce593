"""The user's example article against the analyst's checklist (../shared/seed/expected.json)."""
import importlib.util
import json

import pytest

from communique.cli import main
from conftest import ROOT, shared_path


def load_checker():
    path = shared_path("seed", "check.py")
    spec = importlib.util.spec_from_file_location("seed_check", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("section", ["dateline", "boilerplate", "actors", "events", "quotes", "stances"])
def test_seed_meets_every_expected_item(section, tmp_path, capsys):
    checker = load_checker()
    expected = shared_path("seed", "expected.json")
    article = shared_path("seed", "iran-cuba-tehran.txt")
    assert main(["code", str(article), "--format", "jsonl"]) == 0
    out = tmp_path / "seed.jsonl"
    out.write_text(capsys.readouterr().out)
    others = [s for s in ("dateline", "boilerplate", "actors", "events", "quotes", "stances") if s != section]
    rc = checker.main(["check.py", str(expected), str(out), "--skip", *others])
    report = capsys.readouterr().out
    assert rc == 0, report
    assert "items met" in report


def test_seed_example_copy_is_the_users_article():
    assert (ROOT / "examples" / "iran-cuba-tehran.txt").read_bytes() == \
        shared_path("seed", "iran-cuba-tehran.txt").read_bytes()


def test_seed_output_has_the_contract_keys(code):
    article = code((ROOT / "examples" / "iran-cuba-tehran.txt").read_text())
    doc = json.loads(article.to_json())
    assert set(doc) == {"article", "actors", "events", "quotes", "stances"}
    assert {"id", "title", "source", "place", "date", "text"} <= set(doc["article"])
    assert all({"name", "country", "sector", "mentions"} <= set(a) for a in doc["actors"])
    event_keys = {"type", "mode", "context", "cameo", "goldstein", "quad_class", "source", "target", "location",
                  "date", "historical", "sentence", "span", "confidence"}
    assert doc["events"] and all(event_keys <= set(e) for e in doc["events"])
    text = doc["article"]["text"]
    for event in doc["events"]:
        start, end = event["span"]
        assert text[start:end] == event["sentence"]
    for quote in doc["quotes"]:
        assert text[quote["span"][0]:quote["span"][1]] == quote["text"]
        assert {"text", "span", "speaker", "speaker_span", "cue", "direct"} <= set(quote)
    for stance in doc["stances"]:
        assert stance["polarity"] in (-1, 1) and stance["evidence"]
