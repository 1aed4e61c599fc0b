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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import apprise
import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from pipeline import runlocks
from pipeline.alert_channels import Channel
from pipeline.db import libpq_url

# A row is retried on later runs until it has failed this many times.
MAX_ATTEMPTS = 8
# Back-off between attempts: 2 ** attempts minutes, at most this many.
MAX_BACKOFF_MINUTES = 360
# Rows claimed without a run token (by a version before migration 0005a) cannot be traced
# to their run: those are taken as abandoned once claimed this long ago.
STALE_CLAIM = dt.timedelta(minutes=10)
DEAD_CLAIM = (
    "left 'sending' by alert run {token}, which stopped between claiming and recording "
    "(killed, or lost the database): may have been delivered; not resent"
)
# Apprise reports a time-out only in its log; these words mean "may have been delivered".
_TIMEOUT = re.compile(r"timed? ?out|timeout", re.IGNORECASE)

SIDE_LABELS = {"turkiye": "Türkiye", "libya": "Libya", "other": "other"}
SIDE_ORDER = {"turkiye": 0, "libya": 1, "other": 2}

Printer = Callable[["AlertMessage"], None]


@dataclass(frozen=True)
class AlertMessage:
    title: str
    body: str  # plain text, readable on a phone
    markdown: str | None = None  # for channels that render Markdown or HTML (email, Slack…)


def print_message(message: AlertMessage) -> None:
    print(f"{message.title}\n{message.body}\n")


# ---------------------------------------------------------------------------- formatting

VERBS = {
    "meeting": "met",
    "visit": "visited",
    "call": "spoke by phone with",
    "agreement": "signed an agreement with",
    "military": "held military talks with",
    "other": "was in contact with",
}
PLANNED_VERBS = {
    "meeting": "is to meet",
    "visit": "is to visit",
    "call": "is to speak by phone with",
    "agreement": "is to sign an agreement with",
    "military": "is to hold military talks with",
    "other": "is to be in contact with",
}


def _join_names(names: list[str]) -> str:
    """ "A", "A and B", or "A and 2 others": a title must stay one line on a phone."""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} and {len(names) - 1} others"


def _ordered(participants: list[dict] | None) -> list[dict]:
    # Türkiye's side first, then Libya's, then third parties: the order of the title.
    return sorted(participants or [], key=lambda p: SIDE_ORDER.get(p["side"], 3))


def _when(event: dict) -> str:
    return event["event_date"].strftime("%-d %b %Y") if event["event_date"] else "date unknown"


def event_headline(event: dict) -> str:
    """The event in one line: "Türkiye–Libya meeting: A met B in Benghazi, 25 Aug 2025"."""
    participants = _ordered(event["participants"])
    turkish = [p["name"] for p in participants if p["side"] == "turkiye"] or ["Türkiye"]
    libyan = [p["name"] for p in participants if p["side"] == "libya"] or ["Libya"]
    verbs = PLANNED_VERBS if event["status"] == "planned" else VERBS
    verb = "denied meeting" if event["status"] == "denied" else verbs[event["type"]]
    where = f" in {event['location']}" if event["location"] else ""
    return (
        f"Türkiye–Libya {event['type']}: {_join_names(turkish)} {verb} "
        f"{_join_names(libyan)}{where}, {_when(event)}"
    )


def _participant_line(p: dict) -> str:
    side = SIDE_LABELS.get(p["side"] or "", "unknown side")
    return f"{p['name']} ({side})" + (f", {p['role']}" if p.get("role") else "")


def format_event(event: dict, *, update: bool = False) -> AlertMessage:
    """Title in one line; body with who, what, where, when, evidence and every source."""
    participants = _ordered(event["participants"])
    urls = event.get("urls") or []
    date_note = " (publication date)" if event.get("date_source") == "published" else ""
    facts = [
        ("Type", f"{event['type']} ({event['status']})"),
        ("Date", _when(event) + date_note),
        ("Place", event["location"] or "—"),
        ("Confidence", f"{event['confidence']:.2f}"),
    ]
    title = ("Update — " if update else "") + event_headline(event)
    intro = ["A new report changed this event."] if update else []
    text = [
        *intro,
        *(f"{name}: {value}" for name, value in facts[:3]),
        "Participants:",
        *(f"  • {_participant_line(p)}" for p in participants),
        f"{facts[3][0]}: {facts[3][1]}",
    ]
    markdown = [
        *intro,
        *(f"**{name}:** {value}  " for name, value in facts),
        "",
        "**Participants:**",
        "",
        *(f"- {_participant_line(p)}" for p in participants),
    ]
    if event.get("evidence"):
        text += ["", f"“{event['evidence']}”"]
        markdown += ["", f"> {event['evidence']}"]
    if urls:
        text += ["", f"Sources ({len(urls)}):", *(f"  {u}" for u in urls)]
        markdown += ["", f"**Sources ({len(urls)}):**", "", *(f"- <{u}>" for u in urls)]
    query = f"SELECT * FROM v_events WHERE id = {event['id']};"
    text += ["", f"Event #{event['id']} — {query}"]
    markdown += ["", f"Event #{event['id']} — `{query}`"]
    return AlertMessage(title=title, body="\n".join(text), markdown="\n".join(markdown))


def format_digest(events: Sequence[tuple[dict, bool]]) -> AlertMessage:
    """One message for a run's new (and, if wanted, updated) events, newest first."""
    new = sum(1 for _, update in events if not update)
    updated = len(events) - new
    counts = [f"{new} new event{'s' * (new != 1)}"] if new else []
    if updated:
        counts.append(f"{updated} updated")
    title = "Türkiye–Libya watch: " + ", ".join(counts)
    text, markdown = [], []
    for event, update in events:
        headline = ("Update — " if update else "") + event_headline(event)
        urls = event.get("urls") or []
        text += [f"• {headline}", *(f"  {u}" for u in urls[:3]), ""]
        markdown += [f"- **{headline}**", *(f"  <{u}>" for u in urls[:3])]
    return AlertMessage(title=title, body="\n".join(text).strip(), markdown="\n".join(markdown))


# What `ltwatch alerts test` sends: a made-up event in the shape of a v_events row.
SAMPLE_EVENT: dict[str, Any] = {
    "id": 0,
    "type": "meeting",
    "status": "occurred",
    "event_date": dt.date(2025, 8, 25),
    "date_source": "text",
    "location": "Benghazi",
    "confidence": 0.9,
    "participants": [
        {"name": "Ibrahim Kalin", "side": "turkiye", "role": "Director of MIT"},
        {"name": "Khalifa Haftar", "side": "libya", "role": "Commander of the LNA"},
    ],
    "evidence": "This is a test message from libya-turkiye-watch; no such report exists.",
    "urls": ["https://example.org/ltwatch-test"],
}


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
