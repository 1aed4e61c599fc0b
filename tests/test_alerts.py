"""Alerts: what each channel receives, exactly once, through real receivers (webhook, SMTP)."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from pipeline import alerts, db, runlocks, store
from pipeline.alert_channels import (
    CONSOLE_CHANNEL,
    AlertConfigError,
    Channel,
    ChannelFilter,
    channels_from_urls,
    configured_channels,
    load_channels_file,
)
from pipeline.alert_format import SAMPLE_EVENT, event_headline, format_event
from pipeline.records import ExtractedEvent, Participant
from tests.faultserver import POLL
from tests.test_store import article

KALIN = Participant(name="Ibrahim Kalin", side="turkiye", role="MIT Director")
HAFTAR = Participant(name="Khalifa Haftar", side="libya", role="LNA commander", camp="east")
DBEIBAH = Participant(name="Abdulhamid Dbeibah", side="libya", role="Prime Minister")
BEGEC = Participant(name="Guven Begec", side="turkiye", role="Ambassador to Libya")


def event(
    *people: Participant,
    day: int = 25,
    type_: str = "meeting",
    confidence: float = 0.9,
    location: str | None = "Benghazi",
    date_source: str = "text",
) -> ExtractedEvent:
    return ExtractedEvent(
        type=type_,
        status="occurred",
        date=dt.date(2025, 8, day),
        date_source=date_source,
        location=location,
        participants=list(people or (KALIN, HAFTAR)),
        evidence="Kalin and Haftar held talks in Benghazi.",
        confidence=confidence,
    )


_articles = iter(range(1, 10_000))


def report(
    url: str, extracted: ExtractedEvent, channels: list[Channel], source: str = "trt"
) -> int:
    """Store one article's event and queue its alerts, as the process stage does."""
    with db.get_engine(url).begin() as conn:
        stored = store.save_event(
            conn,
            article_id=article(conn, next(_articles), source),
            event=extracted,
            extractor_version="test",
        )
        if stored.created or stored.changed:
            alerts.queue_alerts(conn, stored.event_id, channels, changed=stored.changed)
    return stored.event_id


def drain(url: str, channels: list[Channel]) -> alerts.AlertResult:
    return alerts.drain_outbox(db.get_engine(url), channels)


def outbox(url: str) -> list[sa.Row]:
    with db.get_engine(url).connect() as conn:
        return conn.execute(sa.text("SELECT * FROM alert_outbox ORDER BY id")).all()


# --------------------------------------------------------------------------- receivers


