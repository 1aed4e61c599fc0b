"""Source health: last success, runs in a row failed or empty, and operator alerts about it.

After each crawl, :func:`update_health` folds the run's reports into ``source_health``. A
source that has failed, or listed nothing, ``threshold`` runs in a row becomes unhealthy:
one alert, once (``alerted_at`` is set in the same transaction that decides it, under a row
lock, so parallel per-source crawl tasks cannot both decide to send). When such a source
next has a good run, one recovery notice. :func:`send_health_changes` sends them through the
operators' alert channels (:func:`pipeline.alerts.notify_operators`).

The crawler's circuit breaker (``crawlers.crawl_state``) pauses a source whose every
article is refused run after run; :func:`update_health` also collects those pauses and
resumptions from ``source_crawl_state`` and tells the operators of each once. A report of a
source that was not polled this run (its interval not yet over, or paused: ``ok`` with no
request sent) is neither a good nor a bad run.

Delivery is at most once: the decision is committed before the send, and a send that fails
is logged, not retried, because the next unhealthy state will alert again after recovery
anyway and a stuck retry loop would spam the channels that do work.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from crawlers.crawl_state import NOT_POLLED, SourceState, decide
from pipeline.alerts import AlertMessage, notify_operators
from pipeline.crawl import CrawlReport

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 3


@dataclass(frozen=True)
class HealthChange:
    source: str
    kind: Literal["unhealthy", "recovered", "paused", "resumed"]
    message: AlertMessage


def _not_polled(report: CrawlReport) -> bool:
    # The crawler writes "ok", no request sent, "not polled this run: …" for a source it
    # left alone (minimum interval, feed ttl, circuit breaker): nothing was learned.
    return (
        report.status == "ok"
        and report.requests == 0
        and (report.message or "").startswith(NOT_POLLED)
    )


def _is_empty(report: CrawlReport) -> bool:
    # A 304 is an answer ("nothing new"), not silence; a feed that lists no item is silence.
    return report.status != "failed" and not report.not_modified and report.items_listed == 0


def _unhealthy_message(source: str, row: dict, report: CrawlReport, threshold: int) -> AlertMessage:
    if report.status == "failed":
        why = f"failed {row['consecutive_failures']} crawls in a row"
    else:
        why = f"listed nothing {row['consecutive_empty']} crawls in a row"
    last = row["last_success_at"]
    since = f"Last success: {last:%d %b %Y %H:%M} UTC" if last else "Last success: never"
    body = "\n".join(
        [
            f"Source: {source}",
            f"Feed: {report.feed_url or '—'}",
            f"Last status: {report.status}",
            f"Last message: {report.message or '—'}",
            since,
            f"(alert after {threshold} bad runs in a row; a recovery notice follows once it "
            "works again)",
        ]
    )
    return AlertMessage(title=f"ltwatch: source {source} {why}", body=body)


def _recovered_message(source: str, report: CrawlReport, alerted_at: dt.datetime) -> AlertMessage:
    body = "\n".join(
        [
            f"Source: {source}",
            f"Alerted at: {alerted_at:%d %b %Y %H:%M} UTC",
            f"Now: {report.status}: {report.message or '—'}",
        ]
    )
    return AlertMessage(title=f"ltwatch: source {source} is working again", body=body)


def update_health(
    engine: Engine,
    reports: Iterable[CrawlReport],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    now: dt.datetime | None = None,
) -> list[HealthChange]:
    """Record ``reports`` (one crawl run) in ``source_health``; the alerts now due.

    Each returned change is already recorded as sent (``alerted_at`` / ``recovered_at``):
    the caller sends it, once. Reports still ``running`` are ignored.
    """
    now = now or dt.datetime.now(dt.UTC)
    changes: list[HealthChange] = []
    for report in reports:
        if report.status == "running" or _not_polled(report):
            continue
        failed = report.status == "failed"
        empty = _is_empty(report)
        good = not failed and not empty
        with engine.begin() as conn:
            # One transaction per source, the row locked: concurrent crawl tasks for other
            # sources never wait on it, two runs of the same source are serialised.
            conn.execute(
                sa.text(
                    "INSERT INTO source_health (source) VALUES (:source) "
                    "ON CONFLICT (source) DO NOTHING"
                ),
                {"source": report.source},
            )
            row = (
                conn.execute(
                    sa.text("SELECT * FROM source_health WHERE source = :source FOR UPDATE"),
                    {"source": report.source},
                )
                .mappings()
                .one()
            )
            updated = {
                "source": report.source,
                "now": now,
                "status": report.status,
                "items": report.items_listed,
                "message": report.message,
                "failures": row["consecutive_failures"] + 1 if failed else 0,
                "empty": row["consecutive_empty"] + 1 if empty else 0,
                "success": now if good else row["last_success_at"],
                "alerted_at": row["alerted_at"],
                "recovered_at": row["recovered_at"],
            }
            state = {**dict(row), "consecutive_failures": updated["failures"]}
            state["consecutive_empty"] = updated["empty"]
            bad_runs = max(updated["failures"], updated["empty"])
            if bad_runs >= threshold and row["alerted_at"] is None:
                updated["alerted_at"] = now
                message = _unhealthy_message(report.source, state, report, threshold)
                changes.append(HealthChange(report.source, "unhealthy", message))
            elif good and row["alerted_at"] is not None:
                updated["alerted_at"] = None
                updated["recovered_at"] = now
                message = _recovered_message(report.source, report, row["alerted_at"])
                changes.append(HealthChange(report.source, "recovered", message))
            conn.execute(
                sa.text(
                    """
                    UPDATE source_health SET
                        last_run_at = :now, last_status = :status, last_items = :items,
                        last_message = :message, last_success_at = :success,
                        consecutive_failures = :failures, consecutive_empty = :empty,
                        alerted_at = :alerted_at, recovered_at = :recovered_at
                    WHERE source = :source
                    """
                ),
                updated,
            )
    return changes + breaker_changes(engine, now=now)


def _paused_message(row: dict) -> AlertMessage:
    body = "\n".join(
        [
            f"Source: {row['source']}",
            f"Why: {row['pause_reason'] or 'its articles were refused'}",
            f"Paused at: {row['paused_at']:%d %b %Y %H:%M} UTC",
            f"Next try (one article): {row['paused_until']:%d %b %Y %H:%M} UTC"
            if row["paused_until"]
            else "Next try: —",
            "Refused article URLs are not requested again; each failed try doubles the wait.",
            "If the outlet refuses crawlers for good, mark it `blocked` in the sources file.",
        ]
    )
    title = f"ltwatch: source {row['source']} paused (articles refused)"
    return AlertMessage(title=title, body=body)


def breaker_changes(engine: Engine, *, now: dt.datetime | None = None) -> list[HealthChange]:
    """Pauses and resumptions of the crawler's circuit breaker not yet told, marked told.

    Each row is claimed under a row lock and marked in the same transaction, so two
    concurrent callers never both tell the same pause.
    """
    now = now or dt.datetime.now(dt.UTC)
    changes: list[HealthChange] = []
    with engine.begin() as conn:
        paused = (
            conn.execute(
                sa.text(
                    "SELECT * FROM source_crawl_state WHERE paused_at IS NOT NULL "
                    "AND pause_notified_at IS NULL ORDER BY source FOR UPDATE SKIP LOCKED"
                )
            )
            .mappings()
            .all()
        )
        for row in paused:
            changes.append(HealthChange(row["source"], "paused", _paused_message(dict(row))))
        resumed = (
            conn.execute(
                sa.text(
                    "SELECT * FROM source_crawl_state WHERE resumed_at IS NOT NULL "
                    "AND resume_notified_at IS NULL ORDER BY source FOR UPDATE SKIP LOCKED"
                )
            )
            .mappings()
            .all()
        )
        for row in resumed:
            message = AlertMessage(
                title=f"ltwatch: source {row['source']} is no longer paused",
                body=f"Source: {row['source']}\nAn article came through at "
                f"{row['resumed_at']:%d %b %Y %H:%M} UTC; crawled on every run again.",
            )
            changes.append(HealthChange(row["source"], "resumed", message))
        conn.execute(
            sa.text(
                "UPDATE source_crawl_state SET pause_notified_at = :now WHERE source = ANY(:paused)"
            ),
            {"now": now, "paused": [row["source"] for row in paused]},
        )
        conn.execute(
            sa.text(
                "UPDATE source_crawl_state SET resume_notified_at = :now "
                "WHERE source = ANY(:resumed)"
            ),
            {"now": now, "resumed": [row["source"] for row in resumed]},
        )
    return changes


def send_health_changes(
    channels: Any,  # pipeline.alert_channels.Channel list (the caller's configuration)
    changes: Iterable[HealthChange],
    *,
    printer: Callable[[AlertMessage], None] | None = None,
) -> list[str]:
    """Send each change to every operator channel; returns the send errors (logged too)."""
    errors: list[str] = []
    for change in changes:
        kwargs = {"printer": printer} if printer else {}
        failed = notify_operators(channels, change.message, **kwargs)
        for error in failed:
            log.warning("health alert for %s not sent: %s", change.source, error)
        errors += failed
    return errors


def read_health(engine: Engine) -> list[dict]:
    """Every source's health row, for listings (``ltwatch sources list``)."""
    with engine.connect() as conn:
        return [
            dict(row)
            for row in conn.execute(sa.text("SELECT * FROM source_health ORDER BY source"))
            .mappings()
            .all()
        ]


def sources_due(
    engine: Engine, names: Iterable[str], *, now: dt.datetime | None = None
) -> list[str]:
    """Those of ``names`` the crawler would poll now (interval over, not paused or a retry
    due), in the given order: a scheduler can leave the others out and not start a
    crawler for nothing. The crawler decides again itself, so a stale answer costs a
    skipped report, never a poll too early."""
    now = now or dt.datetime.now(dt.UTC)
    wanted = list(names)
    with engine.connect() as conn:
        rows = (
            conn.execute(
                sa.text(
                    "SELECT source, last_polled_at, next_poll_at, paused_at, paused_until "
                    "FROM source_crawl_state WHERE source = ANY(:names)"
                ),
                {"names": wanted},
            )
            .mappings()
            .all()
        )
    states = {row["source"]: SourceState(**row) for row in rows}
    return [n for n in wanted if decide(states.get(n, SourceState(n)), now)[0] != "skip"]
