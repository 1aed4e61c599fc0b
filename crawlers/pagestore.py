"""The crawler's statements against PostgreSQL, surviving a lost connection.

:class:`PageStore` is shared by the item pipeline (``crawlers.pipelines``: pages, in
batches) and the spider (stored URLs, feed validators, crawl reports). Every statement
reconnects and retries when the connection is lost — a PostgreSQL restart, a network cut —
for up to ``retry_seconds``, then raises :class:`DatabaseLost`, whose message is the plain
line reports carry ("database connection lost: …").

psycopg is used synchronously from Scrapy's reactor thread: each call is one short
statement (or one pipelined batch) on a local or nearby server. Only the waits between
retries differ: the pipeline's do not block the reactor, the spider's few calls do.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import psycopg
from psycopg.types.json import Jsonb

from crawlers.items import PageItem
from pipeline import runlocks

log = logging.getLogger(__name__)
T = TypeVar("T")


class DatabaseLost(psycopg.OperationalError):
    """The database stayed unreachable for the whole retry budget.

    A psycopg error, so that callers that already handle database errors handle this one;
    its message is the plain line reports carry: "database connection lost: <cause>".
    """


INSERT_PAGE = """
    INSERT INTO pages (source, url, canonical_url, http_status, content_type, etag,
                       last_modified, feed_title, feed_published, crawl_run_id, html)
    VALUES (%(source)s, %(url)s, %(canonical_url)s, %(http_status)s, %(content_type)s,
            %(etag)s, %(last_modified)s, %(feed_title)s, %(feed_published)s,
            %(run_id)s, %(html)s)
    ON CONFLICT (url) DO NOTHING
    RETURNING url
