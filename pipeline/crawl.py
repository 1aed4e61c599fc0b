"""Running the Scrapy crawler from Python, in a process of its own, and reading its reports.

Scrapy runs on Twisted, whose reactor cannot be restarted within a process: a second crawl
in the same process (a scheduler, a test suite, a long-lived CLI) would fail. So every
crawl is ``python -m scrapy crawl feeds`` in a child process, which also isolates the
reactor from the caller's own event loop.

Every source of the run gets its ``crawl_reports`` row from *this* process, ``running``,
before the crawler is started; the crawler fills it in as it finishes each source. Whatever
becomes of the crawler — it times out before Scrapy has even started, dies, is killed, or
loses the database — the rows it did not finish are closed here afterwards with a plain
reason, and a crawl whose parent died too is closed by the next crawl (``pipeline.runlocks``
tells it that nobody works on them any more). No report stays ``running`` after its run.
"""

from __future__ import annotations

import collections
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import psycopg
from psycopg.rows import dict_row
from pydantic import BaseModel, Field

from pipeline import db, runlocks
from pipeline.settings import PROJECT_ROOT
from pipeline.sources import Source, load_sources, select_sources

log = logging.getLogger(__name__)
scrapy_log = logging.getLogger("pipeline.crawl.scrapy")

LOG_TAIL_LINES = 40
# Seconds between asking Scrapy to stop at the time-out (SIGTERM: it stops scheduling,
# waits for downloads in flight, closes the spider and writes its reports) and killing it.
TERMINATE_GRACE = 15.0
# The crawler's exit status when pages or reports could not be stored (the database went
# away for longer than it waits); its last log line then starts with FAILURE_PREFIX.
# Kept in step with crawlers.commands.crawl.
EXIT_NOT_STORED = 3
FAILURE_PREFIX = "crawl failed: "
# How long this process keeps trying to close the run's reports when the database is away
# (the same budget the crawler has, LTWATCH_DB_RETRY_SECONDS).
DEFAULT_DB_PATIENCE = 30.0


class CrawlReport(BaseModel):
    """One source's outcome in one crawl (a ``crawl_reports`` row)."""

    source: str
    status: Literal["running", "ok", "partial", "failed"]
    feed_url: str | None = None
    items_listed: int = 0
    pages_fetched: int = 0
    pages_new: int = 0
    pages_skipped: int = 0
    message: str | None = None
    errors: list[dict[str, str]] = Field(default_factory=list)
    requests: int = 0  # HTTP requests the source cost (retries included, robots.txt not)
    not_modified: bool = False  # every feed/sitemap/listing answered 304


class CrawlError(RuntimeError):
    """The crawl as a whole did not complete (crawler exited non-zero, was killed, timed
    out, or could not store what it fetched), or could not start (database unreachable).

    ``reason`` is the plain one-line cause, also the first line of the message;
    ``log_tail`` holds the last lines of the crawler's log.
    """

    def __init__(self, message: str, log_tail: str = "") -> None:
        text = message
        if log_tail:
            text += f"\n--- last lines of the crawler log ---\n{log_tail}"
        super().__init__(text)
        self.reason = message
        self.log_tail = log_tail
        self.reports: list[CrawlReport] = []  # the run's reports, closed, when readable


