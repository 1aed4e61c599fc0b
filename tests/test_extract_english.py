"""English reporting the extractor must read as an analyst does: which clause a contact
belongs to, contacts told as earlier, military cooperation. Every text here is the
project's own; real articles are read by tests/test_extract_realnews.py at run time."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import extract_events
from pipeline.records import ExtractedEvent

WEDNESDAY = dt.date(2025, 9, 17)


def _people(event: ExtractedEvent) -> set[tuple[str, str | None]]:
    return {(p.name, p.side) for p in event.participants}


def _en(text: str, title: str | None = None) -> list[ExtractedEvent]:
    return extract_events(text, published=WEDNESDAY, title=title, language="en")


def test_an_index_date_before_the_text_does_not_date_the_contact() -> None:
    (event,) = _en(
        "date 2025-09-17 Yasar Guler and Mohammed al-Haddad on Monday discussed joint "
        "officer training in Ankara."
    )
    assert event.date == dt.date(2025, 9, 15)


def test_a_pluperfect_beside_the_contact_does_not_make_it_history() -> None:
    (event,) = _en(
        "On his tour of the west, Hakan Fidan earlier met with Mohamed al-Menfi and had "
        "stopped at the consulate in Misrata."
    )
    assert _people(event) == {("Hakan Fidan", "turkiye"), ("Mohamed al-Menfi", "libya")}
    assert event.date is None  # told as earlier, on a day the text does not give


def test_a_contact_told_as_earlier_is_not_the_one_the_story_dated() -> None:
    dated, earlier = _en(
        "Hakan Fidan and Abdulhamid Dbeibah on Monday discussed the power grid in Tripoli.\n"
        "During the same trip Fidan earlier met with Mohamed al-Menfi and Abdulhamid "
        "Dbeibah at the presidential council."
    )
    assert dated.date == dt.date(2025, 9, 15)
    assert earlier.date is None
    assert ("Mohamed al-Menfi", "libya") in _people(earlier)


# ------------------------------------------------------------------ military cooperation
def test_a_warship_in_a_libyan_port_is_the_navies_contact() -> None:
    (event,) = _en(
        "A Turkish warship arrived in Misrata port on Saturday for joint training with the "
        "Libyan coast guard."
    )
    assert event.type == "military"
    assert _people(event) == {("Turkish Navy", "turkiye"), ("Libyan Navy", "libya")}
    assert (event.date, event.location) == (dt.date(2025, 9, 13), "Misrata")


def test_talks_with_an_unnamed_military_delegation_are_military() -> None:
    (event,) = _en(
        "Mohammed al-Haddad received a Turkish military delegation in Tripoli on Monday "
        "to go over officer exchanges."
    )
    assert event.type == "military"
    assert _people(event) == {
        ("Mohammed al-Haddad", "libya"),
        ("Turkish military delegation", "turkiye"),
    }


def test_a_civilian_body_met_is_a_party_only_as_the_one_met() -> None:
    (event,) = _en("Recep Tayyip Erdogan met the Libyan parliament's delegation on Monday.")
    assert ("House of Representatives (Libya)", "libya") in _people(event)


def test_an_unnamed_party_the_story_goes_on_to_name_is_not_another_contact() -> None:
    (event,) = _en(
        "Mohammed al-Haddad travelled to Ankara to meet Turkish military leaders.\n"
        "He held talks with General Metin Gurak at the general staff headquarters."
    )
    assert _people(event) == {("Mohammed al-Haddad", "libya"), ("Metin Gurak", "turkiye")}


def test_a_plan_that_is_denied_is_no_contact() -> None:
    assert _en("Officials said there were no plans for Hakan Fidan to meet Khalifa Haftar.") == []
    assert _en("Hakan Fidan is not expected to visit Tripoli to meet Abdulhamid Dbeibah.") == []


def test_a_pluperfect_in_reported_speech_is_news_on_an_unknown_day() -> None:
    (event,) = _en(
        "Hakan Fidan said he had discussed with Aguila Saleh the reopening of the consulate."
    )
    assert _people(event) == {("Hakan Fidan", "turkiye"), ("Aguila Saleh", "libya")}
    assert event.date is None


def test_a_signing_restated_in_reported_speech_is_the_same_signing() -> None:
    (event,) = _en(
        "Hakan Fidan and Abdulhamid Dbeibah signed a memorandum on power lines in Tripoli on "
        "Monday.\nAt the ceremony, Fidan and Dbeibah said they had signed the memorandum "
        "to link the two grids."
    )
    assert (event.type, event.date) == ("agreement", dt.date(2025, 9, 15))


def test_training_with_a_named_partner_is_military_cooperation() -> None:
    (event,) = _en(
        "Turkish naval forces conducted training with Libyan coast guard personnel in Tripoli "
        "on Monday."
    )
    assert (event.type, event.location) == ("military", "Tripoli")
    assert _people(event) == {("Turkish Navy", "turkiye"), ("Libyan Navy", "libya")}


def test_the_port_a_ship_calls_at_is_its_place() -> None:
    (event,) = _en(
        "The Turkish frigate TCG Gokova docked at the port of Misrata on Friday and was "
        "welcomed by officers of the Libyan Navy."
    )
    assert (event.type, event.location, event.date) == ("military", "Misrata", dt.date(2025, 9, 12))


# ------------------------------------------------------------------ institutions as parties
def test_an_institution_the_contact_is_held_with_is_a_party() -> None:
    (event,) = _en(
        "Hakan Fidan held talks with a delegation of the Government of National Unity in "
        "Ankara on Monday."
    )
    assert _people(event) == {
        ("Hakan Fidan", "turkiye"),
        ("Government of National Unity", "libya"),
    }


def test_an_institution_named_in_passing_is_not_a_party() -> None:
    assert (
        _en(
            "Hakan Fidan, who backs the Government of National Unity, held talks in Ankara on "
            "Monday with visiting envoys about the migration route."
        )
        == []
    )


def test_the_countries_signing_at_a_meeting_just_told_are_its_people() -> None:
    meeting, agreement = _en(
        "Hakan Fidan met Abdulhamid Dbeibah in Tripoli on Monday. Turkey and Libya signed "
        "two memorandums on energy at the meeting."
    )
    assert agreement.type == "agreement"
    assert _people(agreement) == _people(meeting)
    assert (agreement.date, agreement.location) == (dt.date(2025, 9, 15), "Tripoli")


# ------------------------------------------------------------------ the day of a contact
def test_a_contact_told_as_context_past_the_lede_has_no_day() -> None:
    events = _en(
        "A plane carrying Libyan officers came down near Ankara, officials said.\n"
        "Abdulhamid Dbeibah announced the loss of the delegation on Tuesday evening.\n"
        "During his trip to Turkey, al-Haddad met with Defence Minister Yasar Guler and "
        "other commanders."
    )
    (event,) = events
    assert event.date is None


def test_the_title_repeated_above_the_text_is_not_its_lede() -> None:
    title = "Erdogan phones Dbeibah to offer condolences."
    (event,) = _en(
        f"{title}\n{title}\n"
        "Recep Tayyip Erdogan spoke by phone with Abdulhamid Dbeibah and offered his "
        "condolences over the flood in Derna.",
        title=title,
    )
    assert (event.type, event.date) == ("call", WEDNESDAY)


def test_a_contact_before_which_a_trip_is_told_in_the_pluperfect_is_the_news() -> None:
    (event,) = _en(
        "Before his meeting with Recep Tayyip Erdogan in Ankara on Friday, Mohamed al-Menfi "
        "had flown to Rome for talks with Italian officials."
    )
    assert _people(event) == {("Recep Tayyip Erdogan", "turkiye"), ("Mohamed al-Menfi", "libya")}
    assert (event.date, event.location) == (dt.date(2025, 9, 12), "Ankara")


def test_a_refused_meeting_has_no_other_contact_in_its_sentence() -> None:
    assert (
        _en(
            "Hakan Fidan rejected Khalifa Haftar's request to meet him, after Haftar asked "
            "for a meeting during a visit to Ankara."
        )
        == []
    )


def test_a_visit_named_by_its_visitor_after_a_restatement_is_a_contact() -> None:
    events = _en(
        "Hakan Fidan held talks with Mohammed al-Haddad in Ankara on Monday.\n"
        "The meeting comes after Abdulhamid Dbeibah's earlier visit to Ankara, where talks with "
        "Recep Tayyip Erdogan centred on trade."
    )
    visit = next(e for e in events if ("Abdulhamid Dbeibah", "libya") in _people(e))
    assert ("Recep Tayyip Erdogan", "turkiye") in _people(visit)
    assert visit.date is None  # told as earlier, on a day the text does not give


def test_agreeing_to_meet_is_a_plan() -> None:
    (event,) = _en("Hakan Fidan and Khalifa Haftar agreed to meet in Benghazi next week.")
    assert event.status == "planned"


def test_two_forces_told_with_one_noun_are_both_parties() -> None:
    (event,) = _en(
        "Turkish and Libyan naval forces carried out joint exercises off Tripoli on Sunday."
    )
    assert _people(event) == {("Turkish Navy", "turkiye"), ("Libyan Navy", "libya")}


def test_a_defence_ministry_delegation_holds_military_talks() -> None:
    (event,) = _en(
        "A delegation from the Turkish Defence Ministry met with Mohammed al-Haddad in Tripoli "
        "on Monday."
    )
    assert event.type == "military"


def test_a_message_delivered_is_another_contact_with_its_author() -> None:
    (event,) = _en(
        "Hakan Fidan on Sunday conveyed Recep Tayyip Erdogan's message to Abdulhamid Dbeibah "
        "in Tripoli."
    )
    assert event.type == "other"
    assert ("Recep Tayyip Erdogan", "turkiye") in _people(event)


def test_training_provided_to_a_force_is_military_cooperation() -> None:
    (event,) = _en(
        "The Turkish Armed Forces provided military training to the Libyan army in Tripoli "
        "on Monday, the ministry said."
    )
    assert event.type == "military"
    assert _people(event) == {
        ("Turkish Armed Forces", "turkiye"),
        ("Libyan Army (Tripoli)", "libya"),
    }


def test_the_next_day_counts_from_the_day_the_story_told() -> None:
    visit, meeting = _en(
        "Hakan Fidan arrived in Tripoli on Monday for talks with Abdulhamid Dbeibah.\n"
        "The next day, Fidan met Khalifa Haftar in Benghazi."
    )
    assert visit.date == dt.date(2025, 9, 15)
    assert (meeting.date, meeting.location) == (dt.date(2025, 9, 16), "Benghazi")


def test_the_members_a_delegation_included_take_part_in_its_contact() -> None:
    (event,) = _en(
        "Fayez al-Sarraj received a Turkish delegation headed by Mevlut Cavusoglu in Tripoli "
        "on Wednesday. The delegation included Berat Albayrak and Hakan Fidan."
    )
    assert {("Berat Albayrak", "turkiye"), ("Hakan Fidan", "turkiye")} <= _people(event)


def test_a_father_named_for_his_son_is_not_a_party() -> None:
    (event,) = _en("Yasar Guler received Khalifa Haftar's son Saddam Haftar in Ankara on Thursday.")
    assert _people(event) == {("Yasar Guler", "turkiye"), ("Saddam Haftar", "libya")}
    assert "son" not in (event.participants[-1].role or "")
    assert _en("Yasar Guler received the LNA commander's son in Ankara on Thursday.") == []


# ------------------------------------------------------------------ calls
def test_calls_announced_in_one_sentence_and_named_in_the_next() -> None:
    first, second = _en(
        "Recep Tayyip Erdogan spoke by phone separately with two Libyan leaders on Saturday. "
        "He talked with Abdulhamid Dbeibah about the ceasefire and with Mohamed al-Menfi "
        "about the elections."
    )
    assert (first.type, second.type) == ("call", "call")
    assert {p.name for p in first.participants} ^ {p.name for p in second.participants} == {
        "Abdulhamid Dbeibah",
        "Mohamed al-Menfi",
    }
    assert first.date == second.date == dt.date(2025, 9, 13)


def test_a_call_with_someone_is_a_phone_call() -> None:
    (event,) = _en(
        "The statement came two days after Erdogan's call with Dbeibah on Monday, in which "
        "the two discussed energy projects."
    )
    assert (event.type, event.date) == ("call", dt.date(2025, 9, 15))


def test_training_a_force_was_provided_with_is_military_cooperation() -> None:
    (event,) = _en(
        "Turkey's Armed Forces provided the Libyan Navy with four weeks of training in mine "
        "clearance, the ministry said."
    )
    assert event.type == "military"
    assert _people(event) == {("Turkish Armed Forces", "turkiye"), ("Libyan Navy", "libya")}


def test_a_contact_with_no_day_of_its_own_took_place_when_announced() -> None:
    (event,) = _en(
        "Recep Tayyip Erdogan received Abdulhamid Dbeibah at the presidential complex, the "
        "Turkish presidency said on Monday."
    )
    assert (event.date, event.date_source) == (dt.date(2025, 9, 15), "text")


def test_the_same_day_is_the_day_the_story_told() -> None:
    first, second = _en(
        "Hakan Fidan met Abdulhamid Dbeibah in Tripoli on Monday.\n"
        "Later that day, Fidan flew to Benghazi and held talks with Khalifa Haftar."
    )
    assert first.date == second.date == dt.date(2025, 9, 15)


# ------------------------------------------------------------------ one sentence, two times
def test_a_clause_of_another_time_keeps_its_people_place_and_day() -> None:
    events = _en(
        "Days after he had met Khalifa Haftar in Benghazi on Monday, Hakan Fidan hosted "
        "Aguila Saleh in Ankara."
    )
    (event,) = [e for e in events if ("Aguila Saleh", "libya") in _people(e)]
    assert _people(event) == {("Hakan Fidan", "turkiye"), ("Aguila Saleh", "libya")}
    assert event.location == "Ankara"
    assert event.date == WEDNESDAY  # Monday was the other meeting's day


def test_news_told_before_a_days_after_clause_is_news_of_the_day() -> None:
    (event,) = _en(
        "Recep Tayyip Erdogan received Abdulhamid Dbeibah in Istanbul, days after Turkish "
        "lawmakers extended the troop mandate."
    )
    assert (event.date, event.date_source) == (WEDNESDAY, "published")


def test_a_clause_of_another_time_tells_its_own_contact() -> None:
    earlier, news = sorted(
        _en(
            "Recep Tayyip Erdogan received Abdulhamid Dbeibah in Istanbul on Saturday, days "
            "after Hakan Fidan visited Khalifa Haftar in Benghazi."
        ),
        key=lambda e: e.date is not None,
    )
    assert _people(earlier) == {("Hakan Fidan", "turkiye"), ("Khalifa Haftar", "libya")}
    assert (earlier.date, earlier.location) == (None, "Benghazi")
    assert (news.date, news.location) == (dt.date(2025, 9, 13), "Istanbul")


def test_a_pronoun_in_the_earlier_clause_is_the_main_contact_s_subject() -> None:
    events = _en(
        "Days after he had met Khalifa Haftar in Benghazi, Hakan Fidan hosted Aguila Saleh "
        "in Ankara on Friday."
    )
    assert {frozenset(_people(e)) for e in events} == {
        frozenset({("Hakan Fidan", "turkiye"), ("Khalifa Haftar", "libya")}),
        frozenset({("Hakan Fidan", "turkiye"), ("Aguila Saleh", "libya")}),
    }


def test_a_contact_named_with_its_partner_as_a_subject_is_a_contact() -> None:
    (event,) = _en(
        "The meeting between Hakan Fidan and Khalifa Haftar, held in Benghazi on Monday, "
        "focused on reopening the consulate."
    )
    assert (event.date, event.location) == (dt.date(2025, 9, 15), "Benghazi")
    assert _en("A meeting between Erdogan and Haftar would be a breakthrough, analysts said.") == []


def test_offices_of_both_countries_named_together_are_their_holders() -> None:
    (event,) = _en(
        "The Libyan and Turkish interior ministers signed a security memorandum in Tripoli "
        "on Tuesday."
    )
    assert event.type == "agreement"
    assert {p.side for p in event.participants} == {"turkiye", "libya"}
    assert ("Ali Yerlikaya", "turkiye") in _people(event)


def test_leaders_who_witness_a_signing_are_its_parties() -> None:
    (event,) = _en(
        "Recep Tayyip Erdogan and Abdulhamid Dbeibah witnessed the signing of five agreements "
        "in Istanbul on Saturday."
    )
    assert (event.type, event.date, event.location) == (
        "agreement",
        dt.date(2025, 9, 13),
        "Istanbul",
    )
    (ceremony,) = _en(
        "The signing ceremony was attended by Hakan Fidan and Abdulhamid Dbeibah in Ankara "
        "on Friday."
    )
    assert ceremony.type == "agreement"


def test_an_unnamed_counterpart_holds_the_same_office_on_the_other_side() -> None:
    (event,) = _en("Hakan Fidan received his Libyan counterpart in Ankara on Monday.")
    assert ("Taher al-Baour", "libya") in _people(event)


def test_two_states_signing_on_a_day_with_no_one_named_are_their_governments() -> None:
    (event,) = _en("Turkey and Libya on Monday signed two memorandums on energy and health.")
    assert _people(event) == {
        ("Government of Türkiye", "turkiye"),
        ("Government of National Unity", "libya"),  # the government that day,
    }
    assert _en("Turkey and the GNU inked an accord on oil fields earlier this month.") == []
    (signed,) = _en(
        "Hakan Fidan and Najla Mangoush signed the memorandums in Tripoli on Monday.\n"
        "Turkey and Libya on Monday signed two memorandums on energy."
    )
    assert ("Hakan Fidan", "turkiye") in _people(signed)


def test_the_headline_s_day_dates_a_lede_that_gives_none() -> None:
    (event,) = _en(
        "Hakan Fidan met Khalifa Haftar in Benghazi, the Turkish foreign ministry said, in "
        "talks on the coastal road.",
        title="Fidan meets Haftar in Benghazi on Monday",
    )
    assert (event.date, event.date_source) == (dt.date(2025, 9, 15), "text")


def test_a_coordinated_verb_without_subject_shares_the_main_one() -> None:
    events = _en(
        "Hakan Fidan met Abdulhamid Dbeibah in Tripoli on Monday and then travelled to "
        "Benghazi, where he met Khalifa Haftar."
    )
    haftar = next(e for e in events if ("Khalifa Haftar", "libya") in _people(e))
    assert ("Hakan Fidan", "turkiye") in _people(haftar)
    assert (haftar.date, haftar.location) == (dt.date(2025, 9, 15), "Benghazi")


def test_a_son_named_after_his_father_s_surname_is_the_son() -> None:
    (event,) = _en("Yasar Guler received Haftar's son Khaled in Ankara on Monday.")
    assert _people(event) == {("Yasar Guler", "turkiye"), ("Khaled Haftar", "libya")}
    assert _en("Yasar Guler received the LNA commander's son in Ankara on Monday.") == []


def test_a_year_naming_an_earlier_accord_does_not_make_the_contact_history() -> None:
    (event,) = _en(
        "Turkish trainers began training Libyan naval cadets in Khoms on Monday under "
        "the 2020 defence cooperation deal."
    )
    assert (event.type, event.date) == ("military", dt.date(2025, 9, 15))
    # The year on the signed deal itself still makes it the old signing.
    assert _en("Turkey and Libya on Monday recalled they signed the 2019 maritime deal.") == []


def test_armed_forces_named_by_their_shape_are_parties() -> None:
    (drills,) = _en("Turkish and Libyan special forces held joint drills near Zuwara on Sunday.")
    assert drills.type == "military"
    assert _people(drills) == {
        ("Turkish Armed Forces", "turkiye"),
        ("Libyan Army (Tripoli)", "libya"),
    }
    (course,) = _en(
        "Turkish military engineers trained Libyan coast guard personnel in Khoms on Monday."
    )
    assert _people(course) == {("Turkish Armed Forces", "turkiye"), ("Libyan Navy", "libya")}
    # Experts of no stated service are not an armed force.
    assert _en("Turkish experts trained Libyan bankers in Tripoli on Monday.") == []


def test_a_guest_welcomed_in_the_passive_is_received() -> None:
    (event,) = _en("Yasar Guler was welcomed in Misrata by Abdulhamid Dbeibah on Monday.")
    assert (event.type, event.location) == ("meeting", "Misrata")
    assert _en("The Turkish offer was welcomed by Abdulhamid Dbeibah on Monday.") == []


def test_a_first_contact_in_years_is_news_not_history() -> None:
    (event,) = _en(
        "Yasar Guler met Mohammed al-Haddad in Tripoli on Monday, the first visit by a "
        "Turkish defence minister since 2020."
    )
    assert event.date == dt.date(2025, 9, 15)
    (council,) = _en(
        "Recep Tayyip Erdogan and Mohamed al-Menfi held the first meeting of the joint "
        "council in Ankara on Monday."
    )
    assert council.type == "meeting"
    assert _en("Hakan Fidan has met Khalifa Haftar twice since 2020.") == []


def test_leaders_who_co_chair_a_body_meet() -> None:
    (event,) = _en(
        "Omer Bolat and Mohamed al-Hweij co-chaired the joint trade commission in Izmir on Tuesday."
    )
    assert (event.type, event.date) == ("meeting", dt.date(2025, 9, 16))


def test_a_partner_the_parser_hangs_on_the_topic_is_the_partner() -> None:
    (talks,) = _en(
        "Abdulhamid Dbeibah discussed port security with Yasar Guler in Izmir on Tuesday."
    )
    assert _people(talks) == {("Abdulhamid Dbeibah", "libya"), ("Yasar Guler", "turkiye")}
    (views,) = _en(
        "Hakan Fidan exchanged views on the grain trade with Mohamed al-Menfi on Tuesday."
    )
    assert views.type == "meeting"
    # A topic that names a country is not a partner.
    assert (
        _en("Abdulhamid Dbeibah discussed trade with Turkey at a cabinet session on Tuesday.") == []
    )


def test_a_call_made_to_discuss_is_a_call() -> None:
    (event,) = _en("Recep Tayyip Erdogan on Sunday called Khalifa Haftar to discuss the ceasefire.")
    assert (event.type, event.date) == ("call", dt.date(2025, 9, 14))
    (wishes,) = _en("Hakan Fidan called Taher al-Baour on Monday to congratulate him on his post.")
    assert wishes.type == "call"
    assert _en("Recep Tayyip Erdogan called Khalifa Haftar a putschist on Sunday.") == []
    assert _en("Recep Tayyip Erdogan called on Khalifa Haftar to withdraw on Sunday.") == []


def test_a_video_conference_is_a_call_and_a_press_conference_is_not() -> None:
    (event,) = _en("Hakan Fidan and Taher al-Baour held a video conference on Monday.")
    assert event.type == "call"
    assert _en("Hakan Fidan and Taher al-Baour held a press conference on Monday.") == []


def test_a_group_the_next_paragraph_names_completes_the_contact() -> None:
    events = _en(
        "The Turkish president held separate phone calls with Libyan leaders on Sunday.\n"
        "Regional security was on the agenda in Recep Tayyip Erdogan's talks with Mohamed "
        "al-Menfi and Abdulhamid Dbeibah, his office said."
    )
    assert sorted(tuple(sorted(_people(e))) for e in events) == [
        (("Abdulhamid Dbeibah", "libya"), ("Recep Tayyip Erdogan", "turkiye")),
        (("Mohamed al-Menfi", "libya"), ("Recep Tayyip Erdogan", "turkiye")),
    ]
    assert {e.type for e in events} == {"call"}


def test_an_office_someone_is_elected_to_names_them_not_its_holder() -> None:
    (event,) = _en(
        "Recep Tayyip Erdogan congratulated the leaders of Libya's new government by phone "
        "on Monday.\n"
        "Erdogan wished success to Mohamed al-Menfi, elected as head of the Presidential "
        "Council last week."
    )
    assert _people(event) == {("Recep Tayyip Erdogan", "turkiye"), ("Mohamed al-Menfi", "libya")}


# ------------------------------------------------------------------ no contact
def test_a_contact_said_not_to_have_happened_is_none() -> None:
    assert _en("Hakan Fidan said Khalifa Haftar did not sign the truce text in Rome.") == []
    assert _en("Khalifa Haftar, who is not involved in the unity agreement, met no one.") == []


def test_whoever_acts_in_a_clause_of_another_time_is_no_party() -> None:
    # A trip with no one named on the Libyan side is a visit to the government of the day,
    # never to the man of the other clause.
    (trip,) = _en(
        "Yasar Guler flew to Misrata on Sunday, a day after Khalifa Haftar warned "
        "Turkish troops to leave."
    )
    assert _people(trip) == {("Yasar Guler", "turkiye"), ("Government of National Unity", "libya")}
    (event,) = _en(
        "Yasar Guler met Abdulhamid Dbeibah in Misrata on Sunday, a day after Khalifa "
        "Haftar warned Turkish troops to leave."
    )
    assert _people(event) == {("Yasar Guler", "turkiye"), ("Abdulhamid Dbeibah", "libya")}


def test_a_month_after_the_month_of_writing_told_as_past_is_last_year_s() -> None:
    # Published in September: "last November" is ten months back, history.
    (meeting,) = _en(
        "Yasar Guler met Mohammed al-Haddad in Ankara on Monday.\n"
        "Last November, Turkey and Libya signed a naval training accord."
    )
    assert meeting.type == "meeting"


# ------------------------------------------------------------------ plans
def test_is_to_meet_is_a_plan() -> None:
    (event,) = _en("Ibrahim Kalin is to meet Khalifa Haftar in Benghazi on Friday.")
    assert (event.status, event.date) == ("planned", dt.date(2025, 9, 19))


def test_a_plan_s_day_dates_the_meetings_expected_during_it() -> None:
    (event,) = _en(
        "Hakan Fidan will travel to Misrata on Saturday. He is expected to meet Abdulhamid "
        "Dbeibah there."
    )
    assert (event.status, event.date) == ("planned", dt.date(2025, 9, 20))


def test_he_after_a_paragraph_break_is_the_person_named_before_it() -> None:
    events = _en(
        "Turkish envoy Emrullah Isler reached Libya on Monday.\n"
        "Isler, a former deputy premier, took up the post in the spring.\n"
        "He began in Tobruk, where he met Aguila Saleh. He then flew to Bayda for talks "
        "with Abdullah al-Thinni."
    )
    assert {(e.type, e.location) for e in events} >= {("meeting", "Tobruk")}
    thinni = next(e for e in events if ("Abdullah al-Thinni", "libya") in _people(e))
    assert (thinni.type, ("Emrullah Isler", "turkiye") in _people(thinni)) == ("meeting", True)


def test_a_surname_said_to_be_someone_s_son_is_the_son_the_story_named() -> None:
    (event,) = _en(
        "Khaled Haftar landed in Ankara on Monday.\n"
        "Haftar, son of the eastern commander Khalifa Haftar, was received by Yasar Guler."
    )
    assert _people(event) == {("Khaled Haftar", "libya"), ("Yasar Guler", "turkiye")}


def test_separate_meetings_then_a_joint_one_are_counted_apart() -> None:
    events = _en(
        "On Monday, Ibrahim Kalin met separately with Mohamed al-Menfi and Abdulhamid "
        "Dbeibah, before holding a meeting at a villa in Janzour in the presence of "
        "Yasar Guler, Mohamed al-Menfi and Abdulhamid Dbeibah."
    )
    groups = sorted(sorted(p.name for p in e.participants) for e in events)
    assert groups == [
        ["Abdulhamid Dbeibah", "Ibrahim Kalin"],
        ["Abdulhamid Dbeibah", "Ibrahim Kalin", "Mohamed al-Menfi", "Yasar Guler"],
        ["Ibrahim Kalin", "Mohamed al-Menfi"],
    ]
    assert {e.date for e in events} == {dt.date(2025, 9, 15)}


def test_a_year_in_a_clause_about_something_else_does_not_date_the_contact() -> None:
    (event,) = _en(
        "Yasar Guler met Mohammed al-Haddad in Ankara on Monday, the anniversary of the "
        "accord that was signed in 2020."
    )
    assert event.date == dt.date(2025, 9, 15)


def test_the_next_sentence_about_the_contact_gives_its_day() -> None:
    (talks,) = _en(
        "Taher al-Baour held talks with Hakan Fidan in Izmir. The two ministers agreed on "
        "Monday to reopen the consulate in Benghazi."
    )
    assert (talks.date, talks.date_source) == (dt.date(2025, 9, 15), "text")
    (secret,) = _en(
        "Abdulhamid Dbeibah paid an unannounced visit to Ankara last month, where he met "
        "Recep Tayyip Erdogan. He landed in Ankara on August 30 and flew home the next day."
    )
    assert secret.date == dt.date(2025, 8, 30)


def test_a_city_and_colon_before_the_lede_and_a_body_after_in_give_the_side() -> None:
    (event,) = _en(
        "Misrata: Chair of the energy committee in the House of Representatives, Salem "
        "Qanan, met with the Turkish Consul, Ahmet Kaya, in Misrata on Monday."
    )
    assert _people(event) == {("Salem Qanan", "libya"), ("Ahmet Kaya", "turkiye")}


def test_an_office_in_lower_case_after_a_demonym_is_a_title() -> None:
    (event,) = _en("Turkish envoy Ahmet Kaya met Libyan lawmaker Salem Qanan in Sirte on Monday.")
    assert _people(event) == {("Ahmet Kaya", "turkiye"), ("Salem Qanan", "libya")}


def test_a_meeting_held_virtually_is_a_call() -> None:
    (event,) = _en("Hakan Fidan met virtually with Taher al-Baour on Monday.")
    assert event.type == "call"


def test_a_delegation_received_as_it_and_diplomats_as_the_two_take_their_parties() -> None:
    (received,) = _en(
        "A Turkish delegation led by Hakan Fidan landed in Misrata on Monday. It was "
        "received by Abdulhamid Dbeibah at the airport."
    )
    assert ("Hakan Fidan", "turkiye") in _people(received)
    (joint,) = _en(
        "Hakan Fidan spoke at a joint news conference with Taher al-Baour on Monday. "
        "The two top diplomats then held a meeting in Tripoli."
    )
    assert _people(joint) == {("Hakan Fidan", "turkiye"), ("Taher al-Baour", "libya")}


def test_a_present_tense_with_a_day_ahead_is_a_plan() -> None:
    (event,) = _en("Abdulhamid Dbeibah travels to Ankara tomorrow to meet Recep Tayyip Erdogan.")
    assert (event.status, event.date) == ("planned", dt.date(2025, 9, 18))


def test_officials_who_accompany_a_visitor_on_his_visit_are_its_parties() -> None:
    (event,) = _en(
        "Osama Hammad accompanied Ambassador Guven Begec on his visit to Sirte on Monday."
    )
    assert (event.type, event.location) == ("visit", "Sirte")
    assert _people(event) == {("Osama Hammad", "libya"), ("Guven Begec", "turkiye")}


def test_the_day_given_for_people_dates_the_contact_they_are_taken_into() -> None:
    (event,) = _en(
        "On Monday, Emad Trabelsi and Saddam Haftar toured the arms fair in Istanbul.\n"
        "The two officials were welcomed by Yasar Guler at the entrance."
    )
    assert event.date == dt.date(2025, 9, 15)


def test_a_background_sentence_told_as_recent_does_not_undate_the_next_contact() -> None:
    first, second = _en(
        "Yasar Guler made a surprise trip to Libya on Saturday.\n"
        "The trip came after the Turkish parliament this week extended the troop mandate.\n"
        "On landing, Guler held talks with Salah al-Namroush and then met Khaled al-Mishri."
    )
    assert first.date == second.date == dt.date(2025, 9, 13)


def test_a_call_the_standfirst_told_without_its_partner_is_the_day_s_news() -> None:
    (event,) = _en(
        "Aid will keep coming, Erdogan tells the head of the Libyan council in a phone call.\n"
        "Recep Tayyip Erdogan has offered condolences over the floods in eastern Libya.\n"
        "In a phone call, Erdogan told Mohamed al-Menfi that aid flights would continue."
    )
    assert (event.type, event.date, event.date_source) == ("call", WEDNESDAY, "published")


def test_an_envoy_s_country_is_the_one_he_serves_not_the_one_he_is_posted_to() -> None:
    (event,) = _en(
        "Taher al-Baour met Hakan Fidan in Ankara on Monday. Libya's ambassador to Turkey "
        "Mustafa Gharyani and senior Turkish officials attended the meeting."
    )
    assert ("Mustafa Gharyani", "libya") in _people(event)


def test_a_listed_surname_after_another_given_name_is_someone_else() -> None:
    # Ali Zeidan is listed; a namesake with another given name is not him.
    assert _en("Deputy minister Omar Zeidan met Guven Begec in Tripoli on Monday.") == []
    (event,) = _en("Recep Tayyip Erdogan met Prime Minister Zeidan in Ankara on Monday.")
    assert ("Ali Zeidan", "libya") in _people(event)


def test_prose_hard_wrapped_at_a_column_is_read_as_sentences() -> None:
    (event,) = _en(
        "Tripoli, 16 September 2025(Lana) Libyan Prime Minister Abdulhamid\n"
        "Dbeibah on Monday received the Turkish Minister of Trade Omer Bolat at\n"
        "the seat of the government in Tripoli to discuss the trade balance.\n"
        "The two sides reviewed the work of the joint economic commission and\n"
        "the return of Turkish companies to stalled projects across the country."
    )
    assert _people(event) == {("Abdulhamid Dbeibah", "libya"), ("Omer Bolat", "turkiye")}
    assert event.date == dt.date(2025, 9, 15)  # Monday, not the wire's own date


def test_a_port_the_model_tags_as_a_person_is_not_a_party() -> None:
    assert _en("The Turkish frigate docked at the port of Al-Khums on Friday.") == []


# Military cooperation as a programme: whom it trains is its other party, a state trains
# through its armed forces, and a programme under way has no day of its own.
def test_training_that_names_whom_it_trains_is_military_cooperation() -> None:
    (event,) = _en(
        "The Turkish defence ministry on Tuesday reported the continued training of Libyan "
        "Navy frogmen in harbour protection."
    )
    assert event.type == "military"
    assert _people(event) == {("Turkish Ministry of National Defence", "turkiye"),
                              ("Libyan Navy", "libya")}  # fmt: skip


def test_a_state_that_trains_a_force_does_so_through_its_armed_forces() -> None:
    (event,) = _en("Turkey is currently training Libyan coast guard crews for patrols at sea.")
    assert event.type == "military"
    assert ("Turkish Armed Forces", "turkiye") in _people(event)


def test_a_programme_under_way_has_no_day() -> None:
    (event,) = _en("Turkey keeps running its training programme for Libyan forces at two bases.")
    assert event.type == "military" and event.date is None
    (dated,) = _en("Turkish officers trained Libyan cadets at a base near Misrata on Monday.")
    assert dated.date == WEDNESDAY - dt.timedelta(days=2)


def test_a_training_plan_in_a_deck_is_no_contact() -> None:
    assert not _en("Turkish Armed Forces to help with training of Libyan pilots, ministry says.")


def test_a_trip_programme_keeps_its_day_and_its_visitor_across_paragraphs() -> None:
    # "He is also scheduled to …": the pronoun is the subject of the verb above the one
    # that holds the meetings, and the day the trip was announced for carries down the
    # programme, one planned contact after another.
    events = _en(
        "Turkish Energy Minister Alparslan Bayraktar will travel to Libya on Friday with a "
        "group of investors.\n\n"
        "Officials in Ankara said the trip was meant to widen energy ties.\n\n"
        "During the trip, Bayraktar is expected to be received by Prime Minister Abdulhamid "
        "Dbeibah.\n\n"
        "He is also scheduled to hold talks with Libya's oil minister, Khalifa Abdulsadek. "
        "Those talks are expected to cover two offshore fields."
    )
    talks = [e for e in events if ("Khalifa Abdulsadek", "libya") in _people(e)]
    assert len(talks) == 1 and ("Alparslan Bayraktar", "turkiye") in _people(talks[0])
    assert talks[0].status == "planned" and talks[0].date == dt.date(2025, 9, 19)


def test_whoever_talks_are_about_is_no_party() -> None:
    (event,) = _en(
        "Hakan Fidan met Mohamed al-Menfi in Tripoli on Monday to discuss the siege laid by "
        "forces loyal to Khalifa Haftar."
    )
    assert ("Khalifa Haftar", "libya") not in _people(event)
    # A partner the parser hangs inside the object still is one.
    (talks,) = _en("Hakan Fidan on Monday discussed energy cooperation with Abdulhamid Dbeibah.")
    assert ("Abdulhamid Dbeibah", "libya") in _people(talks)


def test_a_phone_named_in_the_sentence_belongs_to_its_own_verb() -> None:
    # "That phone call came after …": another clause's verb of receiving is no call.
    events = _en(
        "That phone call came after a speech by Recep Tayyip Erdogan on Sunday about a "
        "commander receiving weapons from abroad, meaning Khalifa Haftar."
    )
    assert not [e for e in events if ("Khalifa Haftar", "libya") in _people(e)]


def test_a_surname_alone_is_the_person_the_story_named_in_full_in_its_spelling() -> None:
    # The story spells the name its own way, in full first and then alone.
    (event,) = _en(
        "Fayez Al-Sirraj, who chairs the Presidential Council, spoke on Sunday.\n\n"
        "Recep Tayyip Erdogan telephoned Al-Sirraj on Monday."
    )
    assert ("Fayez al-Sarraj", "libya") in _people(event)


def test_a_restatement_gives_the_contact_the_day_its_first_telling_lacked() -> None:
    (event,) = _en(
        "Libya's chief of staff Mohammed al-Haddad visited a Turkish frigate off Misrata "
        "last week with a group of officers.\n\n"
        "(LIBYA, 17 September 2025) – The Turkish defence ministry said the visit took place "
        "on Thursday, 11 September."
    )
    assert event.date == dt.date(2025, 9, 11) and event.date_source == "text"


def test_whoever_acts_for_a_person_is_not_that_person() -> None:
    events = _en(
        "The special envoy of Speaker Aguila Saleh, Abdel Basit al-Badri, met the advisers of "
        "President Recep Tayyip Erdogan and Hakan Fidan in Ankara on Monday."
    )
    assert events and not [e for e in events if ("Aguila Saleh", "libya") in _people(e)]
    assert not [e for e in events if ("Recep Tayyip Erdogan", "turkiye") in _people(e)]
    # The envoy himself, his posting written before his name, is a party.
    (meeting,) = _en(
        "Turkey's special envoy for Libya Emrullah Isler met Khalifa Haftar in Benghazi on Monday."
    )
    assert ("Emrullah Isler", "turkiye") in _people(meeting)


def test_a_contact_during_the_past_days_has_no_day() -> None:
    (event,) = _en(
        "Hakan Fidan received a delegation led by Ahmed Maiteeq in Ankara during the past days."
    )
    assert event.date is None


def test_a_visit_that_names_no_host_is_to_the_government_of_the_day() -> None:
    (visit,) = _en("Turkish Foreign Minister Hakan Fidan arrived in Tripoli on Monday.")
    assert ("Government of National Unity", "libya") in _people(visit)
    (visit,) = _en("Libya's interior minister Emad Trabelsi paid a visit to Istanbul on Monday.")
    assert ("Government of Türkiye", "turkiye") in _people(visit)
    # A warship's port call is the navy's contact, and the next contact "the two ministers"
    # had does not inherit a host nobody named.
    (visit,) = _en(
        "Turkish Foreign Minister Hakan Fidan and his Maltese counterpart Ian Borg arrived in "
        "Tripoli on Monday for a working visit. On Sunday, the two top diplomats held talks "
        "in Valletta."
    )
    assert visit.date == dt.date(2025, 9, 15)
    calls = _en("The Turkish frigate TCG Gaziantep visited Tripoli on Monday.")
    assert not [p for e in calls for p in e.participants if p.name.startswith("Government")]


def test_a_month_in_a_clause_about_a_person_neither_dates_nor_buries_the_contact() -> None:
    (visit,) = _en(
        "Libya's Fathi Bashagha, who was named prime minister by the eastern parliament in "
        "March, has arrived in Istanbul."
    )
    assert visit.date == WEDNESDAY and visit.location == "Istanbul"


def test_a_city_after_its_countrys_possessive_is_the_place() -> None:
    (visit,) = _en("Fathi Bashagha arrived to Turkey's Istanbul on Monday.")
    assert visit.location == "Istanbul"


def test_an_agreement_that_exists_is_not_a_signing() -> None:
    assert not _en(
        "Recep Tayyip Erdogan said on Monday there is a security agreement between Turkey and "
        "the government headed by Fayez al-Sarraj."
    )
    assert not _en("Erdogan said Turkey has a defence deal with Fayez al-Sarraj's government.")


def test_an_unlisted_member_of_parliament_is_an_official_of_his_side() -> None:
    (call,) = _en(
        "The committee met on Zoom with Turkish lawmakers headed by Ahmet Yildiz on Monday, in "
        "the presence of Libyan Parliamentary member Salem Gnan."
    )
    assert ("Salem Gnan", "libya") in _people(call)


def test_a_verb_of_travel_as_a_modifier_is_no_trip() -> None:
    assert not _en(
        "Yousef al-Agouri urged Turkish Ambassador Guven Begec to ease travelling procedures "
        "for Libyan citizens."
    )


def test_a_sentence_about_the_meeting_dates_it_only_when_it_tells_when() -> None:
    (meeting,) = _en(
        "Hakan Fidan met Abdulhamid Dbeibah in Tripoli. In the meeting, Fidan said Turkey would "
        "host a conference on Friday."
    )
    assert meeting.date == WEDNESDAY  # Friday is the conference's


def test_no_default_host_in_the_east_or_for_a_forum() -> None:
    assert not _en("Turkish Foreign Minister Hakan Fidan visited Benghazi on Monday.")
    assert not _en(
        "Libyan Foreign Minister Taher al-Baour arrived in Antalya on Monday to attend the "
        "Antalya Diplomacy Forum."
    )


def test_clearance_and_drills_under_way_today_are_what_they_seem() -> None:
    assert not _en(
        "Libyan Interior Minister Emad Trabelsi provided clearance for Turkish Airlines flights "
        "to Tripoli on Monday."
    )
    (drills,) = _en("Turkish and Libyan naval forces are holding joint drills off Tripoli.")
    assert drills.date == WEDNESDAY  # a present progressive is today's news


def test_a_delegation_that_arrived_and_held_talks_is_a_party_to_the_talks() -> None:
    # "arrived … and held talks": the second verb shares the first one's subject
    (event,) = _en(
        "A team from the Turkish Ministry of National Defence landed in Misrata on Monday "
        "and held talks with Mohammed al-Haddad on officer training."
    )
    assert _people(event) == {
        ("Turkish Ministry of National Defence", "turkiye"),
        ("Mohammed al-Haddad", "libya"),
    }


def test_those_present_at_the_meeting_just_told_take_part_in_it() -> None:
    (event,) = _en(
        "Hulusi Akar held talks with Salah al-Namroush in Tripoli on Monday. "
        "The chiefs of staff Yasar Guler and Mohammed al-Haddad were present at the meeting."
    )
    assert ("Yasar Guler", "turkiye") in _people(event)
    assert ("Mohammed al-Haddad", "libya") in _people(event)


def test_a_trip_to_the_visitors_own_troops_is_no_visit_to_the_host_government() -> None:
    assert _en("Recep Tayyip Erdogan will visit the Turkish troops stationed in Misrata.") == []


def test_the_next_stop_of_a_programme_past_the_lede_is_on_the_storys_day() -> None:
    events = _en(
        "Hakan Fidan met Abdulhamid Dbeibah in Tripoli, the ministry said.\n"
        "The two discussed trade and elections.\n"
        "Fidan later held a separate meeting with Mohamed al-Menfi."
    )
    assert {e.date for e in events} == {WEDNESDAY}
    assert len(events) == 2


def test_a_call_with_a_third_country_takes_no_libyan_from_a_clause_of_another_time() -> None:
    # the Libyan is named only in what the talks came after; the call is Russia's
    assert (
        _en(
            "Recep Tayyip Erdogan and Vladimir Putin spoke by phone on Monday and discussed "
            "Libya, weeks after Ankara signed two accords with the government of Fayez "
            "al-Sarraj."
        )
        == []
    )
    events = _en(
        "Recep Tayyip Erdogan met Vladimir Putin in Sochi and then flew to Tripoli to meet "
        "Abdulhamid Dbeibah."
    )
    assert all(e.location != "Sochi" for e in events)


def test_the_body_that_reports_a_port_call_is_not_its_host() -> None:
    events = _en(
        "A Turkish frigate called at the port of Zuwara on Monday, the Libyan National Army said."
    )
    assert all(("Libyan National Army", "libya") not in _people(e) for e in events)


def test_the_visitors_next_meeting_that_day_is_where_his_trip_is() -> None:
    events = _en(
        "Hakan Fidan met Abdulhamid Dbeibah in the oil-rich country's capital, Tripoli, "
        "on Wednesday.\nThe two discussed trade.\n"
        "Fidan later held a separate meeting with Mohamed al-Menfi."
    )
    assert [e.location for e in events] == ["Tripoli", "Tripoli"]


def test_a_trip_told_of_someone_else_is_not_his_visit() -> None:
    # the aircraft arrived; the president's visit is only what they prepare for
    events = _en(
        "Two Turkish transport aircraft landed in the Libyan capital, Tripoli, on Monday in "
        "preparation for an upcoming visit of Recep Tayyip Erdogan."
    )
    assert all(e.status != "occurred" for e in events)


def test_meetings_with_several_people_of_one_side_are_one_each() -> None:
    events = _en(
        "Omer Bolat held meetings with Mohamed al-Hweij and Naji Issa in Tripoli on Monday."
    )
    assert len(events) == 2
    assert all(("Omer Bolat", "turkiye") in _people(e) for e in events)
    # a delegation's members, named before, held them together
    (event,) = _en(
        "A delegation of Omer Bolat and Hakan Fidan held meetings with Abdulhamid Dbeibah in "
        "Tripoli on Monday."
    )
    assert len(event.participants) == 3


def test_an_office_written_before_its_government_names_its_holder_that_day() -> None:
    # "the defence minister of the GNA", on a 2020 day; the one
    # whose threats the visit followed takes no part
    (event,) = extract_events(
        "The defence minister of the GNA on Saturday received his "
        "Turkish counterpart in Tripoli following threats by Khalifa Haftar to drive out "
        "Turkish troops.",
        published=dt.date(2020, 12, 27),
        language="en",
    )
    assert _people(event) == {("Salah al-Namroush", "libya"), ("Hulusi Akar", "turkiye")}


def test_the_countrys_office_after_which_a_statement_came_is_that_days_contact() -> None:
    # "the country's prime minister": Libya's, the country just named, on that day
    (event,) = extract_events(
        "Recep Tayyip Erdogan said on Sunday Ankara would stand by Libya's government after "
        "talks with the country's prime minister in Istanbul.",
        published=dt.date(2020, 10, 5),
        language="en",
    )
    assert _people(event) == {("Recep Tayyip Erdogan", "turkiye"), ("Fayez al-Sarraj", "libya")}
    assert event.date == dt.date(2020, 10, 4)


def test_a_contact_in_a_relative_clause_keeps_its_own_tense() -> None:
    # what the two agreed to do next does not make their meeting a plan
    (event,) = _en(
        "Abdulhamid Dbeibah and Recep Tayyip Erdogan, who met in Ankara on Friday, agreed "
        "to send more cadets to Türkiye."
    )
    assert (event.status, event.date) == ("occurred", dt.date(2025, 9, 12))


def test_a_deputys_office_does_not_name_the_head() -> None:
    (event,) = _en(
        "Kenan Yilmaz met Musa al-Koni, the Deputy Head of the Presidential Council, at his "
        "office in Tripoli on Tuesday morning."
    )
    assert _people(event) == {("Kenan Yilmaz", "turkiye"), ("Musa al-Koni", "libya")}


def test_an_announcement_made_during_talks_makes_its_speaker_a_party() -> None:
    (event,) = _en(
        "On Monday, Libya's economy minister Mohamed al-Hweij announced a new trade target. "
        "The announcement came during talks held in Tripoli with Omer Bolat."
    )
    assert _people(event) == {("Omer Bolat", "turkiye"), ("Mohamed al-Hweij", "libya")}


def test_a_visit_made_for_one_meeting_is_counted_once() -> None:
    events = _en(
        "Hakan Fidan paid a visit to Tripoli on Monday.\n"
        "Local media reported that Fidan met with Abdulhamid Dbeibah after he flew in from "
        "Khartoum."
    )
    assert [(e.type, e.location) for e in events] == [("meeting", "Tripoli")]
