"""What the four libya-turkiye-watch DAGs share: assets, schedules, default arguments, the
failure callback and the way a task reports its summary.

Not a DAG file (``.airflowignore`` lists it): the DAG files import it as a sibling module,
which works because Airflow puts the DAG bundle's folder on ``sys.path``. Like the DAG
files, it imports only the standard library and ``airflow.sdk`` at module level: the DAG
processor parses every file on a timer, so the pipeline (SQLAlchemy, Scrapy, spaCy,
Apprise) and the database are only touched inside task functions and callbacks, on the
worker.
"""

from __future__ import annotations

import logging
import os
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import Asset

# A stable logger name: Airflow imports DAG files under generated module names.
log = logging.getLogger("ltwatch.dag")

# --- assets: the edges between the DAGs -----------------------------------------------------
# The URIs name the tables the DAGs write; the host is a logical name, not a connection (the
# tasks connect through LTWATCH_DATABASE_URL). An explicit port keeps the URI unchanged by
# the postgres provider's normaliser, which the compose image has and the dev venv has not.
PAGES = Asset(name="ltwatch_pages", uri="postgres://ltwatch:5432/ltwatch/public/pages")
EVENTS = Asset(name="ltwatch_events", uri="postgres://ltwatch:5432/ltwatch/public/events")

# The pool that bounds concurrent crawls (created by `ltwatch airflow` and compose's init).
CRAWL_POOL = "ltwatch_crawl"
CRAWL_POOL_SLOTS = 4
CRAWL_POOL_DESCRIPTION = "libya-turkiye-watch: concurrent per-source crawls"

# Fixed and in the past: with catchup=False only the latest interval runs after a pause.
START_DATE = datetime(2026, 1, 1, tzinfo=UTC)
TAGS = ["libya-turkiye-watch"]

# --- schedules from the environment (never from the database at parse time) ----------------

# Every 5 minutes: a new item waits 2.5 minutes on average before it is fetched, so that
# publication → alert stays well under 10 minutes at the median (EMM NewsBrief cycles every
# 10, GDELT every 15). Cheap on the outlets: feeds are fetched with conditional requests,
# and the crawler keeps each source's own minimum interval and its feed's <ttl>.
DEFAULT_CRAWL_SCHEDULE = "*/5 * * * *"
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "": "minutes"}


def duration_from_env(value: str | None) -> timedelta | None:
    """``"30m"``, ``"2h"``, ``"90s"``, ``"1d"``, ``"45"`` (minutes) → a timedelta; else None."""
    if value is None or not (match := _DURATION.match(value)):
        return None
    amount, unit = match.groups()
    return timedelta(**{_UNITS[unit]: int(amount)})


def schedule_from_env(value: str | None, default: str = DEFAULT_CRAWL_SCHEDULE) -> Any:
    """``LTWATCH_SCHEDULE``: a cron expression or preset, a duration, or ``none``.

    ``"*/5 * * * *"`` or ``"@hourly"`` → cron; ``"30m"``, ``"2h"``, ``"45"`` (minutes) →
    a fixed interval; ``"none"`` → manual runs only (useful on a laptop). An environment
    variable, not an Airflow Variable: reading a Variable at parse time is a database query
    on every parse.
    """
    if value is None or not value.strip():
        return default
    if value.strip().lower() in {"none", "manual", "off"}:
        return None
    if (interval := duration_from_env(value)) is not None:
        return interval
    return value.strip()


def retry_delay(default: timedelta) -> timedelta:
    """``LTWATCH_RETRY_DELAY`` (a duration) overrides every task's retry delay.

    For development and the fault tests, where waiting minutes for a retry is pointless.
    """
    return duration_from_env(os.environ.get("LTWATCH_RETRY_DELAY")) or default


# --- failure callback -----------------------------------------------------------------------


def _task_label(ti: Any) -> str:
    map_index = getattr(ti, "map_index", -1)
    suffix = f"[{map_index}]" if map_index is not None and map_index >= 0 else ""
    return f"{ti.dag_id}.{ti.task_id}{suffix}"


