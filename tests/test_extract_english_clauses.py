"""Which clause of a sentence a contact belongs to, and what it counts as. Every text here
is the project's own."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import extract_events
from pipeline.records import ExtractedEvent

SATURDAY = dt.date(2025, 5, 10)


def _en(text: str) -> list[ExtractedEvent]:
    return extract_events(text, published=SATURDAY, language="en")


def test_a_signing_where_the_meeting_took_place_is_a_second_contact() -> None:
    meeting, signing = _en(
        "Abdulhamid Dbeibah met with Alparslan Bayraktar in Tripoli on Monday, where the two "
        "sides signed a memorandum on oil exploration."
    )
    assert (meeting.type, signing.type) == ("meeting", "agreement")
    assert signing.date == meeting.date == dt.date(2025, 5, 5)


def test_a_signing_where_they_had_met_before_is_another_time() -> None:
    events = _en(
        "Alparslan Bayraktar met Abdulhamid Dbeibah in Tripoli on Monday, where Turkey "
        "signed a maritime deal in 2019."
    )
    assert [e.type for e in events] == ["meeting"]


def test_a_recent_signing_told_in_passing_is_one_contact_not_two() -> None:
    events = _en(
        "Alparslan Bayraktar met Abdulhamid Dbeibah in Tripoli on Monday, where he had signed "
        "an energy deal with Najla Mangoush last month."
    )
    assert sorted(e.type for e in events) == ["agreement", "meeting"]


def test_later_that_day_in_a_new_paragraph_is_the_day_told_last() -> None:
    first, second = _en(
        "Hakan Fidan visited Malta on Tuesday.\n"
        "On Wednesday, Fidan flew to Tripoli and met Abdulhamid Dbeibah.\n"
        "Later that day, Fidan held talks with Khaled al-Mishri."
    )
    assert first.date == second.date == dt.date(2025, 5, 7)


def test_people_taken_from_the_sentence_before_bring_the_day_told_with_them() -> None:
    (event,) = _en(
        "Hakan Fidan met Mohamed al-Menfi in Tripoli.\n"
        "The talks covered energy and migration.\n"
        "The Turkish delegation arrived on Thursday, led by Hakan Fidan and including "
        "Yasar Guler.\n"
        "The delegation was received by Najla Mangoush."
    )[-1:]
    assert event.date == dt.date(2025, 5, 8)
    assert {p.name for p in event.participants} >= {"Yasar Guler", "Najla Mangoush"}


def test_a_meeting_on_a_video_platform_is_a_call() -> None:
    for text in (
        "Aguila Saleh met on Zoom with Numan Kurtulmus on Tuesday.",
        "Aguila Saleh held a meeting via video link with Numan Kurtulmus on Tuesday.",
    ):
        (event,) = _en(text)
        assert (event.type, event.location) == ("call", None)


def test_agreements_named_as_documents_are_not_signings() -> None:
    for text in (
        "Recep Tayyip Erdogan criticised the ceasefire agreement between the GNA and "
        "Khalifa Haftar's forces.",
        "Abdullah al-Lafi and Guven Begec talked about carrying out the accords signed "
        "between both states.",
    ):
        assert all(e.type != "agreement" for e in _en(text))


def test_a_training_programme_of_two_armies_with_no_day_is_policy_not_a_plan() -> None:
    for text in (
        "The Turkish armed forces will train Libyan soldiers in several groups, officials said.",
        "The Turkish army is going to train batches of Libyan troops, officials said.",
    ):
        assert _en(text) == []


def test_a_five_word_paragraph_of_wire_copy_is_read() -> None:
    events = _en(
        "Hakan Fidan met Abdulhamid Dbeibah in Tripoli on Wednesday.\n"
        "Fidan also met Mohamed al-Menfi."
    )
    assert len(events) == 2 and events[1].date == dt.date(2025, 5, 7)


def test_an_airline_flying_to_libya_is_a_route_not_a_visit() -> None:
    (event,) = extract_events(
        "Fayez al-Sarraj met Recep Tayyip Erdogan in Istanbul on Monday.\n"
        "Sarraj told Erdogan that Turkey will soon reopen its consulate in Misrata and that "
        "Turkish Airlines will also resume flying to Libya.",
        published=dt.date(2016, 4, 19),  # Sarraj in office
        language="en",
    )
    assert (event.type, event.location) == ("meeting", "Istanbul")


def test_a_where_clause_with_someone_of_its_own_is_another_contact() -> None:
    events = _en(
        "Hakan Fidan met Taher al-Baour in Tripoli on Monday, and Fidan later visited "
        "Benghazi, where he met Khalifa Haftar."
    )
    assert {frozenset(p.name for p in e.participants) for e in events} == {
        frozenset({"Hakan Fidan", "Taher al-Baour"}),
        frozenset({"Hakan Fidan", "Khalifa Haftar"}),
    }


def test_a_person_who_signed_in_a_relative_clause_signed() -> None:
    events = _en(
        "Abdulhamid Dbeibah received Hakan Fidan in Tripoli on Monday, who signed three "
        "memoranda of understanding with him."
    )
    assert sorted(e.type for e in events) == ["agreement", "meeting"]


def test_saw_with_a_person_object_is_a_meeting_but_not_as_a_view() -> None:
    (event,) = _en("Turkish envoy Emrullah Isler saw Fayez al-Sarraj at the naval base on Monday.")
    assert event.type == "meeting"
    assert _en("Hakan Fidan saw Khalifa Haftar as a partner for peace, he said on Monday.") == []


def test_a_country_welcoming_someone_s_arrival_is_a_stance_not_a_reception() -> None:
    assert (
        _en(
            "Emrullah Isler said on Monday that Turkey welcomed the new government and Fayez "
            "al-Sarraj's arrival in Tripoli."
        )
        == []
    )


def test_two_central_banks_signing_are_the_parties_not_the_governments() -> None:
    (event,) = _en(
        "On Monday the Central Bank of Turkey and the Central Bank of Libya signed a swap "
        "memorandum."
    )
    assert {p.name for p in event.participants} == {
        "Central Bank of the Republic of Turkey",
        "Central Bank of Libya",
    }


def test_a_pluperfect_contact_on_a_day_of_this_week_is_news() -> None:
    (event,) = _en(
        "Recep Tayyip Erdogan and Abdulhamid Dbeibah have discussed the elections.\n"
        "The two leaders had already met in Istanbul on Friday.\n"
        "The officials reviewed the memoranda that were signed under the previous government."
    )
    assert (event.type, event.date, event.location) == ("meeting", dt.date(2025, 5, 9), "Istanbul")


def test_those_who_attended_the_meeting_join_the_meeting_not_the_message() -> None:
    meeting, message = _en(
        "Metin Gurak and Abdulhamid Dbeibah on Sunday discussed joint exercises.\n"
        "During his visit, Gurak conveyed Recep Tayyip Erdogan's message to Dbeibah.\n"
        "Guven Begec and Mohammed al-Haddad also attended the meeting."
    )
    assert (meeting.type, message.type) == ("meeting", "other")
    assert {"Guven Begec", "Mohammed al-Haddad"} <= {p.name for p in meeting.participants}
    assert "Guven Begec" not in {p.name for p in message.participants}


def test_ceremonies_attended_by_both_sides_are_counted_by_their_kind() -> None:
    (opening,) = _en(
        "Guven Begec and Ramadan Abu Janah attended the opening ceremony of a hospital in "
        "Tripoli on Monday."
    )
    (graduation,) = _en(
        "Guven Begec and Mohammed al-Haddad attended the graduation ceremony of cadets in "
        "Tripoli on Monday."
    )
    (reception,) = _en(
        "An official reception ceremony was held for Abdulhamid Dbeibah in Ankara on Monday, "
        "hosted by Alparslan Bayraktar."
    )
    assert (opening.type, graduation.type, reception.type) == ("other", "military", "meeting")


def test_a_day_of_an_event_the_text_does_not_date_gives_no_day() -> None:
    (event,) = _en(
        "Yasar Guler met Mohammed al-Haddad on the second day of the defence fair in Istanbul."
    )
    assert event.date is None


def test_is_going_to_is_a_plan() -> None:
    (event,) = _en("Hakan Fidan is going to visit Abdulhamid Dbeibah in Tripoli on Monday.")
    assert (event.status, event.date) == ("planned", dt.date(2025, 5, 12))
