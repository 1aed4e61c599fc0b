"""Arabic: messages delivered, embassy receptions, counterparts named by office alone."""

from __future__ import annotations

import datetime as dt

from pipeline.extract.arabic import extract_arabic_events


def _events(text: str, day: dt.date) -> list[tuple[str, set[str]]]:
    return [
        (e.type, {p.name for p in e.participants})
        for e in extract_arabic_events(text, published=day)
    ]


def test_message_inside_a_meeting_is_an_other_event_with_its_sender() -> None:
    text = (
        "استقبل رئيس حكومة الوحدة الوطنية عبد الحميد الدبيبة اليوم الأربعاء في طرابلس وزير "
        "الدفاع التركي يشار غولر، الذي سلمه رسالة خطية من الرئيس رجب طيب أردوغان."
    )
    found = _events(text, dt.date(2024, 8, 14))
    assert ("meeting", {"Abdulhamid Dbeibah", "Yasar Guler"}) in found
    assert ("other", {"Abdulhamid Dbeibah", "Yasar Guler", "Recep Tayyip Erdogan"}) in found


def test_message_told_after_the_meeting_takes_its_recipient_from_it() -> None:
    text = (
        "التقى رئيس حكومة الوحدة الوطنية عبد الحميد الدبيبة اليوم الأربعاء في طرابلس وزير "
        "الدفاع التركي يشار غولر.\n"
        "ونقل يشار غولر رسالة من الرئيس رجب طيب أردوغان تتعلق بالتعاون بين البلدين."
    )
    found = _events(text, dt.date(2024, 8, 14))
    assert ("other", {"Abdulhamid Dbeibah", "Yasar Guler", "Recep Tayyip Erdogan"}) in found


def test_embassy_reception_attended_is_a_meeting_with_the_embassy() -> None:
    text = (
        "شارك رئيس المجلس الأعلى للدولة خالد المشري مساء الثلاثاء في حفل الاستقبال الذي "
        "أقامته السفارة التركية في طرابلس بمناسبة العيد الوطني."
    )
    found = _events(text, dt.date(2019, 10, 30))
    assert found == [("meeting", {"Khaled al-Mishri", "Turkish Embassy in Tripoli"})]


def test_counterpart_by_office_is_the_one_named_before() -> None:
    text = (
        "وصل وزير الخارجية التركي مولود جاويش أوغلو إلى طرابلس.\n\n"
        "ثم اجتمع وزير الخارجية الليبي محمد سيالة في مقر الوزارة مع نظيره التركي."
    )
    found = _events(text, dt.date(2018, 3, 9))
    assert ("meeting", {"Mohamed Taher Siala", "Mevlut Cavusoglu"}) in found


def test_a_meeting_ahead_is_a_planned_meeting() -> None:
    text = "وقال مصدر إن رئيس المجلس الرئاسي فايز السراج سيلتقي الرئيس رجب طيب أردوغان غدا."
    events = extract_arabic_events(text, published=dt.date(2019, 11, 26))
    assert [(e.type, e.status) for e in events] == [("meeting", "planned")]


def test_a_meeting_beside_a_refusal_to_meet_someone_else_is_kept() -> None:
    found = _events(
        "التقى وزير الخارجية التركي هاكان فيدان رئيس الحكومة عبد الحميد الدبيبة اليوم الاثنين "
        "في طرابلس، في ثالث لقاء بينهما خلال الأشهر الأخيرة.",
        dt.date(2025, 5, 5),
    )
    assert ("meeting", {"Hakan Fidan", "Abdulhamid Dbeibah"}) in found


def test_talks_about_air_links_are_talks_not_a_call() -> None:
    found = _events(
        "أجرى الدبيبة مباحثات مع فيدان بشأن الاتصال الجوي بين البلدين، اليوم الاثنين في أنقرة.",
        dt.date(2025, 5, 5),
    )
    assert [kind for kind, _ in found] == ["meeting"]
