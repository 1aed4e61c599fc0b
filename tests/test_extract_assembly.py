"""How the extractor reads real reporting: contacts told across sentences and as nouns,
names in spellings the gazetteer lacks, recent past, the day a story gives, Turkish verb
forms. Every text here is the project's own; the real articles are read by
tests/test_extract_realnews.py at run time."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import extract_events
from pipeline.extract.text import split_sentences
from pipeline.records import ExtractedEvent
from pipeline.transliteration import skeleton

WEDNESDAY = dt.date(2025, 9, 17)


def _people(event: ExtractedEvent) -> set[tuple[str, str | None]]:
    return {(p.name, p.side) for p in event.participants}


def _en(text: str, title: str | None = None) -> list[ExtractedEvent]:
    return extract_events(text, published=WEDNESDAY, title=title, language="en")


def _tr(text: str, title: str | None = None) -> list[ExtractedEvent]:
    return extract_events(text, published=WEDNESDAY, title=title, language="tr")


# ------------------------------------------------------------------ across sentences
def test_a_pronoun_takes_the_missing_side_from_the_sentence_before() -> None:
    (event,) = _en(
        "Hakan Fidan landed in Benghazi on Tuesday for a day of talks in the east. "
        "He then held talks with Khalifa Haftar about the coastal highway."
    )
    assert event.type == "meeting"
    assert _people(event) == {("Hakan Fidan", "turkiye"), ("Khalifa Haftar", "libya")}
    assert event.date == dt.date(2025, 9, 16)


def test_a_named_third_party_keeps_the_neighbouring_side_out() -> None:
    assert (
        _en(
            "Hakan Fidan spent Tuesday in Cairo with Egyptian officials. "
            "He held talks with Foreign Minister Karim Haddad of Egypt on the border crossing. "
            "Libya's Mohamed al-Menfi was in Rome the same day."
        )
        == []
    )


def test_the_two_sides_sign_on_the_day_and_at_the_place_of_the_meeting() -> None:
    meeting, agreement = _en(
        "Recep Tayyip Erdogan hosted Abdulhamid Dbeibah in Istanbul on Saturday for a working "
        "dinner. The two sides signed three memorandums of understanding on power lines."
    )
    assert (meeting.type, agreement.type) == ("meeting", "agreement")
    assert _people(agreement) == _people(meeting)
    assert agreement.date == meeting.date == dt.date(2025, 9, 13)
    assert agreement.location == "Istanbul"


def test_a_later_mention_of_the_meeting_is_not_a_second_contact() -> None:
    events = _en(
        "Ibrahim Kalin met Khalifa Haftar in Benghazi on Monday, officials said. "
        "In the meeting, Kalin passed on a message about the ports, the statement added."
    )
    assert len(events) == 1


def test_the_headline_names_the_party_the_lede_leaves_out() -> None:
    (event,) = _en(
        "The Libyan premier Abdulhamid Dbeibah and his ministers will make their first trip "
        "abroad since the new cabinet was formed last month on Friday, his office said.",
        title="Dbeibah to visit Ankara for talks with Erdogan on Friday",
    )
    assert (event.type, event.status) == ("visit", "planned")
    assert ("Recep Tayyip Erdogan", "turkiye") in _people(event)
    assert event.date == dt.date(2025, 9, 19)


# ------------------------------------------------------------------ contacts as nouns
def test_a_meeting_named_as_a_noun_is_a_contact() -> None:
    (event,) = _en(
        "After a meeting with Recep Tayyip Erdogan at the presidential complex in Ankara on "
        "Monday, Mohamed al-Menfi flew on to Rome."
    )
    assert event.type == "meeting" and event.status == "occurred"
    assert _people(event) == {
        ("Recep Tayyip Erdogan", "turkiye"),
        ("Mohamed al-Menfi", "libya"),
    }
    assert (event.location, event.date) == ("Ankara", dt.date(2025, 9, 15))


def test_a_wished_asked_or_refused_meeting_is_not_a_contact() -> None:
    assert _en("Erdogan turned down a request from Khalifa Haftar to meet him in Ankara.") == []
    assert _en("Erdogan refused to meet Khalifa Haftar during the general's stay.") == []
    assert (
        _en("Fidan said he was ready to meet Haftar on the condition that talks stay public.") == []
    )


def test_a_warship_in_port_is_a_military_contact_between_institutions() -> None:
    (event,) = _en(
        "A frigate of the Turkish Naval Forces docked in Tripoli on Sunday, and officers of "
        "the Libyan Navy were shown its systems."
    )
    assert event.type == "military"
    assert {side for _, side in _people(event)} == {"turkiye", "libya"}


# ------------------------------------------------------------------ names and time
def test_an_arabic_name_in_an_unlisted_spelling_is_the_listed_official() -> None:
    (event,) = _en(
        "Libyan Prime Minister Abdelhameed Dabaiba met Turkish Foreign Minister Hakan Fidan "
        "in Tripoli on Sunday."
    )
    assert ("Abdulhamid Dbeibah", "libya") in _people(event)


def test_consonant_skeletons_ignore_vowels_articles_and_doubling() -> None:
    assert skeleton("Dbeibah") == skeleton("Dabbaiba") == skeleton("al-Dbeiba") == "dbb"
    assert skeleton("Mishri") == skeleton("el-Mechri")
    assert skeleton("Haftar") == skeleton("Hafter") != skeleton("Haddad")


def test_a_surname_the_story_gave_in_full_keeps_its_side() -> None:
    (event,) = _en(
        "Libya's coast guard chief, Colonel Faraj Benkhayal, arrived in Ankara on Monday. "
        "Benkhayal met Turkish Defence Minister Yasar Guler at the ministry."
    )
    assert ("Faraj Benkhayal", "libya") in _people(event)


def test_a_recent_contact_told_in_passing_has_no_day_of_its_own() -> None:
    (event,) = _en(
        "Kalin, who had recently met Khalifa Haftar in Benghazi, spoke at a forum in Ankara."
    )
    assert (event.date, event.date_source) == (None, None)


def test_a_pluperfect_with_no_recency_is_still_history() -> None:
    assert _en("Kalin had met Dbeibah in Tripoli before the dispute over the bank began.") == []


def test_the_lede_dates_the_sentences_that_give_no_day() -> None:
    events = _en(
        "Turkish ministers arrived in Tripoli on Thursday for a round of talks on security.\n"
        "Ali Yerlikaya met Libyan Interior Minister Emad Trabelsi at the ministry, where "
        "the two discussed border control."
    )
    assert [e.date for e in events] == [dt.date(2025, 9, 11)]


# ------------------------------------------------------------------ Turkish
def test_turkish_verb_forms_beyond_the_simple_past() -> None:
    (converb,) = _tr(
        "Milli Savunma Bakanı Yaşar Güler, Hafter ile Bingazi'de bir araya gelerek bölgedeki "
        "gelişmeleri ele aldı."
    )
    assert converb.type == "meeting" and converb.location == "Benghazi"
    (pluperfect,) = _tr("Haddad, dönüşünden önce Yaşar Güler'i Ankara'da ziyaret etmişti.")
    assert pluperfect.type == "visit"
    assert pluperfect.date is None  # told as background: the day is not the day of writing


def test_a_turkish_denial_of_a_claim_is_a_denied_contact() -> None:
    (event,) = _tr(
        "Dışişleri Bakanlığı, Hakan Fidan'ın Bingazi'de Hafter ile görüştüğü iddiasını yalanladı."
    )
    assert event.status == "denied"


def test_an_unlisted_official_is_read_from_the_office_before_the_name() -> None:
    (event,) = _tr(
        "Ticaret Bakanı Ömer Bolat, Libya Planlama Bakanı Salim Tarhuni ile Ankara'da görüştü."
    )
    assert ("Salim Tarhuni", "libya") in _people(event)
    assert ("Omer Bolat", "turkiye") in {(p.name, p.side) for p in event.participants} or (
        "Ömer Bolat",
        "turkiye",
    ) in _people(event)


def test_a_party_in_the_next_sentence_completes_a_turkish_contact() -> None:
    (event,) = _tr(
        "Genelkurmay Başkanı Selçuk Bayraktaroğlu dün Trablus'a resmi ziyaret gerçekleştirdi. "
        "Ziyarette Libya Başbakanı Abdulhamid Dibeybe ile görüştü."
    )
    assert {side for _, side in _people(event)} == {"turkiye", "libya"}
    assert event.date == dt.date(2025, 9, 16)


def test_sentences_a_scraper_glued_together_are_split() -> None:
    assert split_sentences("Heyet Ankara'ya gitti.Ardından Trablus'a döndü.") == [
        "Heyet Ankara'ya gitti.",
        "Ardından Trablus'a döndü.",
    ]
    assert split_sentences("He met U.S. officials.") == ["He met U.S. officials."]


# ------------------------------------------------------------------ Arabic
def _ar(text: str) -> list[ExtractedEvent]:
    return extract_events(text, published=WEDNESDAY, language="ar")


def test_an_arabic_reception_with_its_day_and_place() -> None:
    (event,) = _ar(
        "استقبل رئيس المجلس الرئاسي محمد المنفي، يوم الأحد، وزير الخارجية التركي "
        "هاكان فيدان في العاصمة طرابلس لبحث ملف الانتخابات."
    )
    assert event.type == "meeting"
    assert _people(event) == {("Hakan Fidan", "turkiye"), ("Mohamed al-Menfi", "libya")}
    assert (event.date, event.location) == (dt.date(2025, 9, 14), "Tripoli")


def test_a_prefix_joined_to_an_arabic_name_does_not_hide_it() -> None:
    (event,) = _ar("واتصل الرئيس رجب طيب أردوغان هاتفيا أمس والدبيبة لبحث التعاون.")
    assert event.type == "call"
    assert {side for _, side in _people(event)} == {"turkiye", "libya"}
    assert event.date == dt.date(2025, 9, 16)


def test_an_arabic_denial_is_a_denied_contact() -> None:
    (event,) = _ar("نفت أنقرة أن يكون هاكان فيدان قد التقى خليفة حفتر في بنغازي.")
    assert event.status == "denied"


# ------------------------------------------------------------------ granularity and offices
def test_a_signing_during_a_meeting_is_a_meeting_and_an_agreement() -> None:
    events = _en(
        "Hakan Fidan and Abdulhamid Dbeibah signed a memorandum on consular services during "
        "their meeting in Tripoli on Monday."
    )
    assert sorted(e.type for e in events) == ["agreement", "meeting"]


def test_separate_meetings_are_separate_contacts() -> None:
    events = _en(
        "In Tripoli on Monday, Yasar Guler held separate meetings with Abdulhamid Dbeibah "
        "and Mohamed al-Menfi."
    )
    assert sorted(p.name for e in events for p in e.participants if p.side == "libya") == [
        "Abdulhamid Dbeibah",
        "Mohamed al-Menfi",
    ]
    assert len(events) == 2


def test_a_title_alone_names_whoever_held_the_office_on_the_day_of_the_contact() -> None:
    (event,) = extract_events(
        "On May 20, the Turkish foreign minister met Abdulhamid Dbeibah in Tripoli, the "
        "ministry recalled.",
        published=dt.date(2023, 6, 10),
        language="en",
    )
    # Fidan took the office on 4 June 2023, after the meeting and before the report.
    assert ("Mevlut Cavusoglu", "turkiye") in _people(event)


def test_the_headline_is_the_contact_when_the_body_never_states_it() -> None:
    (event,) = _en(
        "The agenda covers power lines, the coastal road and the coming elections, officials said.",
        title="Erdogan to host Dbeibah in Istanbul on Friday",
    )
    assert (event.type, event.status, event.date) == ("meeting", "planned", dt.date(2025, 9, 19))
    (turkish,) = _tr(
        "Görüşmede enerji hatları ve seçimler ele alındı, yetkililer açıklama yaptı.",
        title="Cumhurbaşkanı Erdoğan, Dibeybe ile İstanbul'da görüştü",
    )
    assert {side for _, side in _people(turkish)} == {"turkiye", "libya"}
