"""Arabic reporting read by the gazetteer-anchored rules: cases in the project's own words;
real articles are read by tests/test_extract_realnews.py at run time."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import extract_events

WEDNESDAY = dt.date(2025, 9, 17)


def test_a_turkish_warship_training_with_the_libyan_navy_is_the_navies_contact() -> None:
    (event,) = extract_events(
        "وصلت السفينة الحربية التركية إلى ميناء طرابلس يوم الأحد لتنفيذ تدريبات مشتركة مع "
        "القوات البحرية الليبية، وفق ما أعلنت رئاسة الأركان.",
        published=WEDNESDAY,
        title=None,
        language="ar",
    )
    assert event.type == "military"
    assert {(p.name, p.side) for p in event.participants} == {
        ("Turkish Navy", "turkiye"),
        ("Libyan Navy", "libya"),
    }
    assert event.date == dt.date(2025, 9, 14)


def test_an_unnamed_military_delegation_is_named_by_its_demonym() -> None:
    (event,) = extract_events(
        "استقبل رئيس الأركان العامة محمد الحداد وفدا عسكريا تركيا في طرابلس يوم الاثنين "
        "لبحث برامج التدريب.",
        published=WEDNESDAY,
        title=None,
        language="ar",
    )
    assert event.type == "military"
    assert {(p.name, p.side) for p in event.participants} == {
        ("Mohammed al-Haddad", "libya"),
        ("Turkish military delegation", "turkiye"),
    }