def notify_failure(context: Any) -> None:
    """Tell the operators, once, that a task failed for good.

    Set as the tasks' ``on_failure_callback``: Airflow calls it only when a try fails and no
    retry is left (a failed try that will be retried calls ``on_retry_callback``, which we
    don't set), so a task that recovers on retry sends nothing and one that doesn't sends one
    message. A task killed with its worker is failed by the scheduler, which has the DAG
    processor run this same callback. Never raises: a broken channel must not mask the
    task's own error in its log.
    """
    ti = context.get("ti") or context.get("task_instance")
    try:
        from pipeline.alerts import AlertMessage, notify_operators
        from pipeline.runner import channels

        label = _task_label(ti) if ti is not None else "an ltwatch task"
        error = context.get("exception")
        lines = [
            f"Task: {label}",
            f"Run: {getattr(ti, 'run_id', '?')}",
            f"Try: {getattr(ti, 'try_number', '?')}",
            f"Error: {type(error).__name__ + ': ' + str(error) if error else 'see the task log'}",
        ]
        if (url := getattr(ti, "log_url", None)) is not None:
            lines.append(f"Log: {url}")
        message = AlertMessage(title=f"ltwatch: task {label} failed", body="\n".join(lines))
        for problem in notify_operators(channels(settings()), message):
            log.warning("failure alert not sent: %s", problem)
    except Exception:
        log.exception("could not send the failure alert")


DEFAULT_ARGS: dict[str, Any] = {
    "owner": "ltwatch",
    "on_failure_callback": notify_failure,
}


# --- summaries ------------------------------------------------------------------------------


def reported(summary: Any) -> dict[str, Any]:
    """Log a stage's one-line summary (and each error) and return it for XCom.

    The line is what an operator reads in the task log; the returned dict is the task's
    ``return_value`` XCom, shown in the UI's XCom tab and read back through the REST API.
    """
    log.info("%s", summary.line())
    for error in summary.errors:
        log.warning("%s: %s", summary.stage, error)
    data: dict[str, Any] = summary.as_dict()
    data["summary"] = summary.line()
    return data


# Airflow-side configuration, read at run time only (each is a database/API call).
DATABASE_CONN_ID = "ltwatch_db"
ALERT_URLS_VARIABLE = "ltwatch_alert_urls"
SOURCES_VARIABLE = "ltwatch_sources"


def _airflow_overrides() -> dict[str, Any]:
    """Settings from an Airflow connection/variables, for what the environment leaves unset.

    ``LTWATCH_*`` variables win (they are what the tests, the CLI and compose's .env set);
    otherwise the connection ``ltwatch_db`` gives the database and the variables
    ``ltwatch_alert_urls`` / ``ltwatch_sources`` the alert channels and the sources file,
    so that secrets can live in Airflow's (Fernet-encrypted) store or a secrets backend.
    """
    from airflow.sdk import Connection, Variable

    overrides: dict[str, Any] = {}
    if not os.environ.get("LTWATCH_DATABASE_URL"):
        try:
            uri = Connection.get(DATABASE_CONN_ID).get_uri()
        except Exception:
            uri = None
        if uri:
            # Airflow renders conn_type "postgres" as postgres://; SQLAlchemy wants postgresql.
            overrides["database_url"] = re.sub(r"^postgres(ql)?://", "postgresql://", uri)
    for env, key, field in (
        ("LTWATCH_ALERT_URLS", ALERT_URLS_VARIABLE, "alert_urls"),
        ("LTWATCH_SOURCES", SOURCES_VARIABLE, "sources"),
    ):
        if not os.environ.get(env):
            try:
                value = Variable.get(key, default=None)
            except Exception:
                value = None
            if value:
                overrides[field] = value
    return overrides


def settings() -> Any:
    """The pipeline's settings for this task, read now.

    A fresh ``Settings()`` rather than the cached ``get_settings()``: read the environment
    of this run, not a copy cached by an earlier task in the same process (dag.test() runs
    tasks in-process).
    """
    from pipeline.settings import Settings

    return Settings(**_airflow_overrides())
