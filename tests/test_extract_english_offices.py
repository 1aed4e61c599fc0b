"""The office a report gives each party, as an analyst would copy it into the record.
Every text here is the project's own."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import extract_events
from pipeline.records import ExtractedEvent

SATURDAY = dt.date(2025, 5, 10)


def _en(text: str) -> list[ExtractedEvent]:
    return extract_events(text, published=SATURDAY, language="en")


def _roles(event: ExtractedEvent) -> dict[str, str | None]:
    return {p.name: p.role for p in event.participants}


def test_a_title_before_a_hyphenated_name_stops_where_the_name_starts() -> None:
    # The parser hangs "Mohammed al-" under "staff": the name is still not the office's.
    (event,) = _en(
        "A Turkish military delegation met Libyan army chief of staff Mohammed al-Haddad "
        "in Tripoli on Monday to discuss training programmes."
    )
    assert _roles(event)["Mohammed al-Haddad"] == "Libyan army chief of staff"


def test_a_counterpart_is_given_the_office_he_holds_not_the_relation() -> None:
    (event,) = _en(
        "Turkish Parliament Speaker Numan Kurtulmus hosted his Libyan counterpart Aguila "
        "Saleh in Ankara on Tuesday."
    )
    assert _roles(event)["Aguila Saleh"] == "Speaker of the House of Representatives"


def test_a_relative_named_before_the_name_is_not_the_office() -> None:
    (event,) = _en(
        "Haftar's son Saddam arrived in Ankara on Tuesday for talks with Defence Minister "
        "Yasar Guler."
    )
    assert _roles(event)["Saddam Haftar"] == "Commander of the LNA Ground Forces"


def test_both_sides_offices_in_one_apposition_are_each_person_s_own() -> None:
    (event,) = _en(
        "The Turkish and Libyan foreign ministers, Hakan Fidan and Taher al-Baour, held talks "
        "in Antalya on Friday."
    )
    roles = _roles(event)
    assert roles["Hakan Fidan"] == "Minister of Foreign Affairs"
    assert "Turkish" not in (roles["Taher al-Baour"] or "")


def test_a_given_name_before_a_listed_spelling_is_not_part_of_the_office() -> None:
    (event,) = _en(
        "Hakan Fidan also met Foreign Minister Mohammed Tahir Siyala of Libya in Tripoli on Monday."
    )
    assert "Mohammed" not in (_roles(event)["Mohamed Taher Siala"] or "")


def test_an_apposition_naming_the_other_party_is_no_one_s_office() -> None:
    (event,) = _en(
        "Turkish President Recep Tayyip Erdogan and head of Libya's Government of National "
        "Unity (GNU) Abdulhamid Dbeibeh held talks in Istanbul on Friday."
    )
    roles = _roles(event)
    assert "Dbeibeh" not in (roles["Recep Tayyip Erdogan"] or "")
    assert "Erdogan" not in (roles["Abdulhamid Dbeibah"] or "")


def test_a_rank_written_before_the_name_is_not_part_of_the_office() -> None:
    (event,) = _en(
        "Türkiye's Chief of General Staff Gen. Metin Gurak and Abdulhamid Dbeibah met in "
        "Tripoli on Sunday."
    )
    assert _roles(event)["Metin Gurak"] == "Türkiye's Chief of General Staff"


def test_an_office_of_a_joint_body_is_an_office() -> None:
    (event,) = _en(
        "Hakan Fidan met Ali Zeidan, head of the Libyan-Turkish Business Council, in Ankara "
        "on Monday."
    )
    assert "Business Council" in (_roles(event)["Ali Zeidan"] or "")


def test_a_caption_pointer_is_not_an_office() -> None:
    (event,) = extract_events(
        "Prime Minister Abdulhamid Dbeibah (top C) watches Foreign Minister Hakan Fidan "
        "(2nd L) sign a memorandum with Libyan Foreign Minister Taher al-Baour (3rd R) in "
        "Tripoli on Monday.",
        published=dt.date(2025, 9, 17),
        language="en",
    )
    roles = {p.name: p.role for p in event.participants}
    assert roles["Hakan Fidan"] and "2nd" not in roles["Hakan Fidan"]


def test_an_office_with_its_posting_before_the_name_is_whole() -> None:
    # The parser hangs the name on the country ("to Libya, X"); the office is the noun the
    # country completes, and a later "the Turkish ambassador" is the same man.
    events = extract_events(
        "On Monday, Khairi al-Tamimi held a meeting with Turkish Ambassador to Libya, Guven "
        "Begec, in Benghazi. Earlier today, the Turkish ambassador met with the head of the "
        "Benghazi municipal council, Saqr Boujouari.",
        published=dt.date(2025, 1, 13),
        language="en",
    )
    assert len(events) == 2
    roles = {p.name: p.role for e in events for p in e.participants}
    assert roles["Guven Begec"] == "Turkish Ambassador to Libya"
    assert roles["Saqr Boujouari"] == "head of the Benghazi municipal council"
