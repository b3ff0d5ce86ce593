"""User actor files (`--actors FILE`) add to and override the package's actors."""
import json

import pytest

from communique.lexicons.custom import ActorFileError, read_actor_file
from communique.cli import main

HEADER = "name\taliases\tkind\tcountry\tsector\trole\tstart\tend\tgender\n"


@pytest.fixture
def actors_file(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text(
        "# my project's actors\n" + HEADER +
        "Zorblat Quenmix\tZ. Quenmix\tperson\tSLV\tGOV\tpresident\t2019-06-01\t2024-05-31\tm\n"
        "Zorblat Quenmix\tZ. Quenmix\tperson\tSLV\tLEG\tspeaker\t2024-06-01\t\tm\n"
        "Velmara Liberation Front\tVLF\torganization\tSLV\tREB\t\t\t\t\n"
        "Hamas\t\torganization\tPSE\tGOV\t\t\t\t\n"
        "Velmara\t\tplace\tSLV\tPRE\t\t\t\t\n", encoding="utf-8")
    return str(path)


def lookup(capsys, actors_file, *argv):
    assert main(["actors", "lookup", *argv, "--json", "--actors", actors_file]) == 0
    return json.loads(capsys.readouterr().out)


def test_user_person_resolves_by_date(capsys, actors_file):
    assert (lookup(capsys, actors_file, "Zorblat Quenmix", "--date", "2020-03-01")["sector"]) == "GOV"
    result = lookup(capsys, actors_file, "Z. Quenmix", "--date", "2025-01-10")
    assert (result["country"], result["sector"]) == ("SLV", "LEG")


def test_user_organisation_adds_and_overrides(capsys, actors_file):
    vlf = lookup(capsys, actors_file, "VLF")
    assert (vlf["country"], vlf["sector"]) == ("SLV", "REB") and "mine.tsv" in vlf["reason"]
    assert lookup(capsys, actors_file, "Hamas")["sector"] == "GOV"  # the package says REB
    assert lookup(capsys, actors_file, "Velmara")["sector"] == "PRE"


def test_without_the_file_the_package_entries_stand(capsys):
    assert main(["actors", "lookup", "Hamas", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sector"] == "REB"


def test_code_uses_the_user_actors(capsys, tmp_path, actors_file):
    article = tmp_path / "a.txt"
    article.write_text("Zorblat Quenmix accused the Velmara Liberation Front of attacking a police post.\n")
    assert main(["code", str(article), "--format", "jsonl", "--date", "2020-05-05", "--actors", actors_file]) == 0
    out = json.loads(capsys.readouterr().out)
    events = [(e["type"], e["source"]["country"], e["source"]["sector"], e["target"]["sector"])
              for e in out["events"] if e["source"] and e["target"]]
    assert ("ACCUSE", "SLV", "GOV", "REB") in events


@pytest.mark.parametrize("row, message", [
    ("Foo\t\tperson\tXX\tGOV\t\t\t\t\n", "country 'XX'"),
    ("Foo\t\tdeity\tSLV\tGOV\t\t\t\t\n", "kind 'deity'"),
    ("Foo\t\tperson\tSLV\tGOV\tpresident\t2019\t\t\n", "start '2019'"),
])
def test_bad_rows_name_the_file_and_line(capsys, tmp_path, row, message):
    path = tmp_path / "bad.tsv"
    path.write_text(HEADER + row)
    with pytest.raises(ActorFileError, match="line 2"):
        read_actor_file(str(path))
    assert main(["actors", "lookup", "Foo", "--actors", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.tsv: line 2" in err and message in err


def test_missing_columns_and_files_are_reported(tmp_path):
    path = tmp_path / "short.tsv"
    path.write_text("name\tsector\nFoo\tGOV\n")
    with pytest.raises(ActorFileError, match="lacks kind, country"):
        read_actor_file(str(path))
    with pytest.raises(ActorFileError, match="cannot read"):
        read_actor_file(str(tmp_path / "absent.tsv"))
