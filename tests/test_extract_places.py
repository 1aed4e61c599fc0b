"""Where a contact happened, as the report marks it. Every text here is the project's own."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract import extract_events

SATURDAY = dt.date(2025, 5, 10)


@pytest.mark.parametrize(
    ("where", "city"),
    [
        ("Dolmabahçe Çalışma Ofisi'nde", "Istanbul"),
        ("Cumhurbaşkanlığı Külliyesi'nde", "Ankara"),
        ("Esenboğa Havalimanı'nda", "Ankara"),
        ("Mitiga Havalimanı'nda", "Tripoli"),
    ],
)
def test_a_turkish_building_after_its_place_says_the_city(where: str, city: str) -> None:
    (event,) = extract_events(
        f"Cumhurbaşkanı Erdoğan, Libya Başbakanı Dibeybe'yi {where} kabul etti.",
        published=SATURDAY,
        language="tr",
    )
    assert event.location == city
