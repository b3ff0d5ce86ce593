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
# raise them when the coder improves, never lower them to let a change through.
@pytest.mark.parametrize("gold, floors", [
    ("plover-gsr-dev.jsonl", {"type_accuracy": 0.86, "source_accuracy": 0.78, "triple_f1": 0.48}),
    ("cameo-examples.jsonl", {"type_accuracy": 0.78, "cameo_root_accuracy": 0.75}),
])
def test_evaluate_dev_gold_stays_above_its_floors(gold, floors, capsys):
    path = shared_path("data", "gold", gold)
    assert main(["eval", "events", "--gold", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    for key, floor in floors.items():
        assert result[key] >= floor, f"{gold}: {key} {result[key]} fell below its floor {floor}"
