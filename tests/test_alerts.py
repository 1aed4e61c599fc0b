"""Alerts: one message per new event per channel, exactly once, through a real webhook."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from pipeline import alerts, db, store
from pipeline.records import ExtractedEvent, Participant
from tests.test_store import article


def queue_event(url: str, channels: list[alerts.Channel]) -> int:
    event = ExtractedEvent(
        type="meeting",
        status="occurred",
        date=dt.date(2025, 8, 25),
        date_source="text",
        location="Benghazi",
        participants=[
            Participant(name="Ibrahim Kalin", side="turkiye", role="MIT Director"),
            Participant(name="Khalifa Haftar", side="libya", role="LNA commander"),
        ],
        evidence="Kalin and Haftar held talks in Benghazi.",
        confidence=0.9,
    )
    with db.get_engine(url).begin() as conn:
        stored = store.save_event(
            conn, article_id=article(conn, 1, "trt"), event=event, extractor_version="test"
        )
        store.enqueue_alerts(conn, stored.event_id, [c.key for c in channels])
    return stored.event_id


def outbox(url: str) -> list[sa.Row]:
    with db.get_engine(url).connect() as conn:
        return conn.execute(sa.text("SELECT * FROM alert_outbox ORDER BY id")).all()


def test_the_alert_says_the_event_in_one_line_and_lists_its_sources(clean_db, webhook):
    channels = alerts.channels_from_urls([webhook.url])
    queue_event(clean_db, channels)
    result = alerts.drain_outbox(db.get_engine(clean_db), channels)
    assert result.sent == 1
    [message] = webhook.messages
    assert message["title"] == (
        "Türkiye–Libya meeting: Ibrahim Kalin met Khalifa Haftar in Benghazi, 25 Aug 2025"
    )
    assert "Khalifa Haftar (Libya), LNA commander" in message["message"]
    assert "http://example.test/trt/1" in message["message"]
    assert "Kalin and Haftar held talks in Benghazi." in message["message"]


def test_a_second_drain_sends_nothing(clean_db, webhook):
    channels = alerts.channels_from_urls([webhook.url])
    queue_event(clean_db, channels)
    engine = db.get_engine(clean_db)
    alerts.drain_outbox(engine, channels)
    again = alerts.drain_outbox(engine, channels)
    assert again.sent == 0
    assert len(webhook.messages) == 1


def test_a_channel_that_is_down_gets_its_alert_once_it_is_back(clean_db, webhook):
    channels = alerts.channels_from_urls([webhook.url])
    queue_event(clean_db, channels)
    engine = db.get_engine(clean_db)
    webhook.down = True
    failed = alerts.drain_outbox(engine, channels)
    assert failed.failed == 1 and failed.errors
    [row] = outbox(clean_db)
    assert row.status == "failed" and row.attempts == 1 and row.last_error
    webhook.down = False
    recovered = alerts.drain_outbox(engine, channels)
    assert recovered.sent == 1
    assert alerts.drain_outbox(engine, channels).sent == 0
    assert len(webhook.messages) == 1


def test_a_crash_between_send_and_record_is_never_resent_blindly(clean_db, webhook):
    channels = alerts.channels_from_urls([webhook.url])
    queue_event(clean_db, channels)
    with db.get_engine(clean_db).begin() as conn:
        # What a run that died after claiming the row (and maybe sending) leaves behind.
        conn.execute(
            sa.text(
                "UPDATE alert_outbox SET status = 'sending', attempts = 1, "
                "claimed_at = now() - interval '1 hour'"
            )
        )
    result = alerts.drain_outbox(db.get_engine(clean_db), channels)
    assert result.uncertain == 1 and result.sent == 0
    assert webhook.messages == []
    assert outbox(clean_db)[0].status == "uncertain"


def test_each_channel_gets_its_own_copy(clean_db, webhook):
    second = type(webhook)()
    try:
        channels = alerts.channels_from_urls([webhook.url, second.url])
        queue_event(clean_db, channels)
        assert alerts.drain_outbox(db.get_engine(clean_db), channels).sent == 2
        assert len(webhook.messages) == 1 and len(second.messages) == 1
    finally:
        second.close()


def test_without_channels_alerts_are_printed_to_the_terminal(clean_db):
    channels = alerts.channels_from_urls([])
    assert [c.key for c in channels] == [alerts.CONSOLE_CHANNEL]
    queue_event(clean_db, channels)
    printed: list[alerts.AlertMessage] = []
    alerts.drain_outbox(db.get_engine(clean_db), channels, printer=printed.append)
    assert [m.title for m in printed] == [
        "Türkiye–Libya meeting: Ibrahim Kalin met Khalifa Haftar in Benghazi, 25 Aug 2025"
    ]


def test_channel_keys_keep_secrets_out_of_the_database():
    [channel] = alerts.channels_from_urls(["tgram://123456:SECRET-TOKEN/987654/"])
    assert "SECRET" not in channel.key and "SECRET" not in channel.label


def test_an_invalid_alert_url_is_a_clear_error():
    import pytest

    with pytest.raises(ValueError, match="not a valid Apprise URL"):
        alerts.channels_from_urls(["nosuchscheme://x"])
