"""Event dates are anchored on the publication date, news style."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.dates import find_date_mentions, resolve_event_date
from pipeline.dates_turkish import resolve_turkish_event_date

WEDNESDAY = dt.date(2025, 8, 27)
MONDAY = dt.date(2025, 8, 25)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The two officials met on Monday in Tripoli.", WEDNESDAY, dt.date(2025, 8, 25)),
        # Published on a Monday, "on Monday" is that very day.
        ("The two officials met on Monday in Tripoli.", MONDAY, MONDAY),
        ("Talks were held Wednesday.", WEDNESDAY, WEDNESDAY),
        # "last Thursday" is strictly before publication.
        ("They met last Thursday.", WEDNESDAY, dt.date(2025, 8, 21)),
        ("They met last Thursday.", dt.date(2025, 8, 28), dt.date(2025, 8, 21)),
        ("He arrived yesterday.", WEDNESDAY, dt.date(2025, 8, 26)),
        ("He arrives in Ankara today.", WEDNESDAY, WEDNESDAY),
        ("The deal was signed on 25 August 2025.", WEDNESDAY, dt.date(2025, 8, 25)),
        ("The deal was signed on August 25.", WEDNESDAY, dt.date(2025, 8, 25)),
        ("The deal was signed on Aug. 25, 2025.", WEDNESDAY, dt.date(2025, 8, 25)),
        ("Signed 25.08.2025 in Ankara.", WEDNESDAY, dt.date(2025, 8, 25)),
        ("Signed 2025-08-25 in Ankara.", WEDNESDAY, dt.date(2025, 8, 25)),
        ("They spoke two days ago.", WEDNESDAY, dt.date(2025, 8, 25)),
        # A late-December date in an early-January story belongs to the previous year.
        ("They met on 29 December.", dt.date(2025, 1, 3), dt.date(2024, 12, 29)),
        # "a day after <anchor>" shifts the anchor.
        ("They met a day after the frigate docked on Sunday.", WEDNESDAY, dt.date(2025, 8, 25)),
    ],
)
def test_day_from_text(text: str, published: dt.date, expected: dt.date) -> None:
    assert resolve_event_date(text, published) == (expected, "text")


@pytest.mark.parametrize(
    "text",
    [
        "The envoy met officials last week.",
        "The envoy met officials earlier this week.",
        "The envoy met officials in late August.",
        "The envoy recently met officials.",
    ],
)
def test_loose_dates_give_no_day(text: str) -> None:
    assert resolve_event_date(text, WEDNESDAY) == (None, "vague")


def test_no_date_words_fall_back_to_publication() -> None:
    assert resolve_event_date("The two ministers met in Ankara.", WEDNESDAY) == (
        WEDNESDAY,
        "published",
    )


def test_reporting_day_is_not_the_event_day() -> None:
    text = "The envoys held talks, the ministry said Monday."
    assert resolve_event_date(text, WEDNESDAY) == (WEDNESDAY, "published")
    text = "The envoys held talks, officials told reporters on Tuesday."
    assert resolve_event_date(text, WEDNESDAY) == (WEDNESDAY, "published")


def test_occurred_event_is_never_after_publication() -> None:
    assert resolve_event_date("They met on 2 September 2025.", WEDNESDAY) == (None, "vague")
    assert resolve_event_date("They met on August 29.", WEDNESDAY) == (None, "vague")


def test_planned_weekdays_look_forward() -> None:
    assert resolve_event_date("He will visit on Monday.", WEDNESDAY, future=True) == (
        dt.date(2025, 9, 1),
        "text",
    )
    assert resolve_event_date("He will visit next Wednesday.", WEDNESDAY, future=True) == (
        dt.date(2025, 9, 3),
        "text",
    )
    assert resolve_event_date("He will visit soon.", WEDNESDAY, future=True) == (None, "vague")


def test_modal_may_is_not_a_month() -> None:
    assert find_date_mentions("Officials may meet again.", WEDNESDAY) == []


def test_month_and_year_mentions_carry_their_precision() -> None:
    mentions = find_date_mentions("Troops arrived back in 2020, and again in late May.", WEDNESDAY)
    assert [(m.precision, m.year, m.month) for m in mentions] == [
        ("year", 2020, None),
        ("month", None, 5),
    ]


# ------------------------------------------------------------------ Turkish

TR_PUB = dt.date(2025, 8, 26)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("dün Bingazi'de görüştü", False, (dt.date(2025, 8, 25), "text")),
        ("Pazartesi günü görüştü", False, (dt.date(2025, 8, 25), "text")),
        ("geçen Perşembe görüştü", False, (dt.date(2025, 8, 21), "text")),
        ("25 Ağustos 2025 tarihinde görüştü", False, (dt.date(2025, 8, 25), "text")),
        ("25 Ağustos'ta görüştü", False, (dt.date(2025, 8, 25), "text")),
        ("bugün kabul etti", False, (TR_PUB, "text")),
        ("Cuma günü görüşecek", True, (dt.date(2025, 8, 29), "text")),
        ("geçen hafta görüştü", False, (None, "vague")),
        ("pazar yerinde görüştü", False, (TR_PUB, "published")),
    ],
)
def test_turkish_dates(text: str, future: bool, expected: tuple) -> None:
    assert resolve_turkish_event_date(text, TR_PUB, future=future) == expected
