"""Tests of communique.lexicons.dictionary: dated persons from persons.tsv and persons_phoenix.tsv."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from communique.lexicons.dictionary import Dictionary, Role, Title
from communique.resources import read_table

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return Dictionary.load()


def test_generated_person_resolves(dictionary):
    assert dictionary.person("Robert Mugabe") == "Robert Mugabe"
    assert dictionary.person("robert gabriel mugabe") == "Robert Mugabe"  # an alias, any case
    assert dictionary.person_by_surname("Mugabe") is None  # generated persons: full names only


def test_a_name_with_a_middle_initial_or_name_is_the_person_without_it(dictionary):
    assert dictionary.person("John F. Kerry") == "John Kerry"
    assert dictionary.person("Rex W. Tillerson") == dictionary.person("Rex Tillerson") is not None
    assert dictionary.person("Hillary Rodham Clinton") == dictionary.person("Hillary Clinton") is not None
    assert dictionary.person("John Q. Nobody") is None  # only where the shorter name is the dictionary's
    assert dictionary.person("Sen. Kerry") is None  # a title is no first name


def test_generated_role_on_a_date(dictionary):
    role = dictionary.role("Robert Mugabe", "1990-01-01")
    assert (role.country, role.sector) == ("ZWE", "GOV")


def test_no_role_before_the_first_one(dictionary):
    assert dictionary.role("Robert Mugabe", "1930-01-01") is None


def test_handwritten_table_wins(dictionary):
    handwritten = [r for r in read_table("persons.tsv") if r["name"] == "Vladimir Putin"]
    assert handwritten and any(r["name"] == "Vladimir Putin" for r in read_table("persons_phoenix.tsv")) is False
    assert dictionary.person("Vladimir Putin") == "Vladimir Putin"
    assert dictionary.role("Vladimir Putin", "2010-01-01").role == "prime minister"
    # the generated table would give an earlier role; the hand-written one starts in 2000
    assert dictionary.role("Vladimir Putin", "1995-01-01") is None


def test_handwritten_surname_is_not_shadowed(dictionary):
    assert dictionary.person("George Bush") == "George Bush"  # generated: George H. W. Bush
    assert dictionary.person_by_surname("Bush") == "George W. Bush"  # hand-written


def test_generated_table_format():
    header = next(read_table("persons.tsv")).keys()
    rows = list(read_table("persons_phoenix.tsv"))
    assert len(rows) > 1000 and rows[0].keys() == header
    for r in rows:
        assert len(r["name"].split()) >= 2 and r["name"] == r["name"].strip()
        assert all(d == "" or ISO_DATE.fullmatch(d) for d in (r["start"], r["end"])), r
        assert not (r["start"] and r["end"]) or r["start"] <= r["end"], r
        assert re.fullmatch(r"[A-Z]{3}", r["country"]) and re.fullmatch(r"([A-Z]{3})?", r["sector"]), r


def _role(name, start, end="", sector="GOV"):
    return Role(name, "XXX", sector, "official", start, end, None)


@pytest.fixture
def small() -> Dictionary:
    titles = {"president": Title("president", "GOV", True)}
    hand = [_role("Ann Smith", "2001-01-01"), _role("Dan Brown", "1980-01-01", "1990-01-01")]
    extra = [_role("Bob Smith", "1990-01-01"), _role("Carl Jones", "1995-05-01"),
             _role("Eve Black", "1991-01-01", "1999-12-31"), _role("Eve Black", "2000-01-01", "2005-06-30", "ELI")]
    return Dictionary(titles, hand, {}, extra)


def test_generated_persons_by_full_name_only(small):
    assert small.person("bob smith") == "Bob Smith"
    assert small.person_by_surname("Smith") == "Ann Smith"
    assert small.person_by_surname("Jones") is None


def test_generated_roles_within_and_after_the_table(small):
    assert small.role("Carl Jones", "1995-04-30") is None
    assert small.role("Carl Jones", "2020-01-01").start == "1995-05-01"  # open: still held
    assert small.role("Eve Black", "2003-01-01").sector == "ELI"
    assert small.role("Eve Black", "2005-06-30").role == "official"  # the last date of the table
    assert small.role("Eve Black", "2005-07-01") is None  # after the table: unknown, not "former"
    assert small.role("Eve Black", None) is None
    former = small.role("Dan Brown", "2020-01-01")  # hand-written: former
    assert (former.sector, former.role) == ("ELI", "former official")


def test_learned_persons_hold_from_their_first_evidence_and_never_displace_a_dated_role(small):
    titles = {"president": Title("president", "GOV", True)}
    hand = [_role("Ann Smith", "2001-01-01"), _role("Dan Brown", "1980-01-01", "1990-01-01")]
    learned = [replace(_role(name, start, sector="LEG"), source="learned from the text")
               for name, start in (("Zed Quorn", "2015-03-01"), ("Ann Smith", "2010-01-01"),
                                   ("Dan Brown", "2000-01-01"))]
    d = Dictionary(titles, hand, {}, [], learned)
    assert d.person("zed quorn") == "Zed Quorn" and d.person_by_surname("Quorn") is None  # full name only
    assert d.role("Zed Quorn", "2015-02-28") is None and d.role("Zed Quorn", "2016-01-01").sector == "LEG"
    assert d.role("Ann Smith", "2016-01-01").sector == "GOV"  # the table's role is held on the date: it wins
    assert d.role("Dan Brown", "1995-01-01").sector == "ELI"  # before the evidence: the table's former role
    later = d.role("Dan Brown", "2001-01-01")  # every table role ended before the evidence: the learned one
    assert (later.sector, later.source) == ("LEG", "learned from the text")
