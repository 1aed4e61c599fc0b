"""Running the Scrapy crawler from Python, in a process of its own, and reading its reports.

Scrapy runs on Twisted, whose reactor cannot be restarted within a process: a second crawl
in the same process (a scheduler, a test suite, a long-lived CLI) would fail. So every
crawl is ``python -m scrapy crawl feeds`` in a child process, which also isolates the
reactor from the caller's own event loop. The child writes one ``crawl_reports`` row per
source; this module reads them back for the caller.
"""

from __future__ import annotations

import collections
import logging
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import sqlalchemy as sa
from pydantic import BaseModel, Field

from pipeline import db
from pipeline.settings import PROJECT_ROOT
from pipeline.sources import load_sources, select_sources

log = logging.getLogger(__name__)
scrapy_log = logging.getLogger("pipeline.crawl.scrapy")

LOG_TAIL_LINES = 40
# Seconds between asking Scrapy to stop at the time-out (SIGTERM: it stops scheduling,
# waits for downloads in flight, closes the spider and writes its reports) and killing it.
TERMINATE_GRACE = 15.0


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
    """The crawl as a whole did not run (crawler exited non-zero or timed out).

    ``log_tail`` holds the last lines of the crawler's log, which name the cause.
    """

    def __init__(self, message: str, log_tail: str) -> None:
        super().__init__(f"{message}\n--- last lines of the crawler log ---\n{log_tail}")
        self.log_tail = log_tail


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


def _read_reports(database_url: str, run_id: str) -> dict[str, CrawlReport]:
    query = sa.text(
        "SELECT source, status, feed_url, items_listed, pages_fetched, pages_new, "
        "pages_skipped, message, errors, requests, not_modified "
        "FROM crawl_reports WHERE run_id = :run_id ORDER BY id"
    )
    with db.get_engine(database_url).connect() as conn:
        rows = conn.execute(query, {"run_id": run_id}).mappings().all()
    return {row["source"]: CrawlReport.model_validate(dict(row)) for row in rows}


def _fail_unfinished(database_url: str, run_id: str, message: str) -> None:
    """Mark this run's reports still 'running' as failed (the crawler died before writing).

    Best effort: when the database itself is why the crawl failed, the CrawlError about to
    be raised matters more than this update.
    """
    try:
        with db.get_engine(database_url).begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE crawl_reports SET status = 'failed', finished_at = now(), "
                    "message = :message WHERE run_id = :run_id AND status = 'running'"
                ),
                {"run_id": run_id, "message": message},
            )
    except sa.exc.SQLAlchemyError as exc:
        log.warning("could not mark unfinished crawl reports of %s as failed: %s", run_id, exc)


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
    :class:`CrawlError` when the crawler exits non-zero or exceeds ``timeout`` seconds.

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
    log_tail = "\n".join(tail)
    if code is None:
        message = f"crawl {run_id} timed out after {timeout:g} s"
        _fail_unfinished(database_url, run_id, message)
        raise CrawlError(message, log_tail)
    if code != 0:
        message = f"crawler exited with status {code}"
        _fail_unfinished(database_url, run_id, f"crawl {run_id} failed: {message}")
        raise CrawlError(message, log_tail)

    stored = _read_reports(database_url, run_id)
    reports = []
    for source in expected:
        report = stored.get(source.name)
        if report is None:
            report = CrawlReport(
                source=source.name,
                status="failed",
                feed_url=source.url,
                message="no crawl report: the crawler never started this source",
            )
        elif report.status == "running":
            report = report.model_copy(
                update={"status": "failed", "message": "crawler ended without finishing it"}
            )
        reports.append(report)
    return reports
