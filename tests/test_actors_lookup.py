"""`communique actors lookup` and `communique eval actors` on phrases written for these tests."""
import json

import pytest

from communique.cli import main
from communique.evaluate.actors import read_cases, score_actors
from conftest import shared_path


def lookup_json(capsys, *argv):
    assert main(["actors", "lookup", *argv, "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("text, country, sector", [
    ("Cuban President Miguel Diaz-Canel", "CUB", "GOV"),
    ("Mexican authorities", "MEX", "GOV"),
    ("Pakistani Army", "PAK", "MIL"),
    ("Kenyan farmers", "KEN", "AGR"),
    ("Hamas", "PSE", "REB"),
])
def test_lookup_resolves_country_and_sector(capsys, text, country, sector):
    result = lookup_json(capsys, text)[0]
    assert (result["country"], result["sector"]) == (country, sector)
    assert result["reason"]


@pytest.mark.parametrize("text, date, country, sector", [
    ("Tehran", None, "IRN", "GOV"),  # a capital alone: its government
    ("Isfahan", None, "IRN", "CVL"),  # another town: its people
    ("Boko Haram fighters", None, "NGA", "REB"),  # the body's sector over the member noun
    ("a former Kenyan minister", None, "KEN", "ELI"),
    ("speaker of the Knesset", None, "ISR", "LEG"),  # the body after "speaker of"
    ("riot control police", None, None, "COP"),  # the longest sector noun at the head
    ("Taliban", "2015-05-01", "AFG", "REB"),
    ("Taliban", "2022-05-01", "AFG", "GOV"),  # in power from August 2021
    ("CIA", None, "USA", "SPY"),
    ("UN Security Council", None, "UNO", "GOV"),
    ("Transnistria", None, "MDA", "PRE"),
    ("a group of Syrian rebels", None, "SYR", "REB"),  # a group noun: the members' sector
    ("thousands of Iranian protesters", None, "IRN", "CVL"),
    ("several of the largest Chinese banks", None, "CHN", "BUS"),  # "bank" in no list: like "private bank"
    ("the chief minister of Sindh", None, "PAK", "GOV"),  # a province (ISO 3166-2) places the title
    ("Zamfara gunmen", None, "NGA", "UAF"),
    ("Ukranian aid workers", None, "UKR", "NGO"),  # a misspelt adjective; the project's own sector nouns
    ("the destroyer USS Ross", None, "USA", "MIL"),  # a navy's ship prefix
    ("HMS Defender", None, "GBR", "MIL"),
    ("Pacific Fleet", None, "RUS", "MIL"),
    ("Cairo University", None, "EGY", "EDU"),  # a capital of a million inside a body's name places it
    ("the University of Havana", None, "CUB", "EDU"),
    ("Kingston University", None, None, "EDU"),  # a capital under a million (Kingston, Jamaica) does not
    ("YPG fighters", None, "SYR", "REB"),  # an armed group known by its acronym: its home country
    ("Tigrayan rebels", None, "ETH", "REB"),  # rebels named by their region's people
])
def test_lookup_rules(capsys, text, date, country, sector):
    result = lookup_json(capsys, text, *(["--date", date] if date else []))[0]
    assert (result["country"], result["sector"]) == (country, sector), result["reason"]


def test_lookup_context_gives_the_country_and_date_picks_the_role(capsys):
    assert lookup_json(capsys, "Defense Minister", "--context", "German")[0]["country"] == "DEU"
    assert lookup_json(capsys, "Vladimir Putin", "--date", "2010-06-01")[0]["sector"] == "GOV"


@pytest.mark.parametrize("written", ["1 May 2015", "May 1, 2015", "Friday, May 1st, 2015"])
def test_lookup_takes_dates_as_people_write_them(capsys, written):
    assert lookup_json(capsys, "Taliban", "--date", written)[0]["sector"] == "REB"  # as on 2015-05-01


def test_lookup_takes_today_and_names_a_bad_date_of_a_batch(capsys, tmp_path):
    assert lookup_json(capsys, "Taliban", "--date", "today")[0]["sector"] == "GOV"  # in power since 2021
    batch = tmp_path / "queries.jsonl"
    batch.write_text('{"text": "Taliban", "date": "10 May 2015"}\n{"text": "Taliban", "date": "the other day"}\n')
    assert main(["actors", "lookup", "--batch", str(batch), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "queries.jsonl, query 2: not a date: 'the other day'" in err  # before any lookup
    batch.write_text('{"text": "Taliban", "date": "10 May 2015"}\n')
    assert lookup_json(capsys, "--batch", str(batch))[0]["sector"] == "REB"


def test_lookup_unknown_name_stays_unresolved(capsys):
    result = lookup_json(capsys, "Zorblat Quenmix")[0]
    assert result["country"] is None and result["sector"] is None


def test_lookup_batch_answers_one_line_per_query(capsys, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"text": "Iranian officials"}\n{"text": "Defense Minister", "context": "French"}\n')
    results = lookup_json(capsys, "--batch", str(batch))
    assert [r["country"] for r in results] == ["IRN", "FRA"]


def test_eval_actors_counts_as_specified(tmp_path):
    gold = tmp_path / "g.jsonl"
    records = [
        {"fn": "agent_to_code", "args": ["Mexican authorities", "", "2020-01-01"], "kwargs": {},
         "expect": {"country": "MEX", "code_1": "GOV"}},
        {"fn": "search_nat", "args": ["a US destroyer"], "kwargs": {}, "expect": {"cc": "USA", "text": "destroyer"}},
        {"fn": "agent_to_code", "args": ["Nobody Known"], "kwargs": {}, "expect": {"__value__": {"Is": None}}},
        {"fn": "query_wiki", "args": ["Something"], "kwargs": {}, "expect": {"wiki": "Something"}},
    ]
    gold.write_text("".join(json.dumps(r) + "\n" for r in records))
    cases = read_cases(str(gold))
    assert len(cases) == 3 and cases[0].date == "2020-01-01" and cases[1].sector is None
    result = score_actors(cases, [{"country": "MEX", "sector": "GOV"}, {"country": "USA", "sector": None},
                                  {"country": None, "sector": None}])
    assert result == {"country_accuracy": 1.0, "sector_accuracy": 1.0, "n": 3}


def test_eval_actors_on_the_dev_gold_stays_above_its_floors(capsys):
    path = shared_path("data", "gold", "ngec-actors-dev.jsonl")
    assert main(["eval", "actors", "--gold", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["country_accuracy"] >= 0.85 and result["sector_accuracy"] >= 0.75


def test_nearest_sector_noun_on_nouns_held_out_of_the_index():
    """The similarity fallback measured as it was chosen: sector_nouns.tsv split by term hash, 70% in
    the index, 15% dev (where SIMILAR was chosen), 15% test (measured here)."""
    from communique.actors.lookup import SIMILAR, SectorIndex
    from communique.evaluate.annotated import split_of
    from communique.resources import read_table

    rows = list(read_table("sector_nouns.tsv"))
    indexed = [r for r in rows if split_of(r["term"], "sectors") == "train"]
    index = SectorIndex([r["term"] for r in indexed], [r["sector"] for r in indexed])
    test = [r for r in rows if split_of(r["term"], "sectors") == "test"]
    found = [(index.nearest(r["term"]), r["sector"]) for r in test]
    covered = [(sector == gold) for (_, sector, similarity), gold in found if similarity >= SIMILAR]
    assert len(test) > 250 and len(covered) / len(test) > 0.5 and sum(covered) / len(covered) > 0.82
