"""Turkish extraction: plans, companions and names, on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

from pipeline.extract.turkish import extract_turkish_events
from pipeline.records import ExtractedEvent

PUBLISHED = dt.date(2025, 10, 8)  # a Wednesday


def _events(text: str, title: str | None = None) -> list[ExtractedEvent]:
    return extract_turkish_events(text, published=PUBLISHED, title=title)


def _names(event: ExtractedEvent) -> set[str]:
    return {p.name for p in event.participants}


def test_talks_as_the_object_of_a_future_verb_are_planned() -> None:
    (event,) = _events(
        "Dışişleri Bakanı Hakan Fidan, Libya Başbakanı Abdülhamid Dbeyba ile kapsamlı "
        "görüşmeler gerçekleştirecek."
    )
    assert (event.status, event.date) == ("planned", None)


def test_a_delegation_is_not_redefined_by_the_side_it_meets() -> None:
    # The second sentence names the delegation and only whom it meets; the third's
    # "Heyetin" is still the delegation listed in the first.
    events = _events(
        "Ticaret Bakanı Ömer Bolat başkanlığındaki heyette Dışişleri Bakanı Hakan Fidan da "
        "yer alacak. Ziyaret sırasında Türk heyeti Libya Başbakanı Abdülhamid Dbeyba ile "
        "görüşmeler yapacak. Heyetin, Başkanlık Konseyi Başkanı Muhammed el-Menfi ile de "
        "görüşmesi bekleniyor."
    )
    assert [(_names(e), e.status) for e in events] == [
        ({"Omer Bolat", "Hakan Fidan", "Abdulhamid Dbeibah"}, "planned"),
        ({"Omer Bolat", "Hakan Fidan", "Mohamed al-Menfi"}, "planned"),
    ]


def test_a_contact_expected_during_a_trip_under_way_is_due_that_day() -> None:
    events = _events(
        "Bingazi'de çalışma ziyaretinde bulunan Dışişleri Bakanı Hakan Fidan'ın akşam "
        "saatlerinde Halife Hafter ile görüşmesi bekleniyor."
    )
    assert [(e.status, e.date) for e in events] == [("planned", PUBLISHED)]


def test_an_announced_trip_leaves_its_contacts_undated() -> None:
    (event,) = _events(
        "Dışişleri Bakanı Hakan Fidan'ın gelecek ay Libya'yı ziyaret etmesi ve Başbakan "
        "Abdülhamid Dbeyba ile görüşmesi bekleniyor."
    )
    assert (event.status, event.date) == ("planned", None)


def test_a_companion_takes_part_in_the_contacts_of_whom_he_accompanies() -> None:
    (event,) = _events(
        "Dışişleri Bakanı Hakan Fidan, beraberinde MİT Başkanı İbrahim Kalın ile dün "
        "Bingazi'ye gitti. Fidan, burada Halife Hafter ile uzun bir görüşme yaptı."
    )
    assert _names(event) == {"Hakan Fidan", "Ibrahim Kalin", "Khalifa Haftar"}


def test_someone_at_a_principals_side_is_his_companion() -> None:
    (event,) = _events(
        "Milli Savunma Bakanı Yaşar Güler, sabah saatlerinde Trablus'a ulaştı. Güler'in "
        "yanında Kara Kuvvetleri Komutanı Orgeneral Selçuk Bayraktaroğlu da yer aldı. Güler, "
        "öğleden sonra Libya Başbakanı Abdülhamid Dbeyba ile bir araya geldi."
    )
    assert "Selcuk Bayraktaroglu" in _names(event)


def test_a_contact_had_by_the_speaker_in_a_quote_is_a_contact() -> None:
    (event,) = _events(
        'Cumhurbaşkanı Erdoğan, "Dün Sayın Dbeyba ile uzun bir görüşmemiz oldu, bölgedeki '
        'gelişmeleri konuştuk" dedi.'
    )
    assert _names(event) == {"Recep Tayyip Erdogan", "Abdulhamid Dbeibah"}
    assert event.date == dt.date(2025, 10, 7)


def test_a_welcoming_party_in_an_agentive_case_receives_the_guest() -> None:
    (event,) = _events(
        "Libya Genelkurmay Başkanı Muhammed el-Haddad ve diğer yetkililerce karşılanan "
        "Milli Savunma Bakanı Yaşar Güler, tören kıtasını selamladı."
    )
    assert _names(event) == {"Mohammed al-Haddad", "Yasar Guler"}


def test_an_office_with_a_coordinated_name_keeps_its_country() -> None:
    (event,) = _events(
        "Enerji Bakanı Alparslan Bayraktar, Libya Petrol ve Gaz Bakanı Sayın Halil Mustafa "
        "Kerimi ile Trablus'ta uzun bir görüşme yaptı."
    )
    sides = {p.name: p.side for p in event.participants}
    assert sides == {"Alparslan Bayraktar": "turkiye", "Halil Mustafa Kerimi": "libya"}


def test_a_long_office_reaches_the_country_before_it() -> None:
    (event,) = _events(
        "TBMM Başkanı Numan Kurtulmuş, Libya Yüksek Devlet Konseyi İkinci Başkan Yardımcısı "
        "Halil Mustafa Kerimi ile görüştü."
    )
    assert {p.name: p.side for p in event.participants}["Halil Mustafa Kerimi"] == "libya"


def test_a_listed_surname_after_another_given_name_is_a_namesake() -> None:
    (event,) = _events(
        "TBMM Başkanı Numan Kurtulmuş, Libya Başbakanı Abdülhamid Dbeyba ile görüştü. "
        "Görüşmede AK Parti milletvekili Selim Güler de bulundu."
    )
    assert "Yasar Guler" not in _names(event)


def test_a_commemorated_day_in_a_name_does_not_date_the_contact() -> None:
    events = _events(
        "Cumhurbaşkanı Recep Tayyip Erdoğan, bugün öğle saatlerinde 15 Temmuz temalı "
        "sergiyi gezdi. Erdoğan daha sonra Libya Başbakanı Abdülhamid Dbeyba'yı kabul etti."
    )
    assert [e.date for e in events] == [PUBLISHED]


def test_a_year_in_an_events_name_leaves_the_day_of_writing() -> None:
    (event,) = _events(
        "Enerji Bakanı Alparslan Bayraktar, Expo 2025 kapsamında Libya Başbakanı Abdülhamid "
        "Dbeyba ile uzun bir görüşme yaptı."
    )
    assert event.date == PUBLISHED


def test_a_bare_day_before_a_day_word_still_dates_the_contact() -> None:
    (event,) = _events(
        "Enerji Bakanı Alparslan Bayraktar, 6 Ekim günü Libya Başbakanı Abdülhamid Dbeyba "
        "ile Trablus'ta görüştü."
    )
    assert event.date == dt.date(2025, 10, 6)


def test_a_recalled_call_is_undated_and_its_teller_no_party() -> None:
    (event,) = _events(
        "Dışişleri Bakanlığı Sözcüsü Öncü Keçeli bugün soruları yanıtladı.\n"
        "Keçeli, Cumhurbaşkanı Recep Tayyip Erdoğan'ın, Muhammed Menfi'yi telefonla arayarak "
        "tebrik ettiğini hatırlattı. Keçeli, açıklamasını şöyle sürdürdü:"
    )
    assert event.type == "call"
    assert event.date is None
    assert _names(event) == {"Recep Tayyip Erdogan", "Mohamed al-Menfi"}
