"""Alerts: one message per new event per channel, sent through Apprise from a Postgres outbox.

Guarantee: each outbox row is claimed (``status = 'sending'``, committed) before the send and
marked ``sent`` after it. A row whose send failed is retried on the next run; a row left in
``sending`` by a crash between the send and the record is marked ``uncertain`` and never
resent blindly, so no alert goes out twice (at most once for that rare case, exactly once
otherwise).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import apprise
import sqlalchemy as sa
from sqlalchemy.engine import Engine

# The channel used when no Apprise URL is configured: alerts are printed to the terminal.
CONSOLE_CHANNEL = "console"
# A row is retried on later runs until it has failed this many times.
MAX_ATTEMPTS = 8

SIDE_LABELS = {"turkiye": "Türkiye", "libya": "Libya", "other": "other"}
SIDE_ORDER = {"turkiye": 0, "libya": 1, "other": 2}


@dataclass(frozen=True)
class Channel:
    key: str  # stable id stored in the outbox; derived from the URL, never the URL itself
    label: str  # the URL with its secrets masked, for messages and listings
    url: str | None  # None for the console channel


def channel_key(url: str) -> str:
    # A hash of the whole URL keeps secrets (tokens, passwords) out of the database while
    # staying stable across Apprise versions, whose own URL rendering may change.
    scheme = url.split("://", 1)[0]
    return f"{scheme}:{hashlib.sha256(url.encode()).hexdigest()[:12]}"


def channels_from_urls(urls: list[str]) -> list[Channel]:
    """The configured channels; the console when none is configured."""
    if not urls:
        return [Channel(CONSOLE_CHANNEL, "terminal", None)]
    channels = []
    for url in urls:
        plugin = apprise.Apprise.instantiate(url)
        if plugin is None:
            raise ValueError(f"not a valid Apprise URL: {url.split('://', 1)[0]}://…")
        channels.append(Channel(channel_key(url), plugin.url(privacy=True).split("?")[0], url))
    return channels


@dataclass(frozen=True)
class AlertMessage:
    title: str
    body: str


def _join_names(names: list[str]) -> str:
    """ "A", "A and B", or "A and 2 others": a title must stay one line on a phone."""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} and {len(names) - 1} others"


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


def format_event(event: dict) -> AlertMessage:
    """Title in one line, body readable on a phone: who, what, where, when, evidence, links."""
    # Türkiye's side first, then Libya's, then third parties: the order of the title.
    participants = sorted(event["participants"] or [], key=lambda p: SIDE_ORDER.get(p["side"], 3))
    turkish = [p["name"] for p in participants if p["side"] == "turkiye"] or ["Türkiye"]
    libyan = [p["name"] for p in participants if p["side"] == "libya"] or ["Libya"]
    verbs = PLANNED_VERBS if event["status"] == "planned" else VERBS
    verb = "denied meeting" if event["status"] == "denied" else verbs[event["type"]]
    when = event["event_date"].strftime("%-d %b %Y") if event["event_date"] else "date unknown"
    where = f" in {event['location']}" if event["location"] else ""
    title = (
        f"Türkiye–Libya {event['type']}: {_join_names(turkish)} {verb} "
        f"{_join_names(libyan)}{where}, {when}"
    )
    lines = [
        f"Type: {event['type']} ({event['status']})",
        f"Date: {when}"
        + (" (publication date)" if event.get("date_source") == "published" else ""),
        f"Place: {event['location'] or '—'}",
        "Participants:",
        *[
            f"  • {p['name']} ({SIDE_LABELS.get(p['side'] or '', 'unknown side')})"
            + (f", {p['role']}" if p.get("role") else "")
            for p in participants
        ],
        f"Confidence: {event['confidence']:.2f}",
    ]
    if event.get("evidence"):
        lines += ["", f"“{event['evidence']}”"]
    urls = event.get("urls") or []
    if urls:
        lines += ["", f"Sources ({len(urls)}):", *[f"  {u}" for u in urls]]
    lines += ["", f"Event #{event['id']} — SELECT * FROM v_events WHERE id = {event['id']};"]
    return AlertMessage(title=title, body="\n".join(lines))


@dataclass
class AlertResult:
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    unconfigured: int = 0
    errors: list[str] = field(default_factory=list)


def _send(
    channel: Channel, message: AlertMessage, printer: Callable[[AlertMessage], None]
) -> str | None:
    """Send one message; None on success, else the error as Apprise reported it."""
    if channel.url is None:
        printer(message)
        return None
    notifier = apprise.Apprise()
    notifier.add(channel.url)
    with apprise.LogCapture(level=apprise.logging.WARNING) as captured:
        ok = notifier.notify(title=message.title, body=message.body)
        detail = captured.getvalue().strip().splitlines()
    if ok:
        return None
    return detail[-1] if detail else f"{channel.label}: delivery failed"


def drain_outbox(
    engine: Engine,
    channels: list[Channel],
    *,
    printer: Callable[[AlertMessage], None] = lambda m: print(f"{m.title}\n{m.body}\n"),
) -> AlertResult:
    """Send every pending or failed outbox row of the configured channels, once."""
    result = AlertResult()
    by_key = {channel.key: channel for channel in channels}
    with engine.begin() as conn:
        # Rows still 'sending' were claimed by a run that died mid-send: the message may
        # have gone out, so they are not resent automatically (see the module docstring).
        result.uncertain = conn.execute(
            sa.text(
                "UPDATE alert_outbox SET status = 'uncertain', "
                "last_error = 'run stopped between send and record; not resent' "
                "WHERE status = 'sending' AND claimed_at < now() - interval '10 minutes'"
            )
        ).rowcount
        rows = conn.execute(
            sa.text(
                """
                SELECT o.id, o.channel, to_jsonb(v) AS event
                FROM alert_outbox o JOIN v_events v ON v.id = o.event_id
                WHERE o.status IN ('pending', 'failed') AND o.attempts < :max_attempts
                ORDER BY o.id
                """
            ),
            {"max_attempts": MAX_ATTEMPTS},
        ).all()
    for row in rows:
        channel = by_key.get(row.channel)
        if channel is None:
            result.unconfigured += 1
            continue
        with engine.begin() as conn:
            claimed = conn.execute(
                sa.text(
                    "UPDATE alert_outbox SET status = 'sending', attempts = attempts + 1, "
                    "claimed_at = now() WHERE id = :id AND status IN ('pending', 'failed')"
                ),
                {"id": row.id},
            ).rowcount
        if not claimed:  # another run took it in the meantime
            continue
        event = dict(row.event)
        if event.get("event_date"):
            event["event_date"] = dt.date.fromisoformat(event["event_date"])
        error = _send(channel, format_event(event), printer)
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE alert_outbox SET status = :status, last_error = :error, "
                    "sent_at = CASE WHEN :status = 'sent' THEN now() END WHERE id = :id"
                ),
                {"id": row.id, "status": "failed" if error else "sent", "error": error},
            )
        if error:
            result.failed += 1
            result.errors.append(f"{channel.label}: {error}")
        else:
            result.sent += 1
    return result


def notify_operators(
    channels: list[Channel],
    message: AlertMessage,
    *,
    printer: Callable[[AlertMessage], None] = lambda m: print(f"{m.title}\n{m.body}\n"),
) -> list[str]:
    """Send a message about the pipeline itself (a failed run, a silent source) to every
    channel, now. Returns the errors; the caller decides how not to repeat itself."""
    errors = []
    for channel in channels:
        error = _send(channel, message, printer)
        if error:
            errors.append(f"{channel.label}: {error}")
    return errors