"""


def _page_params(page: PageItem, run_id: str | None) -> dict[str, Any]:
    return {
        "source": page.source,
        "url": page.url,
        "canonical_url": page.canonical_url,
        "http_status": page.http_status,
        "content_type": page.content_type,
        "etag": page.etag,
        "last_modified": page.last_modified,
        "feed_title": page.feed_title,
        "feed_published": page.feed_published,
        "run_id": run_id,
        # PostgreSQL text cannot hold NUL; a page with one is broken, not hostile.
        "html": page.html.replace("\x00", ""),
    }


@dataclass
class _Outage:
    started: float | None = None  # when the first attempt failed
    cause: str = ""  # and why: the first error names the event (a restart, a cut)
    delay: float = 0.1  # before the next attempt; doubled up to 5 s


class PageStore:
    """The crawler's few statements against ``pages``, ``feed_state`` and ``crawl_reports``.

    Every statement survives a lost connection: it reconnects and retries for up to
    ``retry_seconds`` (then raises :class:`DatabaseLost`). ``hold_run``: a crawl run id to
    mark alive (``pipeline.runlocks``) on every connection this store opens.
    """

    def __init__(self, url: str, *, retry_seconds: float = 30.0, hold_run: str | None = None):
        self.url = url
        self.retry_seconds = retry_seconds
        self.hold_run = hold_run
        self.conn = self._connect()

    def _connect(self) -> psycopg.Connection:
        conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
        if self.hold_run:
            runlocks.hold(conn, runlocks.CRAWL_RUN, self.hold_run)
        return conn

    def close(self) -> None:
        self.conn.close()

    def _attempt(self, action: Callable[[psycopg.Connection], T]) -> T:
        if self.conn.closed or self.conn.broken:
            self.conn.close()
            self.conn = self._connect()
        return action(self.conn)

    def _lost(self, exc: Exception, outage: _Outage) -> float:
        """Bookkeeping of one failed attempt: the delay before the next one, or raise."""
        now = time.monotonic()
        if outage.started is None:
            outage.started, outage.cause = now, _first_line(exc)
            log.warning("database connection lost (%s); reconnecting", outage.cause)
        if now - outage.started >= self.retry_seconds:
            raise DatabaseLost(
                f"database connection lost: {outage.cause} "
                f"(not back within {self.retry_seconds:g} s: {_first_line(exc)})"
            ) from exc
        outage.delay = min(outage.delay * 2, 5.0)
        return outage.delay

    def _back(self, outage: _Outage) -> None:
        if outage.started is not None:
            log.warning(
                "database connection re-established after %.1f s", time.monotonic() - outage.started
            )

    def retrying(self, action: Callable[[psycopg.Connection], T]) -> T:
        """``action(conn)``, retried over reconnections (blocking: for the spider's calls)."""
        outage = _Outage()
        while True:
            try:
                result = self._attempt(action)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                if isinstance(exc, DatabaseLost):
                    raise
                time.sleep(self._lost(exc, outage))
            else:
                self._back(outage)
                return result

    async def retrying_async(self, action: Callable[[psycopg.Connection], T]) -> T:
        """The same, waiting without blocking the reactor (for the item pipeline)."""
        outage = _Outage()
        while True:
            try:
                result = self._attempt(action)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                await asyncio.sleep(self._lost(exc, outage))
            else:
                self._back(outage)
                return result

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of ``urls`` already stored, as a page's ``url`` or its ``canonical_url``."""
        wanted = sorted(set(urls))
        if not wanted:
            return set()
        rows = self.retrying(
            lambda conn: conn.execute(
                "SELECT url, canonical_url FROM pages "
                "WHERE url = ANY(%(urls)s) OR canonical_url = ANY(%(urls)s)",
                {"urls": wanted},
            ).fetchall()
        )
        stored = {value for row in rows for value in row if value}
        return stored & set(wanted)

    async def insert_pages(
        self, pages: list[PageItem], run_id: str | None
    ) -> tuple[set[str], dict[str, str]]:
        """Store ``pages`` in one transaction: (URLs newly stored, {URL: error} of pages
        that are bad in themselves). Raises :class:`DatabaseLost` when the database stays
        away. A batch that PostgreSQL refuses for one page's sake is stored page by page.
        """
        params = [_page_params(page, run_id) for page in pages]

        def batch(conn: psycopg.Connection) -> set[str]:
            new = set()
            with conn.transaction(), conn.cursor() as cursor:
                # One pipelined round trip for the whole batch (psycopg's executemany).
                cursor.executemany(INSERT_PAGE, params, returning=True)
                while True:
                    new.update(row[0] for row in cursor.fetchall())
                    if not cursor.nextset():
                        break
            return new

        try:
            return await self.retrying_async(batch), {}
        except DatabaseLost:
            raise
        except psycopg.Error:
            pass  # a page PostgreSQL refuses (not the connection): find it, store the rest
        new, failed = set(), {}
        for one in params:
            try:
                row = await self.retrying_async(
                    lambda conn, one=one: conn.execute(INSERT_PAGE, one).fetchone()
                )
            except DatabaseLost:
                raise
            except psycopg.Error as exc:
                failed[one["url"]] = f"not stored: {_first_line(exc)}"
            else:
                if row is not None:
                    new.add(one["url"])
        return new, failed

    def feed_validators(
        self, sources: Iterable[str]
    ) -> dict[tuple[str, str], tuple[str | None, str | None]]:
        """(source, url) → (ETag, Last-Modified) of the listings last fully processed."""
        rows = self.retrying(
            lambda conn: conn.execute(
                "SELECT source, url, etag, last_modified FROM feed_state "
                "WHERE source = ANY(%s) AND (etag IS NOT NULL OR last_modified IS NOT NULL)",
                (sorted(set(sources)),),
            ).fetchall()
        )
        return {(source, url): (etag, modified) for source, url, etag, modified in rows}

    def save_feed_state(
        self, source: str, states: dict[str, tuple[str | None, str | None, int]]
    ) -> None:
        """Remember each listing URL's validators (a 304 keeps the stored ones)."""
        self.retrying(lambda conn: self._save_feed_state(conn, source, states))

    @staticmethod
    def _save_feed_state(
        conn: psycopg.Connection,
        source: str,
        states: dict[str, tuple[str | None, str | None, int]],
    ) -> None:
        with conn.transaction():
            for url, (etag, modified, status) in states.items():
                conn.execute(
                    """
                    INSERT INTO feed_state (source, url, etag, last_modified, last_status)
                    VALUES (%s, %s, %s, %s, %s)
                    ON CONFLICT (source, url) DO UPDATE SET
                        etag = CASE WHEN EXCLUDED.last_status = 304 THEN feed_state.etag
                                    ELSE EXCLUDED.etag END,
                        last_modified = CASE WHEN EXCLUDED.last_status = 304
                                             THEN feed_state.last_modified
                                             ELSE EXCLUDED.last_modified END,
                        last_status = EXCLUDED.last_status, last_fetched_at = now()
                    """,
                    (source, url, etag, modified, status),
                )

    def forget_feed_state(self, source: str) -> None:
        """Drop a source's validators: its next run fetches every listing in full."""
        self.retrying(
            lambda conn: conn.execute("DELETE FROM feed_state WHERE source = %s", (source,))
        )

    def _execute(self, query: str, params: tuple[Any, ...]) -> None:
        self.retrying(lambda conn: conn.execute(query, params))  # type: ignore[arg-type]

    def start_report(self, run_id: str, source: str, feed_url: str) -> None:
        # Re-using a run id restarts that source's report instead of failing on UNIQUE.
        self._execute(
            """
            INSERT INTO crawl_reports (run_id, source, feed_url, status)
            VALUES (%s, %s, %s, 'running')
            ON CONFLICT (run_id, source) DO UPDATE SET
                feed_url = EXCLUDED.feed_url, status = 'running', started_at = now(),
                finished_at = NULL, items_listed = 0, pages_fetched = 0, pages_new = 0,
                pages_skipped = 0, message = NULL, errors = '[]'::jsonb, requests = 0,
                not_modified = false
            """,
            (run_id, source, feed_url),
        )

    def finish_report(
        self,
        run_id: str,
        source: str,
        *,
        status: str,
        items_listed: int,
        pages_fetched: int,
        pages_new: int,
        pages_skipped: int,
        message: str,
        errors: list[dict[str, str]],
        requests: int = 0,
        not_modified: bool = False,
    ) -> None:
        self._execute(
            """
            UPDATE crawl_reports SET
                status = %s, finished_at = now(), items_listed = %s, pages_fetched = %s,
                pages_new = %s, pages_skipped = %s, message = %s, errors = %s,
                requests = %s, not_modified = %s
            WHERE run_id = %s AND source = %s
            """,
            (
                status,
                items_listed,
                pages_fetched,
                pages_new,
                pages_skipped,
                message,
                Jsonb(errors),
                requests,
                not_modified,
                run_id,
                source,
            ),
        )


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__
