"""Dating events from the temporal expressions of their clause.

``resolve_date(expression, article_date)`` turns "on Monday" (the Monday before
publication), "yesterday", "last week", "22 years ago", "in 2001" or an explicit
date into ``(date, historical)``: an ISO date (``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD`` as precise as the text is) or ``None``, and whether the
expression places the event well before the article (a past event recalled).
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Optional

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
UNITS = {"day": 1, "week": 7, "month": 30, "year": 365, "decade": 3650}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
           "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "hundred": 100,
           "several": 3, "few": 3}
HISTORICAL_DAYS = 365  # an event this long before the article is "historical"


def parse_iso(text: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(text[:10]) if text and len(text) >= 10 else None
    except ValueError:
        return None


def resolve_date(expression: str, article_date: Optional[str]) -> tuple[Optional[str], bool]:
    expr = expression.lower().strip()
    today = parse_iso(article_date)
    if today is None and re.search(r"\b(years?|decades?)\s+ago\b", expr):
        return None, True  # no article date: the time is unknown, but it is recalled from the past
    for rule in (_ago, _year, _month_day, _weekday, _relative):
        found = rule(expr, today)
        if found is not None:
            when, precision = found
            return _format(when, precision), _is_historical(_latest(when, precision), today)
    return None, False


def _format(when: date, precision: str) -> str:
    return {"year": when.strftime("%Y"), "month": when.strftime("%Y-%m")}.get(precision, when.isoformat())


def _latest(when: date, precision: str) -> date:
    """The last day that an expression of this precision may mean ("2023" -> 2023-12-31)."""
    if precision == "year":
        return date(when.year, 12, 31)
    if precision == "month":
        return date(when.year, when.month, 28)
    return when


def _is_historical(when: date, today: Optional[date]) -> bool:
    return today is not None and (today - when).days >= HISTORICAL_DAYS


def _ago(expr: str, today: Optional[date]):
    m = re.search(r"\b(\d+|" + "|".join(NUMBERS) + r")\s+"
                  r"(day|week|month|year|decade)s?\s+ago\b", expr)
    if not m:
        return None
    count = int(m.group(1)) if m.group(1).isdigit() else NUMBERS[m.group(1)]
    days = count * UNITS[m.group(2)]
    if today is None:
        return None
    precision = "year" if m.group(2) in ("year", "decade") else "month" if m.group(2) == "month" else "day"
    return today - timedelta(days=days), precision


def _year(expr: str, today: Optional[date]):
    m = re.fullmatch(r"(?:in |since |during )?(?:the year )?((?:19|20)\d\d)", expr)
    return (date(int(m.group(1)), 1, 1), "year") if m else None


def _month_day(expr: str, today: Optional[date]):
    m = re.search(r"\b(" + "|".join(MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+((?:19|20)\d\d))?", expr)
    if not m:
        return None
    year = int(m.group(3)) if m.group(3) else (today.year if today else None)
    if year is None:
        return None
    try:
        when = date(year, MONTHS.index(m.group(1)) + 1, int(m.group(2)))
    except ValueError:
        return None
    if not m.group(3) and today and when > today:
        when = when.replace(year=year - 1)
    return when, "day"


def _weekday(expr: str, today: Optional[date]):
    m = re.search(r"\b(" + "|".join(WEEKDAYS) + r")\b", expr)
    if not m or today is None:
        return None
    back = (today.weekday() - WEEKDAYS.index(m.group(1))) % 7 or 7
    if "next" in expr or "coming" in expr:
        return today + timedelta(days=(7 - back) or 7), "day"
    return today - timedelta(days=back), "day"


def _relative(expr: str, today: Optional[date]):
    if today is None:
        return None
    table = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "last week": -7, "last month": -30,
             "last year": -365, "next week": 7, "next month": 30, "next year": 365}
    for words, days in table.items():
        if re.search(r"\b" + words + r"\b", expr):
            precision = "year" if "year" in words else "month" if "month" in words else "day"
            return today + timedelta(days=days), precision
    return None