def _scrapy_command(
    sources_path: Path,
    run_id: str,
    only: Sequence[str] | None,
    timeout: float,
    scrapy_settings: Mapping[str, object] | None,
) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "feeds"]
    command += ["-a", f"sources={sources_path}", "-a", f"run_id={run_id}"]
    if only:
        command += ["-a", f"only={','.join(only)}"]
    # Let Scrapy stop itself before the hard time-out, so that it still closes the spider
    # cleanly and writes every source's report (as partial/failed) itself. Closing waits for
    # downloads in flight (up to DOWNLOAD_TIMEOUT, 30 s), hence the margin.
    soft_timeout = max(timeout * 0.8, timeout - 60)
    settings: dict[str, object] = {"CLOSESPIDER_TIMEOUT": round(soft_timeout, 1)}
    settings.update(scrapy_settings or {})
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def _run_scrapy(
    command: list[str], env: dict[str, str], timeout: float, log_file: Path | None
) -> tuple[int | None, list[str]]:
    """Run ``command``; returns (exit code or None on time-out, last log lines)."""
    tail: collections.deque[str] = collections.deque(maxlen=LOG_TAIL_LINES)
    log.info("starting crawler: %s", " ".join(command))
    sink = log_file.open("a", encoding="utf-8") if log_file else None
    try:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,  # where scrapy.cfg is
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )

        def pump() -> None:
            # Streams the child's log as it runs: to our logger, to log_file if given, and
            # into the tail kept for a CrawlError.
            assert process.stdout is not None
            for line in process.stdout:
                line = line.rstrip("\n")
                tail.append(line)
                scrapy_log.debug("%s", line)
                if sink:
                    sink.write(line + "\n")
                    sink.flush()

        reader = threading.Thread(target=pump, name="scrapy-log", daemon=True)
        reader.start()
        try:
            code: int | None = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = None
            process.terminate()
            try:
                process.wait(timeout=TERMINATE_GRACE)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join(timeout=5)
        return code, list(tail)
    finally:
        if sink:
            sink.close()


def _connect(database_url: str, *, timeout: int = 10) -> psycopg.Connection:
    return psycopg.connect(db.libpq_url(database_url), autocommit=True, connect_timeout=timeout)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def _close_dead_runs(conn: psycopg.Connection, run_id: str) -> list[str]:
    """Fail the ``running`` reports of earlier crawls whose processes are all gone."""
    closed = []
    others = conn.execute(
        "SELECT DISTINCT run_id FROM crawl_reports WHERE status = 'running' AND run_id <> %s",
        (run_id,),
    ).fetchall()
    for (other,) in others:
        if not runlocks.is_dead(conn, runlocks.CRAWL_RUN, other):
            continue  # another crawl is at work (e.g. a parallel task of the same DAG run)
        conn.execute(
            "UPDATE crawl_reports SET status = 'failed', finished_at = now(), message = %s "
            "WHERE run_id = %s AND status = 'running'",
            (
                f"crawl {other} ended without finishing this source: its crawler and the "
                "process that started it stopped (killed, or the database went away)",
                other,
            ),
        )
        closed.append(other)
    return closed


def _open_reports(conn: psycopg.Connection, run_id: str, sources: Sequence[Source]) -> None:
    """This run's reports, ``running``, written before the crawler exists (see module doc)."""
    with conn.transaction():
        for source in sources:
            conn.execute(
                """
                INSERT INTO crawl_reports (run_id, source, feed_url, status, message)
                VALUES (%s, %s, %s, 'running', 'waiting for the crawler to start')
                ON CONFLICT (run_id, source) DO UPDATE SET
                    feed_url = EXCLUDED.feed_url, status = 'running', started_at = now(),
                    finished_at = NULL, items_listed = 0, pages_fetched = 0, pages_new = 0,
                    pages_skipped = 0, message = EXCLUDED.message, errors = '[]'::jsonb,
                    requests = 0, not_modified = false
                """,
                (run_id, source.name, source.url),
            )


