"""Crawls disturbed half-way: the database restarted or gone, the crawler or the whole run
killed. Each time, the next run ends with the same pages as an undisturbed run (and, after
a killed run, the same events), and what happened is named in the disturbed run's reports
and output.

Deterministic, not timed: one article of the fault server is *held* (it answers only when
the test lets it go), so the test knows the crawl is mid-way, disturbs it, then lets go.
The database is a PostgreSQL of this module's own (tests.own_postgres), so that it can be
restarted and stopped under the crawler without touching the suite's shared one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
import yaml

from pipeline import db, runlocks
from pipeline.clean import clean_page
from pipeline.crawl import CrawlError, crawl
from pipeline.extract import analyse_page
from pipeline.process import process_pending
from tests.faultserver import FaultServer, wait_until
from tests.own_postgres import OwnPostgres

pytestmark = pytest.mark.slow

FAST = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "RETRY_TIMES": 1,
    "LTWATCH_RETRY_BACKOFF_BASE": 0.05,
    "LTWATCH_STORE_FLUSH_SECONDS": 0.2,
}
PAGES = [f"/news/{i}.html" for i in range(10)]
HELD = "/news/5.html"
TABLES = "crawl_reports, pages, feed_state, source_health, articles, events"


def page_html(path: str) -> str:
    """A page that reports one contact of its own (its day told by its number)."""
    day = int(path.rsplit("/", 1)[1].split(".")[0]) + 1
    return (
        f"<html><body><h1>Talks in Tripoli, number {day}</h1><p>Turkish Foreign Minister "
        f"Hakan Fidan met Libyan Prime Minister Abdulhamid Dbeibah in Tripoli on {day} "
        "September 2025 to discuss the coastal highway and power lines.</p></body></html>"
    )


def contacts_stored(pg: OwnPostgres) -> set[tuple[str, str]]:
    """(type, day) of every event that the process stage made of the stored pages."""
    engine = db.get_engine(pg.url)
    process_pending(engine, channels=[])
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT type, CAST(event_date AS text) FROM events"))
        return {(kind, str(day)) for kind, day in rows}


def contacts_undisturbed(server: FaultServer) -> set[tuple[str, str]]:
    """What a run nobody disturbed makes of the same pages: each page read on its own."""
    found = set()
    for path in PAGES:
        article = clean_page(page_html(path), server.url(path))
        analysis = analyse_page(article.text, title=article.title, published=None)
        found |= {(e.type, str(e.date)) for e in analysis.events}
    return found


@pytest.fixture(scope="module")
def pg() -> Iterator[OwnPostgres]:
    server = OwnPostgres()
    try:
        db.upgrade(server.url)
        yield server
    finally:
        db.get_engine(server.url).dispose()
        server.close()


@pytest.fixture
def site(pg: OwnPostgres, tmp_path: Path) -> Iterator[tuple[FaultServer, Path]]:
    with db.get_engine(pg.url).begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    server = FaultServer()
    items = "".join(
        f"<item><title>{path}</title><link>{server.base}{path}</link></item>" for path in PAGES
    )
    server.add(
        "/news/rss.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>n</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )
    for path in PAGES:
        server.add(path, page_html(path), fault="hold" if path == HELD else None)
    sources = tmp_path / "sources.yaml"
    entry = {"name": "news", "kind": "rss", "url": server.url("/news/rss.xml")}
    sources.write_text(yaml.safe_dump({"sources": [entry]}))
    yield server, sources
    server.close()


def stored(pg: OwnPostgres) -> set[str]:
    with db.get_engine(pg.url).connect() as conn:
        return set(conn.execute(sa.text("SELECT url FROM pages")).scalars())


def reports(pg: OwnPostgres, run_id: str | None = None) -> list[sa.RowMapping]:
    with db.get_engine(pg.url).connect() as conn:
        query = "SELECT * FROM crawl_reports WHERE CAST(:run AS text) IS NULL OR run_id = :run"
        return list(conn.execute(sa.text(query), {"run": run_id}).mappings())


def all_pages(server: FaultServer) -> set[str]:
    return {server.url(path) for path in PAGES}


def children_of(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux: /proc/<pid>/task/<thread>/children)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that just ended
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def run_is_dead(pg: OwnPostgres, kind: int, run: str) -> bool:
    with psycopg.connect(db.libpq_url(pg.url), autocommit=True) as conn:
        return runlocks.is_dead(conn, kind, run)


def test_a_database_restart_mid_crawl_loses_nothing(
    pg: OwnPostgres, site: tuple[FaultServer, Path], tmp_path: Path
) -> None:
    server, sources = site
    log = tmp_path / "crawl.log"
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(
            crawl, sources, pg.url, run_id="restart-1", scrapy_settings=FAST, log_file=log
        )
        assert server.wait_held(HELD)
        pg.restart()  # every session of the crawler (and of this test) is terminated
        server.let_go(HELD)
        [report] = running.result(timeout=120)
    assert stored(pg) == all_pages(server)
    assert (report.status, report.pages_new) == ("ok", len(PAGES))
    text = log.read_text()
    assert "database connection lost (" in text and "; reconnecting" in text
    assert "database connection re-established after" in text
    assert all(row["status"] == "ok" for row in reports(pg))


def test_pages_the_database_could_not_take_are_named_and_fetched_next_run(
    pg: OwnPostgres, site: tuple[FaultServer, Path], tmp_path: Path
) -> None:
    server, sources = site
    log = tmp_path / "crawl.log"
    impatient = {**FAST, "LTWATCH_DB_RETRY_SECONDS": 1}
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(
            crawl, sources, pg.url, run_id="down-1", scrapy_settings=impatient, log_file=log
        )
        assert server.wait_held(HELD)
        assert wait_until(lambda: len(stored(pg)) == len(PAGES) - 1, timeout=60)
        pg.stop()
        try:
            server.let_go(HELD)
            with pytest.raises(CrawlError) as error:
                running.result(timeout=120)
        finally:
            pg.start()
    # Named, counted, and not a success.
    reason = error.value.reason
    assert reason.startswith("crawl down-1 failed: database connection lost: "), reason
    assert reason.endswith("(1 pages not stored, crawl reports not written)"), reason
    # Nobody could write the report then; the next crawl closes it, and fetches only the
    # page that was lost.
    [left] = reports(pg, "down-1")
    assert left["status"] == "running"
    server.reset_hits()
    [report] = crawl(sources, pg.url, run_id="down-2", scrapy_settings=FAST)
    assert (report.status, report.pages_new) == ("ok", 1)
    assert server.paths("/news/") == ["/news/rss.xml", HELD]
    assert stored(pg) == all_pages(server)
    [closed] = reports(pg, "down-1")
    assert closed["status"] == "failed" and closed["finished_at"]
    assert closed["message"].startswith("crawl down-1 ended without finishing this source")


def test_a_crawler_killed_mid_crawl_is_reported_by_the_run_that_started_it(
    pg: OwnPostgres, site: tuple[FaultServer, Path]
) -> None:
    server, sources = site
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(crawl, sources, pg.url, run_id="killed-1", scrapy_settings=FAST)
        try:
            assert server.wait_held(HELD)
            [crawler] = children_of(os.getpid())
            os.kill(crawler, signal.SIGKILL)
            with pytest.raises(CrawlError) as error:
                running.result(timeout=120)
        finally:
            server.let_go(HELD)
    assert error.value.reason == "crawl killed-1 failed: crawler killed by signal SIGKILL"
    [report] = reports(pg, "killed-1")
    assert report["status"] == "failed" and report["message"] == error.value.reason
    # (What the next run fetches then is what the two tests around this one show.)


def test_a_whole_run_killed_mid_crawl_is_closed_by_the_next_one(
    pg: OwnPostgres, site: tuple[FaultServer, Path]
) -> None:
    server, sources = site
    run = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources)],
        env={**os.environ, "LTWATCH_DATABASE_URL": pg.url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the run and its crawler
    )
    try:
        assert server.wait_held(HELD)
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    server.let_go(HELD)
    [left] = reports(pg)
    assert left["status"] == "running"
    # PostgreSQL ends the killed processes' sessions as it notices them gone.
    assert wait_until(lambda: run_is_dead(pg, runlocks.CRAWL_RUN, left["run_id"]), 30)
    [report] = crawl(sources, pg.url, run_id="after-kill", scrapy_settings=FAST)
    assert report.status == "ok"
    assert stored(pg) == all_pages(server)
    [closed] = reports(pg, left["run_id"])
    assert closed["status"] == "failed"
    assert "ended without finishing this source" in closed["message"]
    # And the events are those of an undisturbed run: one contact per page, none twice.
    expected = contacts_undisturbed(server)
    assert len(expected) == len(PAGES)
    assert contacts_stored(pg) == expected
