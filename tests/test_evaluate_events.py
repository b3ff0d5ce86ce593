"""Scoring events against gold: the counting rules on a gold file written here, and pinned
floors on the shared development gold that a change may not lower silently."""
import json

import pytest

from communique.cli import main
from communique.evaluate.events import read_gold, score
from conftest import shared_path


def write_gold(tmp_path, records):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return str(path)


def plover(text, etype, source, target, markup=None):
    return {"text": text, "event_plover": etype, "markup": markup or text,
            "source": [{"text": t, "code": c} for t, c in source],
            "target": [{"text": t, "code": c} for t, c in target]}


def coded(*events):
    return {"events": [{"type": t, "source": {"country": s} if s else None, "target": {"country": g} if g else None,
                        "cameo": c, "confidence": 0.9} for t, s, g, c in events]}


def test_evaluate_counts_types_actors_and_triples(tmp_path):
    golds = read_gold(write_gold(tmp_path, [
        plover("A met B.", "CONSULT", [("A", "AAA")], [("B", "BBB")]),
        plover("C and D agreed.", "AGREE", [("C", "CCC"), ("D", "DDD")], [],
               markup="(SRC/TAR: C) and (SRC/TAR: D) (EVT: agreed)."),
        plover("E protested.", "PROTEST", [("E", "EEE")], []),
    ]))
    result = score(golds, [
        coded(("CONSULT", "AAA", "BBB", "040"), ("ACCUSE", "AAA", None, "111")),
        coded(("AGREE", "CCC", "DDD", "030")),
        coded(("REJECT", "EEE", None, "120")),
    ])
    assert result["n"] == 3
    assert result["type_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["source_accuracy"] == 1.0 and result["target_accuracy"] == 1.0
    assert result["triple_precision"] == pytest.approx(2 / 4, abs=1e-3)  # 4 distinct coded triples, 2 gold
    assert result["triple_recall"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["cameo_root_accuracy"] is None


def test_evaluate_keeps_domestic_pairs_and_scores_cameo_roots(tmp_path):
    golds = read_gold(write_gold(tmp_path, [
        plover("Police arrested rebels.", "COERCE", [("Police", "SDN")], [("rebels", "SDN")]),
    ]))
    assert ("COERCE", "SDN", "SDN") in golds[0].triples
    cameo = read_gold(write_gold(tmp_path, [{"text": "X shelled Y.", "code": "194", "root_code": "19"}]))
    assert cameo[0].types == {"ASSAULT"}
    result = score(cameo, [coded(("ASSAULT", None, None, "190"))])
    assert result["cameo_root_accuracy"] == 1.0 and result["triple_f1"] is None


def test_evaluate_cli_prints_json_with_the_contract_keys(tmp_path, capsys):
    gold = write_gold(tmp_path, [plover("Kenya condemned Uganda.", "ACCUSE", [("Kenya", "KEN")], [("Uganda", "UGA")])])
    assert main(["eval", "events", "--gold", gold, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"type_accuracy", "type_macro_f1", "source_accuracy", "target_accuracy",
                           "triple_precision", "triple_recall", "triple_f1", "cameo_root_accuracy", "n"}
    assert result["n"] == 1 and result["type_accuracy"] == 1.0 and result["triple_f1"] == 1.0


# Floors measured on the development gold (see the closing notes of the event-coding issue);
# raise them when the coder improves, never lower them to let a change through. Both coders
# hold them: the rules were written against these sentences, the learned models trained on
# part of them (their train splits), so these guard against regressions and are no evidence.
@pytest.mark.parametrize("events", ["learned", "rules"])
@pytest.mark.parametrize("gold, floors", [
    ("plover-gsr-dev.jsonl", {"type_accuracy": 0.86, "source_accuracy": 0.78, "triple_f1": 0.48}),
    ("cameo-examples.jsonl", {"type_accuracy": 0.78, "cameo_root_accuracy": 0.75}),
])
def test_evaluate_dev_gold_stays_above_its_floors(gold, floors, events, capsys):
    path = shared_path("data", "gold", gold)
    assert main(["eval", "events", "--gold", str(path), "--json", "--events", events]) == 0
    result = json.loads(capsys.readouterr().out)
    for key, floor in floors.items():
        assert result[key] >= floor, f"{gold}: {key} {result[key]} fell below its floor {floor}"


def pair(text: str, source: str, target: str, plv_type: str) -> dict:
    """A PLV-style record (sentences written for the tests)."""
    s, t = text.index(source), text.index(target)
    return {"id": text[:12], "text": text, "plv_type": plv_type,
            "source": {"text": source, "spans": [[s, s + len(source)]]},
            "target": {"text": target, "spans": [[t, t + len(target)]]}}


def test_pair_files_are_scored_by_the_event_between_the_marked_pair(tmp_path, capsys):
    records = [pair("Kenya condemned Uganda on Monday.", "Kenya", "Uganda", "ACCUSE"),
               pair("Kenya condemned Uganda on Monday.", "Kenya", "Monday", "ACCUSE"),  # no event between them
               pair("Israel freed 20 Palestinian prisoners.", "Israel", "20 Palestinian prisoners", "YIELD")]
    gold = tmp_path / "pairs.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert main(["eval", "events", "--gold", str(gold), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["pairs"] == 3 and result["no_pair_event"] >= 1
    assert result["by_type"]["ACCUSE"] == 0.5  # the marked pair of the first, not of the second
    assert result["pair_type_accuracy"] == pytest.approx(round((1 + result["by_type"]["YIELD"]) / 3, 4))


def test_annotated_scores_count_sentences_triples_and_confidence():
    from communique.evaluate.annotated import score_sentences

    def event(etype, src, tgt, confidence=0.9):
        return {"type": etype, "source": {"country": src}, "target": {"country": tgt}, "confidence": confidence}

    labels = [{"events": [event("CONSULT", "IRN", "CUB")]},
              {"events": [event("ACCUSE", "USA", "IRN"), dict(event("ASSAULT", "USA", "IRN"), hypothetical=True)]},
              {"events": [], "none": "commentary"}]
    coded = [[event("CONSULT", "IRN", "CUB"), event("AGREE", "IRN", "CUB", 0.3)],
             [event("ASSAULT", "USA", "IRN")],
             [event("SUPPORT", "USA", None)]]
    result = score_sentences(labels, coded)
    assert result["with_events"] == 2 and result["type_accuracy"] == 0.5  # the hypothetical assault is no gold event
    assert result["event_f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 0), abs=1e-4)
    assert (result["triple_precision"], result["triple_recall"]) == (0.25, 0.5)
    assert result["events_per_empty_sentence"] == 1.0
    assert result["confidence"][">=0.8"] == {"events": 3, "type_right": pytest.approx(1 / 3, abs=1e-4),
                                             "triple_right": pytest.approx(1 / 3, abs=1e-4)}
    assert result["per_type"]["CONSULT"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "gold": 1}
