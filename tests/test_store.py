"""Storing events: one real-world event is one row, however many outlets report it."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pipeline import db, store
from pipeline.records import CleanArticle, ExtractedEvent, Participant

KALIN = Participant(name="Ibrahim Kalin", side="turkiye", role="MIT Director")
HAFTAR = Participant(name="Khalifa Haftar", side="libya", role="LNA commander")
DBEIBAH = Participant(name="Abdulhamid Dbeibah", side="libya", role="Prime Minister")
BEGEC = Participant(name="Guven Begec", side="turkiye", role="Turkish ambassador to Libya")


def meeting(
    day: dt.date,
    *people: Participant,
    location: str | None = "Benghazi",
    type_: str = "meeting",
    date_source: str = "text",
) -> ExtractedEvent:
    return ExtractedEvent(
        type=type_,
        status="occurred",
        date=day,
        date_source=date_source,
        location=location,
        participants=list(people),
        evidence="They met.",
        confidence=0.8,
    )


def article(conn: Connection, n: int, source: str) -> int:
    page_id = conn.execute(
        sa.text(
            "INSERT INTO pages (source, url, http_status, html) "
            "VALUES (:s, :u, 200, '<html></html>') RETURNING id"
        ),
        {"s": source, "u": f"http://example.test/{source}/{n}"},
    ).scalar_one()
    return store.save_article(
        conn,
        page_id=page_id,
        source=source,
        url=f"http://example.test/{source}/{n}",
        article=CleanArticle(title="t", text="x", published=dt.date(2025, 8, 25)),
        relevant=True,
        cleaner_version="test",
        extractor_version="test",
    )


@pytest.fixture
def conn(clean_db: str):
    with db.get_engine(clean_db).begin() as connection:
        yield connection


def events_in(conn: Connection) -> list[sa.Row]:
    return conn.execute(sa.text("SELECT * FROM v_events ORDER BY id")).all()


def test_same_meeting_from_three_outlets_is_one_event_with_three_mentions(conn: Connection):
    day = dt.date(2025, 8, 25)
    stored = [
        store.save_event(
            conn,
            article_id=article(conn, i, src),
            event=meeting(day, KALIN, HAFTAR),
            extractor_version="test",
        )
        for i, src in enumerate(["trt", "wire", "observer"])
    ]
    assert [s.created for s in stored] == [True, False, False]
    [event] = events_in(conn)
    assert event.source_count == 3
    assert len(event.urls) == 3


def test_a_report_dated_by_publication_merges_with_one_a_day_earlier(conn: Connection):
    first = store.save_event(
        conn,
        article_id=article(conn, 1, "trt"),
        event=meeting(dt.date(2025, 8, 25), KALIN, HAFTAR),
        extractor_version="test",
    )
    # Published the next day, the article only says "met": its date is the publication day.
    next_day = store.save_event(
        conn,
        article_id=article(conn, 2, "wire"),
        event=meeting(dt.date(2025, 8, 26), KALIN, HAFTAR, date_source="published"),
        extractor_version="test",
    )
    week_later = store.save_event(
        conn,
        article_id=article(conn, 3, "wire"),
        event=meeting(dt.date(2025, 9, 1), KALIN, HAFTAR, date_source="published"),
        extractor_version="test",
    )
    assert next_day.event_id == first.event_id
    assert week_later.created and week_later.event_id != first.event_id


def test_two_meetings_of_the_same_pair_on_stated_different_days_stay_apart(conn: Connection):
    monday = store.save_event(
        conn,
        article_id=article(conn, 1, "trt"),
        event=meeting(dt.date(2025, 8, 25), KALIN, HAFTAR),
        extractor_version="test",
    )
    tuesday = store.save_event(
        conn,
        article_id=article(conn, 2, "trt"),
        event=meeting(dt.date(2025, 8, 26), KALIN, HAFTAR),
        extractor_version="test",
    )
    assert tuesday.created and tuesday.event_id != monday.event_id


def test_same_day_meetings_with_different_libyan_principals_stay_apart(conn: Connection):
    day = dt.date(2025, 8, 25)
    a = store.save_event(
        conn,
        article_id=article(conn, 1, "trt"),
        event=meeting(day, KALIN, HAFTAR),
        extractor_version="test",
    )
    b = store.save_event(
        conn,
        article_id=article(conn, 2, "trt"),
        event=meeting(day, KALIN, DBEIBAH, location="Tripoli"),
        extractor_version="test",
    )
    assert a.event_id != b.event_id
    assert len(events_in(conn)) == 2


def test_a_phone_call_is_not_merged_into_a_meeting(conn: Connection):
    day = dt.date(2025, 8, 25)
    a = store.save_event(
        conn,
        article_id=article(conn, 1, "trt"),
        event=meeting(day, KALIN, HAFTAR),
        extractor_version="test",
    )
    b = store.save_event(
        conn,
        article_id=article(conn, 2, "wire"),
        event=meeting(day, KALIN, HAFTAR, location=None, type_="call"),
        extractor_version="test",
    )
    assert b.created and a.event_id != b.event_id


def test_a_later_report_adds_a_participant_a_place_and_an_exact_date(conn: Connection):
    vague = meeting(dt.date(2025, 8, 26), KALIN, HAFTAR, location=None, date_source="published")
    first = store.save_event(
        conn, article_id=article(conn, 1, "trt"), event=vague, extractor_version="test"
    )
    precise = meeting(dt.date(2025, 8, 25), KALIN, HAFTAR, BEGEC, location="Benghazi")
    second = store.save_event(
        conn, article_id=article(conn, 2, "wire"), event=precise, extractor_version="test"
    )
    assert second.event_id == first.event_id and second.changed
    [event] = events_in(conn)
    assert event.location == "Benghazi"
    assert event.event_date == dt.date(2025, 8, 25) and event.date_source == "text"
    assert {p["name"] for p in event.participants} == {
        "Ibrahim Kalin",
        "Khalifa Haftar",
        "Guven Begec",
    }


def test_storing_the_same_mention_twice_changes_nothing(conn: Connection):
    article_id = article(conn, 1, "trt")
    event = meeting(dt.date(2025, 8, 25), KALIN, HAFTAR)
    first = store.save_event(conn, article_id=article_id, event=event, extractor_version="test")
    again = store.save_event(conn, article_id=article_id, event=event, extractor_version="test")
    assert not again.created and not again.changed and again.event_id == first.event_id
    assert conn.execute(sa.text("SELECT count(*) FROM event_mentions")).scalar() == 1


def test_v_events_has_the_columns_analysts_are_promised(conn: Connection):
    store.save_event(
        conn,
        article_id=article(conn, 1, "trt"),
        event=meeting(dt.date(2025, 8, 25), KALIN, HAFTAR),
        extractor_version="test",
    )
    [event] = conn.execute(sa.text("SELECT * FROM v_events")).mappings().all()
    for column in (
        "id",
        "type",
        "status",
        "event_date",
        "location",
        "participants",
        "first_seen_at",
        "source_count",
        "urls",
    ):
        assert column in event
    kalin = {"name": "Ibrahim Kalin", "side": "turkiye", "role": "MIT Director"}
    assert any(kalin.items() <= p.items() for p in event["participants"])
    assert isinstance(event["urls"], list)
