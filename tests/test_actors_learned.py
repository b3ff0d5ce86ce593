"""Persons learned from the text: stored with their evidence, listed, resolved in later runs, and
written as an actor file that --actors reads back."""
import json

import pytest

from communique.cli import main
from communique.lexicons.custom import read_actor_file

FIRST = [
    {"id": "a1", "date": "2021-05-01", "text": "Aminu Bello Masari, the governor of Katsina State, said on Monday "
                                               "that bandits had attacked a village. Masari later met army officers."},
    {"id": "a2", "date": "2021-06-01", "text": "Brazil's navy commander Admiral Marcos Olsen visited Lisbon on "
                                               "Tuesday. Olsen met Portuguese officials."},
]
LATER = {"id": "b1", "date": "2021-07-01", "text": "Aminu Bello Masari met Marcos Olsen in Abuja on Friday."}


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return str(path)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    d = tmp_path_factory.mktemp("learned")
    db = str(d / "t.duckdb")
    assert main(["ingest", write_jsonl(d / "first.jsonl", FIRST), "--db", db]) == 0
    return d, db


def test_learned_lists_each_person_with_role_dates_and_evidence(store, capsys):
    d, db = store
    capsys.readouterr()
    assert main(["actors", "learned", "--db", db, "--format", "jsonl"]) == 0
    persons = {p["name"]: p for p in map(json.loads, capsys.readouterr().out.splitlines())}
    masari, olsen = persons["Aminu Bello Masari"], persons["Marcos Olsen"]
    assert (masari["country"], masari["sector"], masari["role"], masari["first_seen"]) == \
        ("NGA", "GOV", "governor", "2021-05-01")
    assert (olsen["country"], olsen["sector"]) == ("BRA", "MIL")
    assert masari["evidence"][0]["article_id"] == "a1"
    assert masari["evidence"][0]["sentence"].startswith("Aminu Bello Masari, the governor of Katsina State")


def test_a_later_ingest_resolves_through_learned_persons_unless_told_not_to(store, tmp_path):
    import duckdb

    _, db = store
    later = write_jsonl(tmp_path / "later.jsonl", [LATER])
    assert main(["ingest", later, "--db", db]) == 0
    other = str(tmp_path / "other.duckdb")
    assert main(["ingest", write_jsonl(tmp_path / "first.jsonl", FIRST), "--db", other]) == 0
    assert main(["ingest", later, "--db", other, "--no-learned"]) == 0

    def olsen(path):
        with duckdb.connect(path, read_only=True) as con:
            return con.execute("SELECT country, sector, reason FROM actors WHERE article_id = 'b1' "
                               "AND name = 'Marcos Olsen'").fetchone()
    country, sector, reason = olsen(db)
    assert (country, sector) == ("BRA", "MIL") and reason.startswith("learned from the text")
    assert olsen(other)[:2] != ("BRA", "MIL")


def test_the_tsv_listing_is_an_actor_file_the_coder_reads_back(store, tmp_path, capsys):
    _, db = store
    listing = tmp_path / "learned.tsv"
    assert main(["actors", "learned", "--db", db, "--format", "tsv", "--out", str(listing)]) == 0
    edited = listing.read_text().replace("\tMIL\tadmiral\t", "\tGOV\tenvoy\t")  # a user's correction
    listing.write_text(edited)
    custom = read_actor_file(str(listing))
    assert {r.name for r in custom.roles} >= {"Aminu Bello Masari", "Marcos Olsen"}
    article = write_jsonl(tmp_path / "b.jsonl", [LATER])
    capsys.readouterr()
    assert main(["code", article, "--format", "jsonl", "--actors", str(listing)]) == 0
    actors = {a["name"]: a for a in json.loads(capsys.readouterr().out)["actors"]}
    assert (actors["Marcos Olsen"]["country"], actors["Marcos Olsen"]["sector"]) == ("BRA", "GOV")
    assert actors["Aminu Bello Masari"]["country"] == "NGA"