class SMTPInbox:
    """A real SMTP server on 127.0.0.1 keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        inbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope) -> str:
                inbox.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 OK"

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def url(self, to: str = "desk@example.org") -> str:
        return f"mailto://127.0.0.1:{self.port}?from=watch@example.org&to={to}&mode=insecure"

    def close(self) -> None:
        self.controller.stop()


@pytest.fixture
def smtp() -> Iterator[SMTPInbox]:
    inbox = SMTPInbox()
    yield inbox
    inbox.close()


# ------------------------------------------------------------------------------ content


def test_the_alert_says_the_event_in_one_line_and_lists_its_sources(clean_db, webhook):
    channels = channels_from_urls([webhook.url])
    report(clean_db, event(), channels)
    assert drain(clean_db, channels).sent == 1
    [message] = webhook.messages
    assert message["title"] == (
        "Türkiye–Libya meeting: Ibrahim Kalin met Khalifa Haftar in Benghazi, 25 Aug 2025"
    )
    assert "Khalifa Haftar (Libya), LNA commander" in message["message"]
    assert "Kalin and Haftar held talks in Benghazi." in message["message"]
    assert "http://example.test/trt/" in message["message"]


def test_email_alerts_arrive_over_smtp_with_an_html_part(clean_db, smtp):
    channels = channels_from_urls([smtp.url()])
    report(clean_db, event(), channels)
    assert drain(clean_db, channels).sent == 1
    [mail] = smtp.messages
    assert mail["Subject"].startswith("Türkiye–Libya meeting: Ibrahim Kalin met Khalifa Haftar")
    html = [part for part in mail.walk() if part.get_content_type() == "text/html"]
    assert html and "Khalifa Haftar" in html[0].get_content()


def test_without_channels_alerts_are_printed_to_the_terminal(clean_db):
    channels = channels_from_urls([])
    assert [c.key for c in channels] == [CONSOLE_CHANNEL]
    report(clean_db, event(), channels)
    printed: list[alerts.AlertMessage] = []
    alerts.drain_outbox(db.get_engine(clean_db), channels, printer=printed.append)
    assert [m.title for m in printed] == [
        "Türkiye–Libya meeting: Ibrahim Kalin met Khalifa Haftar in Benghazi, 25 Aug 2025"
    ]


# --------------------------------------------------------------------------- exactly once


def test_a_second_drain_sends_nothing(clean_db, webhook):
    channels = channels_from_urls([webhook.url])
    report(clean_db, event(), channels)
    drain(clean_db, channels)
    assert drain(clean_db, channels).sent == 0
    assert len(webhook.messages) == 1


def test_the_same_event_from_another_outlet_is_not_alerted_again(clean_db, webhook):
    channels = channels_from_urls([webhook.url])
    report(clean_db, event(), channels, source="trt")
    drain(clean_db, channels)
    # Published the next day without a date of its own: the same meeting.
    report(clean_db, event(day=26, date_source="published"), channels, source="wire")
    assert drain(clean_db, channels).sent == 0
    assert len(webhook.messages) == 1


def test_a_channel_that_is_down_gets_its_alert_once_it_is_back(clean_db, webhook):
    channels = channels_from_urls([webhook.url])
    report(clean_db, event(), channels)
    webhook.down = True
    failed = drain(clean_db, channels)
    assert failed.failed == 1 and failed.errors
    [row] = outbox(clean_db)
    assert row.status == "failed" and row.attempts == 1 and row.last_error
    assert row.next_attempt_at is not None  # backed off: not retried in the same minute
    assert drain(clean_db, channels).failed == 0
    webhook.down = False
    with db.get_engine(clean_db).begin() as conn:  # the back-off has passed
        conn.execute(sa.text("UPDATE alert_outbox SET next_attempt_at = now()"))
    assert drain(clean_db, channels).sent == 1
    assert drain(clean_db, channels).sent == 0
    assert len(webhook.messages) == 1


def test_a_crash_between_send_and_record_is_never_resent_blindly(clean_db, webhook):
    channels = channels_from_urls([webhook.url])
    report(clean_db, event(), channels)
    with db.get_engine(clean_db).begin() as conn:
        # What a run that died after claiming the row (and maybe sending) leaves behind.
        conn.execute(
            sa.text(
                "UPDATE alert_outbox SET status = 'sending', attempts = 1, "
                "claimed_at = now() - interval '1 hour'"
            )
        )
    result = drain(clean_db, channels)
    assert result.uncertain == 1 and result.sent == 0
    assert webhook.messages == []
    assert outbox(clean_db)[0].status == "uncertain"


def test_a_claim_left_by_a_dead_run_is_reported_uncertain_at_once(clean_db, webhook):
    channels = channels_from_urls([webhook.url])
    report(clean_db, event(), channels)
    report(clean_db, event(BEGEC, DBEIBAH, day=3, location="Tripoli"), channels)
    report(clean_db, event(KALIN, DBEIBAH, day=10, location="Ankara"), channels)
    with db.get_engine(clean_db).begin() as conn:
        ids = conn.execute(sa.text("SELECT id FROM alert_outbox ORDER BY id")).scalars().all()
    # Row 1: claimed a moment ago by a run whose process is gone (nobody holds its lock).
    # Row 2: claimed by a run that is still sending (it holds its lock on a live session).
    with psycopg.connect(db.libpq_url(clean_db), autocommit=True) as live:
        runlocks.hold(live, runlocks.ALERT_RUN, "alert-alive")
        with db.get_engine(clean_db).begin() as conn:
            for row_id, token in ((ids[0], "alert-dead"), (ids[1], "alert-alive")):
                conn.execute(
                    sa.text(
                        "UPDATE alert_outbox SET status = 'sending', attempts = 1, "
                        "claimed_at = now(), claimed_by = :token WHERE id = :id"
                    ),
                    {"id": row_id, "token": token},
                )
        result = drain(clean_db, channels)
        statuses = {row.id: row.status for row in outbox(clean_db)}
        assert statuses[ids[0]] == "uncertain" and statuses[ids[1]] == "sending"
        assert result.uncertain == 1
        assert "left 'sending' by an alert run that stopped" in result.errors[0]
        [dead] = [row for row in outbox(clean_db) if row.id == ids[0]]
        assert "alert-dead" in dead.last_error and "not resent" in dead.last_error
    # The live run has ended without recording: the next drain sees that at once too.
    assert drain(clean_db, channels).uncertain == 1
    assert {row.status for row in outbox(clean_db) if row.id in ids[:2]} == {"uncertain"}
    assert len(webhook.messages) == 1  # the third row (the other event), nothing resent


class SlowReceiver:
    """A webhook that takes the message and answers too late: it may have been delivered."""

    def __init__(self, delay: float) -> None:
        self.received = 0

        class Handler(BaseHTTPRequestHandler):
            def do_POST(handler) -> None:
                handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
                self.received += 1
                time.sleep(delay)
                handler.send_response(200)
                handler.end_headers()

            def log_message(handler, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": POLL}, daemon=True
        ).start()
        self.url = f"json://127.0.0.1:{self.server.server_port}/?rto=1"


def test_a_send_that_timed_out_is_not_repeated_blindly(clean_db):
    slow = SlowReceiver(delay=2.5)
    try:
        channels = channels_from_urls([slow.url])
        report(clean_db, event(), channels)
        result = drain(clean_db, channels)
        assert result.uncertain == 1 and result.sent == 0
        [row] = outbox(clean_db)
        assert row.status == "uncertain" and "may have been delivered" in row.last_error
        assert drain(clean_db, channels).uncertain == 0
        assert slow.received == 1
    finally:
        slow.server.shutdown()


# ---------------------------------------------------------------------- channels and modes


def test_each_channel_gets_its_own_copy(clean_db, webhook, smtp):
    channels = channels_from_urls([webhook.url, smtp.url()])
    report(clean_db, event(), channels)
    assert drain(clean_db, channels).sent == 2
    assert len(webhook.messages) == 1 and len(smtp.messages) == 1


def test_filters_decide_which_channel_hears_about_which_event(clean_db, webhook, smtp):
    channels = [
        Channel(name="calls-only", url=webhook.url, filter=ChannelFilter(types=["call"])),
        Channel(name="dbeibah-desk", url=smtp.url(), filter=ChannelFilter(actors=["dbeibah"])),
    ]
    report(clean_db, event(KALIN, HAFTAR), channels)
    report(clean_db, event(KALIN, DBEIBAH, day=10, location="Tripoli"), channels)
    report(clean_db, event(KALIN, DBEIBAH, day=3, type_="call", location=None), channels)
    drain(clean_db, channels)
    assert [m["title"].split(":")[0] for m in webhook.messages] == ["Türkiye–Libya call"]
    assert sorted(m["Subject"].split(":")[0] for m in smtp.messages) == [
        "Türkiye–Libya call",
        "Türkiye–Libya meeting",
    ]


def test_min_confidence_keeps_weak_events_off_a_channel(clean_db, webhook):
    channels = [Channel(name="sure", url=webhook.url, filter=ChannelFilter(min_confidence=0.8))]
    report(clean_db, event(confidence=0.5), channels)
    assert drain(clean_db, channels).sent == 0
    assert outbox(clean_db) == []


def test_a_digest_channel_gets_one_message_per_run(clean_db, webhook, smtp):
    channels = [
        Channel(name="desk", url=webhook.url),
        Channel(name="daily", url=smtp.url(), mode="digest"),
    ]
    report(clean_db, event(KALIN, HAFTAR), channels)
    report(clean_db, event(KALIN, DBEIBAH, day=10, location="Tripoli"), channels)
    result = drain(clean_db, channels)
    assert result.sent == 4  # outbox rows: two for the desk, two in the one digest
    assert len(webhook.messages) == 2
    [digest] = smtp.messages
    assert digest["Subject"] == "Türkiye–Libya watch: 2 new events"
    body = "".join(p.get_content() for p in digest.walk() if not p.is_multipart())
    assert "Khalifa Haftar" in body and "Abdulhamid Dbeibah" in body
    assert drain(clean_db, channels).sent == 0 and len(smtp.messages) == 1


def test_a_channel_that_wants_updates_hears_once_about_a_change(clean_db, webhook, smtp):
    channels = [
        Channel(name="updates", url=webhook.url, updates=True),
        Channel(name="new-only", url=smtp.url()),
    ]
    report(clean_db, event(date_source="published"), channels, source="trt")
    drain(clean_db, channels)
    # Another outlet adds a participant: the event changes.
    report(clean_db, event(KALIN, HAFTAR, BEGEC, day=25), channels, source="wire")
    drain(clean_db, channels)
    assert [m["title"].split(" — ")[0] for m in webhook.messages] == [
        webhook.messages[0]["title"].split(" — ")[0],
        "Update",
    ]
    assert "Guven Begec" in webhook.messages[1]["message"]
    assert len(smtp.messages) == 1
    # A report that changes nothing sends nothing.
    report(clean_db, event(day=25), channels, source="observer")
    assert drain(clean_db, channels).sent == 0


# -------------------------------------------------------------------------- configuration


def test_channels_file_reads_secrets_from_the_environment(tmp_path: Path, monkeypatch):
    path = tmp_path / "alerts.yaml"
    path.write_text(
        "channels:\n"
        "  - name: desk\n"
        "    url: tgram://${DESK_BOT_TOKEN}/12345/\n"
        "    mode: digest\n"
        "    updates: true\n"
        "    filter: {types: [meeting, visit], min_confidence: 0.7, actors: [Kalın]}\n"
    )
    monkeypatch.setenv("DESK_BOT_TOKEN", "123456:SECRET-TOKEN")
    [channel] = load_channels_file(path)
    assert channel.mode == "digest" and channel.updates
    assert channel.url == "tgram://123456:SECRET-TOKEN/12345/"
    assert "SECRET" not in channel.key and "SECRET" not in channel.label
    assert channel.filter.matches(
        {
            "type": "meeting",
            "status": "occurred",
            "confidence": 0.9,
            "participants": [{"name": "Ibrahim Kalin"}],
        }
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("channels: []", "non-empty 'channels:' list"),
        ("channels:\n  - name: a\n    url: json://${NOPE_NOT_SET}/\n", "NOPE_NOT_SET is not set"),
        ("channels:\n  - name: a\n    url: nosuchscheme://x\n", "not a valid Apprise URL"),
        (
            "channels:\n  - name: a\n    url: json://h/\n    mode: hourly\n",
            r"channel 1 \('a'\): mode",
        ),
        (
            "channels:\n  - {name: a, url: 'json://h/'}\n  - {name: a, url: 'json://g/'}\n",
            "duplicate channel name",
        ),
    ],
)
def test_a_bad_channels_file_is_a_clear_error(tmp_path: Path, content: str, message: str):
    path = tmp_path / "alerts.yaml"
    path.write_text(content)
    with pytest.raises(AlertConfigError, match=message):
        load_channels_file(path)


def test_url_channels_keep_secrets_out_of_the_database():
    [channel] = channels_from_urls(["tgram://123456:SECRET-TOKEN/987654/"])
    assert "SECRET" not in channel.key and "SECRET" not in channel.label


def test_file_and_variable_channels_add_up(tmp_path: Path):
    path = tmp_path / "alerts.yaml"
    path.write_text("channels:\n  - {name: desk, url: 'json://127.0.0.1:9/'}\n")
    names = [c.name for c in configured_channels(["json://127.0.0.1:8/"], path)]
    assert names[0] == "desk" and names[1].startswith("json:") and len(names) == 2
    assert [c.name for c in configured_channels([], None)] == [CONSOLE_CHANNEL]


def test_the_shipped_example_file_is_valid(monkeypatch):
    example = Path(__file__).resolve().parent.parent / "alerts.example.yaml"
    for name in ("SMTP_USER", "SMTP_PASSWORD", "TELEGRAM_TOKEN", "TELEGRAM_CHAT", "WEBHOOK_HOST"):
        monkeypatch.setenv(f"LTWATCH_{name}", "123456" if "TOKEN" not in name else "1234:abcd")
    channels = load_channels_file(example)
    assert [c.mode for c in channels] == ["digest", "immediate", "immediate"]


def test_an_event_placed_only_in_a_country_says_the_country():
    event = SAMPLE_EVENT | {"location": None, "country": "Libya"}
    assert event_headline(event).endswith("in Libya, 25 Aug 2025")
    assert "Place: Libya" in format_event(event).body
