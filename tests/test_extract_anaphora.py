"""An office that points back at the person the story named with it. Every text here is
the project's own."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import extract_events
from pipeline.records import ExtractedEvent

SATURDAY = dt.date(2025, 5, 10)


def _en(text: str) -> list[ExtractedEvent]:
    return extract_events(text, published=SATURDAY, language="en")


def _names(event: ExtractedEvent) -> set[str]:
    return {p.name for p in event.participants}


def test_the_foreign_minister_is_the_one_the_story_named() -> None:
    (event,) = _en(
        "Turkish foreign minister Hakan Fidan paid a visit to Libya on Monday.\n"
        "The foreign minister met with Prime Minister Abdulhamid Dbeibah at the naval base."
    )
    assert _names(event) == {"Hakan Fidan", "Abdulhamid Dbeibah"}
    assert event.date == dt.date(2025, 5, 5)


def test_the_turkish_minister_after_two_ministers_is_the_turkish_one() -> None:
    (event,) = _en(
        "Turkish interior minister Ali Yerlikaya spoke to reporters on Monday.\n"
        "Libyan interior minister Emad Trabelsi was received by the Turkish minister in "
        "Ankara on Tuesday."
    )
    assert _names(event) == {"Emad Trabelsi", "Ali Yerlikaya"}


def test_an_office_two_people_of_the_story_hold_is_nobody() -> None:
    events = _en(
        "President Recep Tayyip Erdogan spoke of Libya on Monday.\n"
        "Mohamed al-Menfi, president of the Presidential Council, was in Rome.\n"
        "The president met with Abdulhamid Dbeibah."
    )
    assert events == []


def test_the_office_of_another_government_is_not_the_one_named() -> None:
    events = _en(
        "Turkish envoy Emrullah Isler met Omar al-Hassi, the self-declared prime minister, "
        "in Tripoli on Thursday.\nIsler will hold talks with the prime minister of the "
        "eastern government on Monday."
    )
    assert [(e.status, _names(e)) for e in events] == [
        ("occurred", {"Emrullah Isler", "Omar al-Hassi"})
    ]


def test_the_one_told_something_is_the_talk_restated_not_another_contact() -> None:
    events = _en(
        "Aguila Saleh received Turkish Ambassador Guven Begec in al-Qubba on Wednesday.\n"
        "Saleh told the ambassador that parliament wanted to ratify the maritime memorandum."
    )
    assert [e.type for e in events] == ["meeting"]


def test_a_visit_that_could_not_happen_is_no_contact_not_a_denial() -> None:
    events = _en(
        "Emrullah Isler could not visit Abdullah al-Thinni in Bayda earlier for technical reasons."
    )
    assert events == []
