"""Specification of the event extractor, with passages written for these tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.extract import EXTRACTOR_VERSION, analyse_page, extract_events
from pipeline.gazetteer import load_gazetteer, normalise_name
from pipeline.records import ExtractedEvent

MONDAY = dt.date(2025, 8, 25)
TUESDAY = dt.date(2024, 9, 3)
EXPECTED = Path(__file__).resolve().parent.parent / "pipeline" / "samplesite" / "expected.json"


def _people(event: ExtractedEvent) -> set[tuple[str, str | None]]:
    return {(p.name, p.side) for p in event.participants}


def test_version_is_set() -> None:
    assert EXTRACTOR_VERSION


# ------------------------------------------------------------------ the seed-style events
BENGHAZI_STORY = "\n".join(
    (
        "Türkiye's spy chief sees Haftar in Benghazi",
        (
            "Turkish intelligence (MIT) Director İbrahim Kalın sat down with Libya's Hafter "
            "at the Benghazi harbour, one day after a Turkish frigate tied up there."
        ),
        (
            "Officers from both countries' armed forces also conferred during the frigate's "
            "call at the port, according to the Turkish defence ministry."
        ),
        (
            "A Turkish defence ministry delegation, headed by Brigadier General Mehmet "
            "Ozturk, paid a visit to Hafter, who is deputy commander of the Libyan National "
            "Army, according to a post by the ministry."
        ),
        "The sides talked about unifying the Libyan army.",
        (
            "Guven Begec, the Turkish ambassador to Libya, and Ahmet Sezer, the consul "
            "general of Türkiye in Benghazi, also took part in the meeting."
        ),
        "The visit followed one that Hafter's son, Saddam Hafter, recently paid the frigate.",
    )
)


def test_seed_style_benghazi_story() -> None:
    events = extract_events(BENGHAZI_STORY, published=MONDAY, title=None)
    assert len(events) == 2
    spy, delegation = events

    assert spy.type == "meeting" and spy.status == "occurred"
    assert _people(spy) == {("Ibrahim Kalin", "turkiye"), ("Khalifa Haftar", "libya")}
    assert (spy.date, spy.date_source) == (MONDAY, "published")
    assert (spy.location, spy.country) == ("Benghazi", "Libya")

    assert delegation.type == "visit"
    assert _people(delegation) == {
        ("Mehmet Ozturk", "turkiye"),
        ("Saddam Haftar", "libya"),
        ("Guven Begec", "turkiye"),
        ("Ahmet Sezer", "turkiye"),
    }
    leader = next(p for p in delegation.participants if p.name == "Mehmet Ozturk")
    assert (
        leader.role is not None and "head of the Turkish defence ministry delegation" in leader.role
    )
    assert "Brigadier General" in leader.role
    # The sentence names no city: the title's "in Benghazi" does.
    assert delegation.location is None or delegation.location == "Benghazi"


def test_location_from_title_when_sentence_has_none() -> None:
    text = (
        "A Turkish defence ministry delegation, headed by Brigadier General Mehmet Ozturk, "
        "paid a visit to Hafter, who is deputy commander of the Libyan National Army."
    )
    events = extract_events(
        text, published=MONDAY, title="Turkish officers visit Haftar in Benghazi"
    )
    assert [(e.location, e.country) for e in events] == [("Benghazi", "Libya")]


TRIPOLI_STORY = "\n".join(
    (
        "Turkey's top spy makes a quiet trip to Libya",
        (
            "A Turkish official said that Ibrahim Kalin, who heads Turkey's intelligence "
            "service MIT, met with Prime Minister Abdulhamid Dbeibeh and other senior "
            "officials last Thursday."
        ),
        (
            "Dbeibah runs the internationally recognised government in Tripoli, which Ankara "
            "supports."
        ),
        (
            "Turkey sent soldiers to Libya back in 2020 to shore up the Tripoli government "
            "against Khalifa Haftar."
        ),
        (
            "Kalin's trip is the highest-level contact since Dbeibah's own journey to Ankara "
            "in late May."
        ),
    )
)


def test_seed_style_last_thursday_meeting() -> None:
    events = extract_events(
        TRIPOLI_STORY, published=TUESDAY, title="Turkey's top spy makes a quiet trip to Libya"
    )
    assert len(events) == 1
    (event,) = events
    assert event.type == "meeting"
    assert _people(event) == {("Ibrahim Kalin", "turkiye"), ("Abdulhamid Dbeibah", "libya")}
    assert (event.date, event.date_source) == (dt.date(2024, 8, 29), "text")
    assert event.country == "Libya"
    dbeibah = next(p for p in event.participants if p.side == "libya")
    assert dbeibah.role == "Prime Minister"


# ------------------------------------------------------------------ status
def test_planned_visit() -> None:
    text = (
        "Turkish Foreign Minister Hakan Fidan is set to visit Benghazi on Thursday "
        "for talks with Khalifa Haftar, two diplomats said."
    )
    (event,) = extract_events(text, published=MONDAY)
    assert (event.type, event.status) == ("visit", "planned")
    assert event.date == dt.date(2025, 8, 28)
    assert event.location == "Benghazi"


def test_will_meet_is_planned_without_a_date() -> None:
    text = "Erdogan will meet Dbeibah in Istanbul next week, the presidency announced."
    (event,) = extract_events(text, published=MONDAY)
    assert event.status == "planned" and event.date is None and event.date_source is None
    assert (event.location, event.country) == ("Istanbul", "Türkiye")


def test_a_denial_in_the_pluperfect_is_a_denied_meeting_not_history() -> None:
    text = (
        "The office of Presidential Council head Mohamed al-Menfi on Wednesday rejected "
        "and denied reports that he had met the Turkish ambassador, Guven Begec, in Tripoli."
    )
    (event,) = extract_events(text, published=MONDAY)
    assert (event.type, event.status, event.location) == ("meeting", "denied", "Tripoli")
    assert {p.name for p in event.participants} == {"Mohamed al-Menfi", "Guven Begec"}


def test_a_pluperfect_meeting_without_a_denial_is_still_history() -> None:
    text = "Kalin had met Dbeibah in Tripoli before the central bank dispute began."
    assert extract_events(text, published=MONDAY) == []


def test_denied_meeting() -> None:
    text = "Hakan Fidan did not meet Khalifa Haftar during his stop in Benghazi on Sunday."
    (event,) = extract_events(text, published=MONDAY)
    assert event.status == "denied"
    text = "The Turkish embassy denied that Yasar Guler met Osama Hammad in Sirte."
    (event,) = extract_events(text, published=MONDAY)
    assert event.status == "denied"


def test_speculation_questions_and_conditions_give_nothing() -> None:
    for text in (
        "Fidan could meet Dbeibah in Tripoli before the summit, analysts believe.",
        "Will Erdogan finally receive Khalifa Haftar in Ankara?",
        "If the talks go well, Guler would visit Benghazi to meet Saddam Haftar.",
    ):
        assert extract_events(text, published=MONDAY) == []


# ------------------------------------------------------------------ types and places
def test_phone_call_has_no_place() -> None:
    text = (
        "Turkish President Recep Tayyip Erdoğan talked by telephone on Saturday with "
        "Mohamed al-Mnefi, who chairs Libya's Presidential Council, in Ankara's account."
    )
    (event,) = extract_events(text, published=MONDAY)
    assert event.type == "call"
    assert (event.location, event.country) == (None, None)
    assert event.date == dt.date(2025, 8, 23)


def test_agreement() -> None:
    text = (
        "Alparslan Bayraktar and Abdulhamid Dbeibah signed a memorandum on offshore "
        "exploration in Tripoli on Monday."
    )
    (event,) = extract_events(text, published=MONDAY)
    assert event.type == "agreement" and event.location == "Tripoli"


def test_surname_and_spelling_variants() -> None:
    text = "Kalın held talks with Dbeibeh at the prime minister's office in Trablus on Sunday."
    (event,) = extract_events(text, published=MONDAY)
    assert _people(event) == {("Ibrahim Kalin", "turkiye"), ("Abdulhamid Dbeibah", "libya")}
    assert event.location == "Tripoli"
    assert event.date == dt.date(2025, 8, 24)


def test_role_only_mention_resolves_by_date() -> None:
    text = "The Turkish foreign minister received Libya's Menfi in Ankara on Friday."
    (event,) = extract_events(text, published=MONDAY)
    assert ("Hakan Fidan", "turkiye") in _people(event)


def test_third_party_keeps_side_other() -> None:
    text = (
        "Hakan Fidan, Abdulhamid Dbeibah and UN envoy Hanna Tetteh held talks in Tripoli on Sunday."
    )
    (event,) = extract_events(text, published=MONDAY)
    assert ("Hanna Tetteh", "other") in _people(event)


# ------------------------------------------------------------------ nothing to report
@pytest.mark.parametrize(
    "text",
    [
        # background history
        "Back in 2020, Hulusi Akar visited Tripoli and met Fayez al-Sarraj.",
        "Turkey has backed Dbeibah since Fidan first met him in Ankara.",
        "Najla Mangoush had met Mevlut Cavusoglu several times before her suspension.",
        "In May 2023 Erdogan received Dbeibah in Istanbul.",
        # Türkiye–Syria and Libya–Egypt contacts
        "Hakan Fidan met Syrian Foreign Minister Asaad al-Shaibani in Damascus on Sunday.",
        "Egyptian President Abdel Fattah al-Sisi met Khalifa Haftar in Cairo on Sunday.",
        # no named person on one side
        "Military delegations from Türkiye and Libya held a meeting at the port on Sunday.",
        # mention of a visit as commentary
        "Kalin's visit to Dbeibah shows how close Ankara and Tripoli have become.",
    ],
)
def test_not_events(text: str) -> None:
    assert extract_events(text, published=MONDAY) == []


def test_football_match_produces_nothing() -> None:
    text = (
        "Türkiye and Libya drew 1-1 in a friendly match in Antalya on Saturday.\n"
        "The coach said the squad had learned a lot from the game.\n"
        "Around 9,000 spectators watched the match at the stadium."
    )
    page = analyse_page(text, title="Türkiye and Libya draw in friendly", published=MONDAY)
    assert not page.relevant and page.events == []


def test_headline_list_produces_nothing() -> None:
    text = (
        "More stories\n"
        "Fidan meets Dbeibah in Tripoli\n"
        "Erdogan receives Haftar in Ankara\n"
        "Kalin holds talks with Saddam Haftar in Benghazi"
    )
    assert extract_events(text, published=MONDAY) == []


def test_restated_meeting_is_one_event() -> None:
    text = (
        "Hakan Fidan met Abdulhamid Dbeibah in Tripoli on Sunday.\n"
        "During the meeting, Fidan and Dbeibah held talks on energy, and Dbeibah's adviser "
        "Ibrahim Dbeibah joined the meeting."
        "\nFidan held talks with Dbeibah on migration as well."
    )
    events = extract_events(text, published=MONDAY)
    assert len(events) == 1
    assert events[0].location == "Tripoli" and events[0].date == dt.date(2025, 8, 24)


def test_analyse_page_skips_irrelevant_pages() -> None:
    page = analyse_page("Markets rallied on Friday.", url="https://x", published=MONDAY)
    assert page.relevant is False and page.events == [] and page.url == "https://x"


def test_a_language_without_rules_is_not_parsed() -> None:
    text = "Kalın a rencontré Haftar à Benghazi lundi."
    assert extract_events(text, published=MONDAY, language="fr") == []


def test_a_short_turkish_paragraph_is_read() -> None:
    (event,) = extract_events(
        "Kalın, Bingazi'de Hafter ile görüştü.", published=MONDAY, language="tr"
    )
    assert {p.name for p in event.participants} == {"Ibrahim Kalin", "Khalifa Haftar"}


def test_wire_dateline_is_not_the_event_date() -> None:
    text = (
        "TRIPOLI, Aug 25 (Wire) - Hakan Fidan met Abdulhamid Dbeibah in Tripoli on Saturday, "
        "officials said."
    )
    (event,) = extract_events(text, published=MONDAY)
    assert event.date == dt.date(2025, 8, 23)


# ------------------------------------------------------------------ bundled sample site
def _person_key(name: str) -> str:
    # Compare people by identity: "Tayyip Erdogan" and "Recep Tayyip Erdogan" are one.
    gaz = load_gazetteer()
    for mention in gaz.find_mentions(name):
        person = gaz.person_for_mention(mention)
        if person is not None and mention.end - mention.start >= len(name.strip()) - 1:
            return person.id
    return normalise_name(name)


def _event_key(event: dict) -> tuple:
    people = frozenset((_person_key(p["name"]), p["side"]) for p in event["participants"])
    return (
        event["type"],
        event["status"],
        event["date"],
        event["location"],
        event["country"],
        people,
    )


def _sample_pages() -> list[tuple[str, dict]]:
    if not EXPECTED.exists():
        return []
    return sorted(json.loads(EXPECTED.read_text(encoding="utf-8")).items())


@pytest.mark.skipif(not EXPECTED.exists(), reason="sample site not bundled")
@pytest.mark.parametrize(("path", "page"), _sample_pages(), ids=[p for p, _ in _sample_pages()])
def test_sample_site_pages(path: str, page: dict) -> None:
    result = analyse_page(
        "\n".join(page["paragraphs"]),
        url=path,
        title=page.get("title"),
        published=dt.date.fromisoformat(page["published"]) if page.get("published") else None,
        language="tr" if path.startswith("aa/tr/") else "en",  # as <html lang> says
    )
    assert result.relevant == page["relevant"]
    got = sorted(_event_key(e.model_dump(mode="json")) for e in result.events)
    want = sorted(_event_key(e) for e in page["events"])
    assert got == want


# ------------------------------------------------------------------ camp, PLOVER, Turkish
def test_libyan_participants_carry_their_camp_and_events_their_plover_category() -> None:
    [event] = extract_events(
        "Turkish Foreign Minister Hakan Fidan met Libyan Prime Minister Abdulhamid Dbeibah "
        "in Ankara on Tuesday, the ministry said.",
        published=dt.date(2025, 2, 13),
    )
    camps = {p.name: p.camp for p in event.participants}
    assert camps == {"Hakan Fidan": None, "Abdulhamid Dbeibah": "tripoli"}
    assert event.plover == "CONSULT"


def test_military_events_get_a_finer_plover_category() -> None:
    from pipeline.extract import plover_category

    assert plover_category("military", "Türkiye delivered two patrol boats") == "AID"
    assert plover_category("military", "held joint naval drills") == "COOPERATE"
    assert plover_category("military", "the frigate docked at Misrata") == "MOBILIZE"
    assert plover_category("agreement") == "AGREE"


TR_PUB = dt.date(2025, 8, 26)


def test_turkish_call() -> None:
    [event] = extract_events(
        "Cumhurbaşkanı Recep Tayyip Erdoğan, Libya Başkanlık Konseyi Başkanı Muhammed "
        "el-Menfi ile dün telefonda görüştü.",
        published=TR_PUB,
        language="tr",
    )
    assert (event.type, event.status, event.date, event.location) == (
        "call", "occurred", dt.date(2025, 8, 25), None,
    )  # fmt: skip
    assert {p.name for p in event.participants} == {"Recep Tayyip Erdogan", "Mohamed al-Menfi"}


def test_turkish_meeting_with_case_suffixes() -> None:
    [event] = extract_events(
        "MİT Başkanı İbrahim Kalın, Hafter'le Pazartesi günü Bingazi'de bir araya geldi.",
        published=TR_PUB,
        language="tr",
    )
    assert (event.type, event.date, event.location) == ("meeting", dt.date(2025, 8, 25), "Benghazi")
    people = {(p.name, p.side, p.camp) for p in event.participants}
    assert people == {("Ibrahim Kalin", "turkiye", None), ("Khalifa Haftar", "libya", "east")}


def test_turkish_planned_visit() -> None:
    [event] = extract_events(
        "Millî Savunma Bakanı Yaşar Güler'in önümüzdeki hafta Trablus'u ziyaret etmesi ve "
        "Dibeybe ile görüşmesi bekleniyor.",
        published=TR_PUB,
        language="tr",
    )
    assert (event.type, event.status, event.date, event.location) == (
        "visit", "planned", None, "Tripoli",
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Dışişleri Bakanı Hakan Fidan, Suriyeli mevkidaşı Esad Şeybani ile Şam'da görüştü.",
        "Mısır Cumhurbaşkanı Sisi, Hafter'i Kahire'de kabul etti.",
        "Cumhurbaşkanı Erdoğan ile Fayiz es-Serrac, 2019 yılında İstanbul'da bir araya geldi.",
        "Kalın ile Hafter bir araya geldi mi?",
    ],
)
def test_turkish_non_events(text: str) -> None:
    assert extract_events(text, published=TR_PUB, language="tr") == []