def _finish_reports(
    database_url: str, run_id: str, message: str, patience: float
) -> dict[str, CrawlReport] | None:
    """Fail this run's reports still ``running`` with ``message``; return all its reports.

    Keeps trying for ``patience`` seconds while the database is away (a restart); None when
    it never came back — the next crawl closes the rows then (``_close_dead_runs``).
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            with _connect(database_url, timeout=5) as conn:
                conn.execute(
                    "UPDATE crawl_reports SET status = 'failed', finished_at = now(), "
                    "message = %s WHERE run_id = %s AND status = 'running'",
                    (message, run_id),
                )
                rows = conn.cursor(row_factory=dict_row).execute(
                    "SELECT source, status, feed_url, items_listed, pages_fetched, pages_new, "
                    "pages_skipped, message, errors, requests, not_modified "
                    "FROM crawl_reports WHERE run_id = %s ORDER BY id",
                    (run_id,),
                )
                return {row["source"]: CrawlReport.model_validate(row) for row in rows}
        except psycopg.OperationalError as exc:
            if time.monotonic() >= deadline:
                log.error(
                    "crawl %s: could not record its outcome, the database is unreachable "
                    "(%s); the next crawl will",
                    run_id,
                    _first_line(exc),
                )
                return None
            time.sleep(1.0)


def _failure_reason(code: int | None, run_id: str, timeout: float, tail: list[str]) -> str | None:
    """The plain reason a crawl did not complete, or None when it did (exit status 0)."""
    if code == 0:
        return None
    if code is None:
        return f"crawl {run_id} timed out after {timeout:g} s"
    stated = [line[len(FAILURE_PREFIX) :] for line in tail if line.startswith(FAILURE_PREFIX)]
    if stated:
        return f"crawl {run_id} failed: {stated[-1]}"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return f"crawl {run_id} failed: crawler killed by signal {name}"
    return f"crawl {run_id} failed: crawler exited with status {code}"


def crawl(
    sources_path: Path,
    database_url: str,
    *,
    only: Sequence[str] | None = None,
    run_id: str | None = None,
    timeout: float = 900,
    user_agent: str | None = None,
    scrapy_settings: Mapping[str, object] | None = None,
    log_file: Path | None = None,
) -> list[CrawlReport]:
    """Crawl the enabled sources of ``sources_path`` (or ``only`` these) into ``database_url``.

    Returns one report per crawled source, in the order of the sources file. A source that
    fails (feed unreachable, HTTP error, malformed) is a ``failed`` report, not an exception.
    Raises :class:`~pipeline.sources.SourcesError` for a bad sources file and
    :class:`CrawlError` when the database is unreachable (nothing started), or the crawler
    exits non-zero, is killed, cannot store what it fetched, or exceeds ``timeout`` seconds
    — after closing every report of the run it did not finish, with that reason.

    ``scrapy_settings`` overrides Scrapy settings (``-s NAME=VALUE``) for this crawl only;
    ``log_file`` receives the crawler's whole log.
    """
    sources_path = Path(sources_path).resolve()
    # Checked here too, so that a broken file is a clear SourcesError, not a crawler log.
    expected = select_sources(load_sources(sources_path), list(only) if only else None)
    run_id = run_id or f"crawl-{uuid.uuid4().hex[:12]}"
    if not expected:
        log.info("no enabled sources in %s; nothing to crawl", sources_path)
        return []

    patience = float(
        (scrapy_settings or {}).get("LTWATCH_DB_RETRY_SECONDS", DEFAULT_DB_PATIENCE)  # type: ignore[arg-type]
    )
    try:
        holder = _connect(database_url)
    except psycopg.OperationalError as exc:
        raise CrawlError(f"database unreachable, crawl not started: {_first_line(exc)}") from exc
    with holder:
        # Alive for as long as this function runs (the crawler holds it too).
        runlocks.hold(holder, runlocks.CRAWL_RUN, run_id)
        for other in _close_dead_runs(holder, run_id):
            log.warning("crawl %s had been left unfinished; its reports are now failed", other)
        _open_reports(holder, run_id, expected)

        env = {
            **os.environ,
            "SCRAPY_SETTINGS_MODULE": "crawlers.settings",
            # Log lines reach the parent as they are written, and none is lost on a kill.
            "PYTHONUNBUFFERED": "1",
            # Always a concrete URL: the crawler never starts an embedded server of its own.
            "LTWATCH_DATABASE_URL": db.sqlalchemy_url(database_url),
        }
        if user_agent:
            env["LTWATCH_USER_AGENT"] = user_agent
        command = _scrapy_command(sources_path, run_id, only, timeout, scrapy_settings)
        code, tail = _run_scrapy(command, env, timeout, log_file)

    reason = _failure_reason(code, run_id, timeout, tail)
    stored = _finish_reports(
        database_url, run_id, reason or "crawler ended without finishing this source", patience
    )
    if reason is not None:
        error = CrawlError(reason, "\n".join(tail))
        error.reports = [stored[s.name] for s in expected if stored and s.name in stored]
        raise error
    if stored is None:
        raise CrawlError(
            f"crawl {run_id}: the crawler finished but its reports cannot be read: "
            "database unreachable",
            "\n".join(tail),
        )
    return [stored[source.name] for source in expected]
