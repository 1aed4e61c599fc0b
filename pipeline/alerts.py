"""Alerts: one message per new event per channel, sent through Apprise from a Postgres outbox.

The outbox (``alert_outbox``) gets its rows in the same transaction that creates or changes
an event, one per event and channel that wants it. The alert stage then drains it:

- a row is claimed (``status = 'sending'``, committed) before the send and marked ``sent``
  after it;
- a send the channel refused (connection refused, HTTP error) is ``failed`` and retried on
  later runs with exponential back-off, up to ``MAX_ATTEMPTS``;
- a send that timed out may have reached the channel, and a row left ``sending`` by a run
  that died between the send and the record may have too: both become ``uncertain`` and
  are never resent blindly. A run's claims carry its token (``claimed_by``) and the run
  holds an advisory lock named after it (``pipeline.runlocks``), so the next run sees at
  once that their claimer is gone — no waiting out a stale-claim window.

So every alert is delivered exactly once, except in those two ambiguous cases, where it is
delivered at most once: a duplicate alert costs analysts' trust more than a rare gap that
``ltwatch alerts list`` shows.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import apprise
import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from pipeline import runlocks
from pipeline.alert_channels import Channel

# Formatting lives in pipeline.alert_format; its names stay part of this module's API.
from pipeline.alert_format import (
    SAMPLE_EVENT,
    SIDE_LABELS,
    SIDE_ORDER,
    AlertMessage,
    Printer,
    event_headline,
    format_digest,
    format_event,
    print_message,
)
from pipeline.db import libpq_url

# A row is retried on later runs until it has failed this many times.
MAX_ATTEMPTS = 8
# Back-off between attempts: 2 ** attempts minutes, at most this many.
MAX_BACKOFF_MINUTES = 360
# Rows claimed without a run token (by a version before migration 0006) cannot be traced
# to their run: those are taken as abandoned once claimed this long ago.
STALE_CLAIM = dt.timedelta(minutes=10)
DEAD_CLAIM = (
    "left 'sending' by alert run {token}, which stopped between claiming and recording "
    "(killed, or lost the database): may have been delivered; not resent"
)
# Apprise reports a time-out only in its log; these words mean "may have been delivered".
_TIMEOUT = re.compile(r"timed? ?out|timeout", re.IGNORECASE)

__all__ = [
    "SAMPLE_EVENT",
    "SIDE_LABELS",
    "SIDE_ORDER",
    "AlertMessage",
    "AlertResult",
    "Printer",
    "drain_outbox",
    "event_headline",
    "format_digest",
    "format_event",
    "notify_operators",
    "print_message",
    "queue_alerts",
    "send",
]


# ------------------------------------------------------------------------------ queueing


def event_row(conn: Connection, event_id: int) -> dict[str, Any]:
    """An event as alerts see it: its ``v_events`` row."""
    row = conn.execute(sa.text("SELECT * FROM v_events WHERE id = :id"), {"id": event_id})
    return dict(row.mappings().one())


def queue_alerts(
    conn: Connection, event_id: int, channels: Sequence[Channel], *, changed: bool
) -> int:
    """Queue what each channel wants to hear about this event; return rows queued.

    A channel whose filter matches gets a 'new' row once. When a later report changes an
    event that channel was already told about, a channel that wants updates gets one
    'update' row for the latest revision (a pending update is brought up to date instead).
    """
    event = event_row(conn, event_id)
    queued = 0
    for channel in channels:
        if not channel.filter.matches(event):
            continue
        new_status = conn.execute(
            sa.text(
                "SELECT status FROM alert_outbox "
                "WHERE event_id = :e AND channel = :c AND kind = 'new'"
            ),
            {"e": event_id, "c": channel.key},
        ).scalar()
        if new_status is None:
            conn.execute(
                sa.text(
                    "INSERT INTO alert_outbox (event_id, channel, kind, revision) "
                    "VALUES (:e, :c, 'new', :r) ON CONFLICT DO NOTHING"
                ),
                {"e": event_id, "c": channel.key, "r": event["revision"]},
            )
            queued += 1
        elif changed and channel.updates and new_status == "sent":
            params = {"e": event_id, "c": channel.key, "r": event["revision"]}
            refreshed = conn.execute(
                sa.text(
                    "UPDATE alert_outbox SET revision = :r WHERE event_id = :e AND channel = :c "
                    "AND kind = 'update' AND status IN ('pending', 'failed')"
                ),
                params,
            ).rowcount
            if not refreshed:
                conn.execute(
                    sa.text(
                        "INSERT INTO alert_outbox (event_id, channel, kind, revision) "
                        "VALUES (:e, :c, 'update', :r) ON CONFLICT DO NOTHING"
                    ),
                    params,
                )
                queued += 1
    return queued


# ------------------------------------------------------------------------------- sending


@dataclass
class AlertResult:
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    unconfigured: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SendOutcome:
    status: str  # sent | failed | uncertain
    error: str | None = None


def send(channel: Channel, message: AlertMessage, printer: Printer = print_message) -> SendOutcome:
    """Send one message to one channel and say what became of it."""
    if channel.url is None:
        printer(message)
        return SendOutcome("sent")
    notifier = apprise.Apprise()
    notifier.add(channel.url)
    [plugin] = list(notifier)
    # Apprise 2 lists the formats a plugin takes, the one it prefers first.
    formats = plugin.notify_format
    preferred = formats[0] if isinstance(formats, tuple | list) else formats
    rich = preferred in (apprise.NotifyFormat.MARKDOWN, apprise.NotifyFormat.HTML)
    body, body_format = (
        (message.markdown, apprise.NotifyFormat.MARKDOWN)
        if rich and message.markdown
        else (message.body, apprise.NotifyFormat.TEXT)
    )
    # DEBUG: Apprise names the socket error (a time-out, a refusal) only at that level. Not
    # propagated: the outcome is reported once, by us, not also by Apprise's own logging.
    apprise_logger = logging.getLogger("apprise")
    propagate, apprise_logger.propagate = apprise_logger.propagate, False
    try:
        with apprise.LogCapture(level=logging.DEBUG, fmt="%(levelname)s %(message)s") as log:
            ok = notifier.notify(title=message.title, body=body, body_format=body_format)
            lines = log.getvalue().strip().splitlines()
    finally:
        apprise_logger.propagate = propagate
    if ok:
        return SendOutcome("sent")
    warnings = [line.split(" ", 1)[1] for line in lines if line.startswith(("WARNING", "ERROR"))]
    error = warnings[-1] if warnings else "delivery failed"
    if any(_TIMEOUT.search(line) for line in lines):
        return SendOutcome("uncertain", f"timed out, may have been delivered: {error}")
    return SendOutcome("failed", error)


def _abandon_dead_claims(conn: Connection, holder: psycopg.Connection) -> int:
    """Mark ``uncertain`` the rows left ``sending`` by alert runs that are gone."""
    abandoned = 0
    tokens = conn.execute(
        sa.text(
            "SELECT DISTINCT claimed_by FROM alert_outbox "
            "WHERE status = 'sending' AND claimed_by IS NOT NULL"
        )
    ).scalars()
    for token in list(tokens):
        if runlocks.is_dead(holder, runlocks.ALERT_RUN, token):
            abandoned += conn.execute(
                sa.text(
                    "UPDATE alert_outbox SET status = 'uncertain', last_error = :error "
                    "WHERE status = 'sending' AND claimed_by = :token"
                ),
                {"token": token, "error": DEAD_CLAIM.format(token=token)},
            ).rowcount
    abandoned += conn.execute(
        sa.text(
            "UPDATE alert_outbox SET status = 'uncertain', "
            "last_error = 'run stopped between send and record; not resent' "
            "WHERE status = 'sending' AND claimed_by IS NULL AND claimed_at < now() - :stale"
        ),
        {"stale": STALE_CLAIM},
    ).rowcount
    return abandoned


def _due_rows(conn: Connection, channel: Channel) -> list[sa.Row]:
    return conn.execute(
        sa.text(
            """
            SELECT o.id, o.kind, to_jsonb(v) AS event
            FROM alert_outbox o JOIN v_events v ON v.id = o.event_id
            WHERE o.channel = :channel AND o.status IN ('pending', 'failed')
              AND o.attempts < :max_attempts
              AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= now())
            ORDER BY v.event_date DESC NULLS LAST, o.id
            """
        ),
        {"channel": channel.key, "max_attempts": MAX_ATTEMPTS},
    ).all()


def _claim(engine: Engine, ids: list[int], token: str) -> list[int]:
    """Mark rows as being sent by run ``token``, committed before the send; returns the ids
    we got."""
    with engine.begin() as conn:
        return list(
            conn.execute(
                sa.text(
                    "UPDATE alert_outbox SET status = 'sending', attempts = attempts + 1, "
                    "claimed_at = now(), claimed_by = :token "
                    "WHERE id = ANY(:ids) AND status IN ('pending', 'failed') RETURNING id"
                ),
                {"ids": ids, "token": token},
            ).scalars()
        )


def _record(engine: Engine, ids: list[int], outcome: SendOutcome) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                """
                UPDATE alert_outbox SET
                    status = :status,
                    last_error = :error,
                    sent_at = CASE WHEN :status = 'sent' THEN now() END,
                    next_attempt_at = CASE WHEN :status = 'failed' THEN now()
                        + make_interval(mins => LEAST(power(2, attempts)::int, :cap)) END
                WHERE id = ANY(:ids)
                """
            ),
            {
                "ids": ids,
                "status": outcome.status,
                "error": outcome.error,
                "cap": MAX_BACKOFF_MINUTES,
            },
        )


def _as_event(row: sa.Row) -> dict[str, Any]:
    event = dict(row.event)
    if event.get("event_date"):
        event["event_date"] = dt.date.fromisoformat(event["event_date"])
    return event


def _tally(result: AlertResult, channel: Channel, outcome: SendOutcome, count: int) -> None:
    setattr(result, outcome.status, getattr(result, outcome.status) + count)
    if outcome.error:
        result.errors.append(f"{channel.label}: {outcome.error}")


def drain_outbox(
    engine: Engine, channels: Sequence[Channel], *, printer: Printer = print_message
) -> AlertResult:
    """Send what is due in the outbox of every configured channel, once.

    First, rows left ``sending`` by alert runs that died are marked ``uncertain`` (and
    named in the result's errors): they may have been delivered and are not resent.
    """
    result = AlertResult()
    token = f"alert-{uuid.uuid4().hex[:12]}"
    url = libpq_url(engine.url.render_as_string(hide_password=False))
    with psycopg.connect(url, autocommit=True) as holder:
        # This run is alive, for other runs to see, for as long as this connection lasts.
        runlocks.hold(holder, runlocks.ALERT_RUN, token)
        with engine.begin() as conn:
            abandoned = _abandon_dead_claims(conn, holder)
            result.unconfigured = conn.execute(
                sa.text(
                    "SELECT count(*) FROM alert_outbox WHERE status IN ('pending', 'failed') "
                    "AND NOT channel = ANY(:keys)"
                ),
                {"keys": [c.key for c in channels]},
            ).scalar_one()
        if abandoned:
            result.uncertain += abandoned
            result.errors.append(
                f"{abandoned} alert(s) left 'sending' by an alert run that stopped before "
                "recording the outcome are now uncertain (may have been delivered; not "
                "resent): ltwatch alerts list --status uncertain"
            )
        for channel in channels:
            _drain_channel(engine, channel, token, printer, result)
    return result


def _drain_channel(
    engine: Engine, channel: Channel, token: str, printer: Printer, result: AlertResult
) -> None:
    with engine.connect() as conn:
        rows = _due_rows(conn, channel)
    if not rows:
        return
    if channel.mode == "digest":
        ids = _claim(engine, [row.id for row in rows], token)
        if not ids:
            return
        claimed = [row for row in rows if row.id in ids]
        digest = format_digest([(_as_event(r), r.kind == "update") for r in claimed])
        outcome = send(channel, digest, printer)
        _record(engine, ids, outcome)
        _tally(result, channel, outcome, len(ids))
        return
    for row in rows:
        if not _claim(engine, [row.id], token):
            continue  # another run took it in the meantime
        message = format_event(_as_event(row), update=row.kind == "update")
        outcome = send(channel, message, printer)
        _record(engine, [row.id], outcome)
        _tally(result, channel, outcome, 1)


def notify_operators(
    channels: Sequence[Channel], message: AlertMessage, *, printer: Printer = print_message
) -> list[str]:
    """Send a message about the pipeline itself (a failed run, a silent source) to every
    channel that takes such messages, now. Returns the errors; callers keep their own
    record so as not to repeat themselves."""
    errors = []
    for channel in channels:
        if not channel.operator:
            continue
        outcome = send(channel, message, printer)
        if outcome.error:
            errors.append(f"{channel.label}: {outcome.error}")
    return errors
