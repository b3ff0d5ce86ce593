"""Tests for communique.inputs.clean: whitespace, datelines, site names, boilerplate."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from communique.inputs.clean import clean_article, load_boilerplate, parse_date
from communique.model import Article

SEED = Path("/work/shared/seed/iran-cuba-tehran.txt")
BODY = "Officials from both countries met on Monday.\n\nThey agreed to meet again in May."


def clean(text: str, **fields: Optional[str]) -> Article:
    return clean_article(Article(id="a", text=text, **fields))


def test_clean_normalizes_whitespace() -> None:
    raw = "  First line.   \r\nSecond line.\t\r\n\r\n\r\n\r\n\r\nNext paragraph.  \n\n\n"
    assert clean(raw).text == "First line.\nSecond line.\n\nNext paragraph."


def test_clean_keeps_single_blank_line_between_paragraphs() -> None:
    assert clean(BODY).text == BODY


@pytest.mark.parametrize(
    ("prefix", "place", "source"),
    [
        ("Tehran (IP) - ", "Tehran", "IP"),
        ("WASHINGTON (Reuters) - ", "Washington", "Reuters"),
        ("LONDON, March 3 (AP) \u2014 ", "London", "Associated Press"),
        ("Beirut, Lebanon \u2014 ", "Beirut", None),
        ("NEW YORK (AFP) -- ", "New York", "Agence France-Presse"),
        ("AL-QUDS (Xinhua)- ", "Al-Quds", "Xinhua News Agency"),
        ("BEIRUT\u2014", "Beirut", None),
    ],
)
def test_clean_removes_dateline(prefix: str, place: str, source: Optional[str]) -> None:
    article = clean(prefix + BODY)
    assert article.text == BODY
    assert article.place == place
    assert article.source == source


def test_clean_takes_date_from_dateline() -> None:
    article = clean("PARIS, Jan. 5, 2020 (AFP) - " + BODY)
    assert (article.place, article.date, article.text) == ("Paris", "2020-01-05", BODY)


@pytest.mark.parametrize(
    "text",
    [
        "President Valdez \u2014 who took office in May \u2014 said the talks would continue.",
        "The United Nations (UN) - a body of 193 members - met on Monday.",
        "Officials said the plan - first proposed last year - would go ahead.",
        "Ministers, Deputies - everyone attended the session.",
    ],
)
def test_clean_keeps_sentence_that_resembles_dateline(text: str) -> None:
    article = clean(text)
    assert article.text == text
    assert article.place is None


def test_clean_keeps_existing_place_source_and_date() -> None:
    article = clean("LONDON, March 3, 2023 (AP) - " + BODY, place="Oxford", source="Gazette", date="2020-01-01")
    assert (article.place, article.source, article.date) == ("Oxford", "Gazette", "2020-01-01")
    assert article.text == BODY


@pytest.mark.parametrize(
    ("dateline", "source"),
    [
        ("Ostra (VT) - ", "Valdoria Times"),  # initials match the abbreviation
        ("", "Valdoria Times"),  # no abbreviation at all
        ("OSTRA (AP) - ", "Associated Press"),  # a wire agency wins over the site name
        ("OSTRA (XYZ) - ", "XYZ"),  # unknown abbreviation is kept as is
    ],
)
def test_clean_removes_glued_site_name(dateline: str, source: str) -> None:
    text = f"{dateline}The ministers met.\n\nValdoria TimesValdoria news: Talks went on for hours."
    article = clean(text)
    assert article.text == "The ministers met.\n\nTalks went on for hours."
    assert article.source == source


def test_clean_removes_glued_site_name_with_section_label() -> None:
    article = clean("Northwind GazetteWorld News: The council voted on Tuesday.")
    assert article.text == "The council voted on Tuesday."
    assert article.source == "Northwind Gazette"


@pytest.mark.parametrize(
    "text",
    [
        "The McDonald's spokesman said: prices will rise.",
        "Officials in PressTown said: the vote is final.",
        "Valdoria Times news: this has no camel-case join.",
        "Background: the talks began in 2019.",
    ],
)
def test_clean_keeps_lead_without_glued_site_name(text: str) -> None:
    article = clean(text)
    assert article.text == text
    assert article.source is None


@pytest.mark.parametrize(
    "marker", ["Read more:", "Read more", "READ MORE :", "Related:", "Related articles", "See also:", "More on this story"]
)
def test_clean_cuts_tail_from_marker_line(marker: str) -> None:
    text = f"{BODY}\n\n{marker}\n\nOther headline one\nOther headline two"
    assert clean(text).text == BODY


def test_clean_keeps_marker_words_inside_sentences() -> None:
    text = "Analysts said readers should read more about the treaty.\n\nRead more: the full text is online."
    assert clean(text).text == text


def test_clean_keeps_text_when_marker_is_first_line() -> None:
    assert clean("Related:\nThe ministers met.").text == "Related:\nThe ministers met."


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Share on Facebook",
        "Share:",
        "Follow us on Twitter",
        "Subscribe to our newsletter",
        "Sign up for our daily briefing",
        "Click here to read the full report",
        "All rights reserved.",
        "\u00a9 2023 Northwind Gazette",
        "Copyright 2021 Northwind Gazette. All rights reserved.",
        "Advertisement",
    ],
)
def test_clean_drops_boilerplate_line(line: str) -> None:
    text = f"Officials from both countries met on Monday.\n{line}\n\nThey agreed to meet again in May."
    assert clean(text).text == BODY


@pytest.mark.parametrize(
    "line",
    [
        "Officials said they would share this article of the treaty with Facebook.",
        "The minister urged followers to follow us on the path of peace, he said.",
        "He said all rights reserved by the treaty would be respected, and added that talks would go on.",
        "Talks to subscribe to the pact continue.",
    ],
)
def test_clean_keeps_sentence_with_boilerplate_words(line: str) -> None:
    assert clean(line).text == line


def test_clean_removes_leading_date_line() -> None:
    article = clean("Friday, January 4, 2019\n\n" + BODY)
    assert (article.text, article.date) == (BODY, "2019-01-04")


def test_clean_leading_date_line_keeps_existing_date() -> None:
    article = clean("Friday, January 4, 2019\n" + BODY, date="2019-01-05")
    assert (article.text, article.date) == (BODY, "2019-01-05")


def test_clean_leading_date_line_then_dateline() -> None:
    article = clean("Monday, March 2, 2020\n\nKABUL (AP) \u2014 " + BODY)
    assert (article.text, article.place, article.date) == (BODY, "Kabul", "2020-03-02")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-01-04", "2019-01-04"),
        ("2019-01-04T10:30:00Z", "2019-01-04"),
        ("Friday, January 4, 2019", "2019-01-04"),
        ("4 January 2019", "2019-01-04"),
        ("Jan. 4, 2019", "2019-01-04"),
        ("January 4th, 2019", "2019-01-04"),
        ("2019/01/04", "2019-01-04"),
        ("yesterday", None),
        ("2019-13-45", None),
    ],
)
def test_clean_parse_date(value: str, expected: Optional[str]) -> None:
    assert parse_date(value) == expected


def test_clean_is_idempotent() -> None:
    once = clean("WASHINGTON (Reuters) - " + BODY + "\n\nShare this article\n\nRead more:\nX")
    assert clean_article(once) == once


def test_clean_loads_boilerplate_once() -> None:
    assert load_boilerplate() is load_boilerplate()
    assert load_boilerplate().lines and load_boilerplate().tails


def test_clean_seed_article() -> None:
    if not SEED.exists():
        pytest.skip(f"seed article {SEED} is not available")
    article = clean_article(Article(id="seed", text=SEED.read_text(encoding="utf-8")))
    for junk in ("Iran PressIran news:", "Read more:", "Cuba president met Iran par.speaker"):
        assert junk not in article.text
    assert article.place == "Tehran"
    assert article.source == "Iran Press"
    assert article.text.startswith("Referring to the huge")
    assert "Cuban President Miguel Diaz-Canel and his accompanying delegation" in article.text
