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


def _tr(text: str) -> list:
    return extract_events(text, published=SATURDAY, language="tr")


def test_a_contact_with_no_place_of_its_own_is_where_its_party_went() -> None:
    (event,) = _tr(
        "Dışişleri Bakanı Hakan Fidan, bugün Libya'nın başkenti Trablus'a gitti.\n"
        "Fidan, Başbakan Abdulhamid Dibeybe ile görüştü."
    )
    assert (event.location, event.country) == ("Tripoli", "Libya")


def test_a_sentence_naming_two_places_puts_nobody_in_either() -> None:
    (event,) = _tr(
        "Dışişleri Bakanı Hakan Fidan, bugün Ankara'dan Trablus'a uçtu.\n"
        "Fidan, Başbakan Abdulhamid Dibeybe ile görüştü."
    )
    assert event.location is None


def test_a_place_in_a_sentence_about_another_year_is_not_where_they_are() -> None:
    (event,) = _tr(
        "Fidan, 2019 yılında Bingazi'de bulunmuştu.\n"
        "Fidan, bugün Başbakan Abdulhamid Dibeybe ile görüştü."
    )
    assert event.location is None


def test_the_building_of_a_city_in_the_sentence_after_the_contact_places_it() -> None:
    (event,) = _tr(
        "Dışişleri Bakanı Hakan Fidan, bugün Başbakan Abdulhamid Dibeybe ile bir araya geldi. "
        "Trablus'taki hükümet binasında gerçekleşen görüşmede enerji ele alındı."
    )
    assert (event.location, event.country) == ("Tripoli", "Libya")
