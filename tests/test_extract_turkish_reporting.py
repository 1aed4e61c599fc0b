"""Turkish extraction: messages borne, contacts told as nouns, guests, venues and quotes,
on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.extract.turkish import extract_turkish_events
from pipeline.records import ExtractedEvent

PUBLISHED = dt.date(2025, 10, 8)  # a Wednesday


def _events(text: str, title: str | None = None) -> list[ExtractedEvent]:
    return extract_turkish_events(text, published=PUBLISHED, title=title)


def _names(event: ExtractedEvent) -> set[str]:
    return {p.name for p in event.participants}


@pytest.mark.parametrize("verb", ["iletti", "ulaştırdı", "teslim etti", "sundu", "takdim etti"])
def test_a_message_borne_is_a_contact_with_its_author(verb: str) -> None:
    (event,) = _events(
        f"Büyükelçi Güven Begeç, Cumhurbaşkanı Erdoğan'ın yazılı mesajını Mareşal Hafter'e {verb}."
    )
    assert event.type == "other"
    assert _names(event) == {"Guven Begec", "Recep Tayyip Erdogan", "Khalifa Haftar"}


def test_a_message_handed_over_in_talks_is_a_contact_beside_them() -> None:
    events = _events(
        "Libya Başbakanı Dibeybe ile bir araya gelen Bakan Hakan Fidan, Cumhurbaşkanı "
        "Erdoğan'ın mektubunu iletti."
    )
    by_type = {e.type: _names(e) for e in events}
    assert by_type["meeting"] == {"Hakan Fidan", "Abdulhamid Dbeibah"}  # the author was away
    assert by_type["other"] == {"Hakan Fidan", "Abdulhamid Dbeibah", "Recep Tayyip Erdogan"}


def test_a_visit_told_as_a_noun_is_a_visit_to_its_city() -> None:
    (event,) = _events(
        "MİT Başkanı İbrahim Kalın'ın Bingazi ziyareti sırasında Hafter ile güvenlik "
        "meseleleri ele alındı."
    )
    assert (event.type, event.location) == ("visit", "Benghazi")
    assert _names(event) == {"Ibrahim Kalin", "Khalifa Haftar"}


def test_talks_told_as_a_noun_are_a_meeting_in_their_city() -> None:
    (event,) = _events(
        "Bakan Bayraktar'ın Trablus temasları kapsamında Başbakan Dibeybe ile doğal gaz "
        "projeleri konuşuldu."
    )
    assert (event.type, event.location) == ("meeting", "Tripoli")


def test_a_country_trip_noun_leaves_the_city_to_the_trip_told() -> None:
    (event,) = _events(
        "Bakan Hakan Fidan dün Trablus'a gitti. Fidan'ın Libya ziyareti kapsamında "
        "Başbakan Dibeybe ile enerji konuları görüşüldü."
    )
    assert event.location == "Tripoli"


@pytest.mark.parametrize(
    "text",
    [
        "Deniz yetki alanlarına dair mutabakat muhtırasını Bakan Fidan ve Başbakan Dibeybe "
        "imzaladı.",
        "Enerji alanındaki anlaşma Fidan ile Dibeybe arasında imzalandı.",
    ],
)
def test_a_signing_told_object_first(text: str) -> None:
    (event,) = _events(text)
    assert event.type == "agreement"
    assert _names(event) == {"Hakan Fidan", "Abdulhamid Dbeibah"}


def test_a_guest_joining_a_meal_makes_it_a_contact() -> None:
    (event,) = _events(
        "Bakan Güler, Trablus'ta Türk subaylarıyla akşam yemeğinde bir araya geldi. Yemeğe "
        "Libya Genelkurmay Başkanı Haddad da katıldı."
    )
    assert event.type == "meeting"
    assert _names(event) == {"Yasar Guler", "Mohammed al-Haddad"}


def test_a_guest_joining_a_meeting_of_one_side_makes_it_a_contact() -> None:
    (event,) = _events(
        "Bakan Fidan, Ankara'da büyükelçilerle bir toplantı düzenledi. Toplantıya Libya "
        "Başbakanı Dibeybe de katıldı."
    )
    assert (_names(event), event.location) == ({"Hakan Fidan", "Abdulhamid Dbeibah"}, "Ankara")


def test_a_guest_of_another_gathering_joins_no_earlier_contact() -> None:
    events = _events(
        "Bakan Fidan dün Dibeybe ile görüştü. Fidan daha sonra gazetecilerle bir araya "
        "geldi. Bakan akşam bir resepsiyon verdi. Yemeğe Mısır Dışişleri Bakanı da katıldı."
    )
    assert [_names(e) for e in events] == [{"Hakan Fidan", "Abdulhamid Dbeibah"}]


@pytest.mark.parametrize(
    ("venue", "city"),
    [
        ("TBMM'de", "Ankara"),
        ("Çankaya Köşkü'nde", "Ankara"),
        ("Dolmabahçe'deki çalışma ofisinde", "Istanbul"),
    ],
)
def test_a_turkish_venue_is_in_turkiye_whatever_the_headline(venue: str, city: str) -> None:
    (event,) = _events(
        f"Cumhurbaşkanı Erdoğan, Libya Başbakanı Dibeybe'yi {venue} kabul etti.",
        title="Libya'da yeni dönem",
    )
    assert (event.location, event.country) == (city, "Türkiye")


def test_a_quotes_own_day_word_outranks_the_day_of_the_speech() -> None:
    (event,) = _events(
        'Cumhurbaşkanı Erdoğan Pazartesi günü gazetecilere şunları söyledi: "Geçen hafta '
        'Sayın Dibeybe ile bir görüşmemiz oldu, ilişkilerimizi konuştuk."'
    )
    assert event.date is None  # last week, day not given; not Monday


def test_who_announces_a_call_is_no_party_to_it() -> None:
    (event,) = _events(
        "İletişim Başkanı Burhanettin Duran yaptığı açıklamada, Cumhurbaşkanı Erdoğan'ın "
        "Libya Başkanlık Konseyi Başkanı Menfi ile telefonda görüştüğünü bildirdi."
    )
    assert event.type == "call"
    assert _names(event) == {"Recep Tayyip Erdogan", "Mohamed al-Menfi"}


def test_who_tells_of_his_own_call_remains_its_party() -> None:
    (event,) = _events(
        "Bakan Fidan yaptığı açıklamada, Libya Başbakanı Dibeybe ile telefonda görüştüğünü "
        "bildirdi."
    )
    assert _names(event) == {"Hakan Fidan", "Abdulhamid Dbeibah"}


def test_a_quote_the_sentence_ends_inside_keeps_its_own_day() -> None:
    (event,) = _events(
        "Erdoğan, Cuma günü yaptığı açıklamada, “Geçen hafta Sayın Dibeybe ile bir görüşmemiz "
        "olmuştu."
    )
    assert event.date is None


def test_a_third_states_guest_makes_the_meal_a_contact_of_its_own() -> None:
    events = _events(
        "Bakan Güler, Trablus'ta Libya Genelkurmay Başkanı Haddad tarafından karşılandı. "
        "Güler, ardından Türk subaylarıyla akşam yemeğinde bir araya geldi. Yemeğe Libya "
        "Savunma Bakan Yardımcısı Selahaddin en-Nemruş ile Katar Savunma Bakanı Halid bin "
        "Muhammed el-Atiyye de katıldı."
    )
    meal = [e for e in events if any(p.side == "other" for p in e.participants)]
    assert len(events) == 2 and len(meal) == 1
    assert "Khalid bin Mohammad Al Attiyah" in _names(meal[0])
    assert "Salah al-Namroush" in _names(meal[0])


def test_a_quote_with_no_day_of_its_own_leaves_the_sentence_s_day() -> None:
    (event,) = _events(
        "Dışişleri Bakanı Hakan Fidan, dün Trablus'ta Başbakan Abdulhamid Dibeybe ile görüştü "
        've "Görüşmemiz çok verimli geçti" dedi.'
    )
    assert event.date == dt.date(2025, 10, 7)


def test_one_s_own_country_s_message_at_talks_is_the_talks() -> None:
    events = _events(
        "Başbakan Abdulhamid Dibeybe ile dün Trablus'ta görüşen Dışişleri Bakanı Hakan Fidan, "
        "Türkiye'nin dayanışma mesajını iletti."
    )
    assert [e.type for e in events] == ["meeting"]
