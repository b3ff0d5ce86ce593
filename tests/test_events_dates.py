import pytest

from communique.events.dates import resolve_date


@pytest.mark.parametrize("expr, article_date, expected", [
    ("on Monday", "2024-05-08", ("2024-05-06", False)),        # a Wednesday: the Monday before
    ("Monday evening", "2024-05-06", ("2024-04-29", False)),   # same weekday: a week earlier
    ("yesterday", "2024-05-08", ("2024-05-07", False)),
    ("last week", "2024-05-08", ("2024-05-01", False)),
    ("22 years ago", "2024-05-08", ("2002", True)),
    ("two years ago", "2024-05-08", ("2022", True)),
    ("in 2001", "2024-05-08", ("2001", True)),
    ("2023", "2024-05-08", ("2023", False)),
    ("March 3", "2024-05-08", ("2024-03-03", False)),
    ("December 30", "2024-05-08", ("2023-12-30", False)),
    ("June 4, 1989", "2024-05-08", ("1989-06-04", True)),
])
def test_dates_resolve_against_article_date(expr, article_date, expected):
    assert resolve_date(expr, article_date) == expected


def test_dates_without_article_date_keep_recalled_past():
    assert resolve_date("22 years ago", None) == (None, True)
    assert resolve_date("on Monday", None) == (None, False)


def test_dates_unknown_expression_gives_nothing():
    assert resolve_date("the evening", "2024-05-08") == (None, False)
