"""Storing fetched pages (and the crawl's per-source reports) in PostgreSQL.

The database URL comes from the ``LTWATCH_DATABASE_URL`` Scrapy setting, which
``crawlers.settings`` fills from the environment variable of the same name. The crawler
never starts an embedded PostgreSQL: whoever launches it (``pipeline.crawl``) resolves the
database first and passes a concrete URL, so a missing URL is an error here.

psycopg is used synchronously from Scrapy's reactor thread. Each call is one short
statement on a local or nearby server, a few per page, which costs far less than the
politeness delays between requests; an async driver would add complexity for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self

import psycopg
from psycopg.types.json import Jsonb
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawlers.items import PageItem
from crawlers.middlewares import stat_key
from pipeline.db import libpq_url

DATABASE_URL_SETTING = "LTWATCH_DATABASE_URL"


class DatabaseNotConfigured(RuntimeError):
    """No database URL: the crawl must fail at start-up, not run without storing anything.

    (Scrapy's own NotConfigured would merely disable the pipeline and crawl on.)
    """


def database_url(crawler: Crawler) -> str:
    url = crawler.settings.get(DATABASE_URL_SETTING)
    if not url:
        # Deliberately no fallback to an embedded server: see the module docstring.
        raise DatabaseNotConfigured(
            f"{DATABASE_URL_SETTING} is not set; the crawler needs the URL of a running "
            "PostgreSQL (pipeline.crawl passes it)"
        )
    return libpq_url(url)


class PageStore:
    """The crawler's few statements against ``pages`` and ``crawl_reports``."""

    def __init__(self, url: str) -> None:
        # autocommit: every page is stored on its own, so a crash mid-crawl keeps what was
        # fetched before it, and the next run skips those pages.
        self.conn = psycopg.connect(url, autocommit=True)

    def close(self) -> None:
        self.conn.close()

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of ``urls`` already stored, as a page's ``url`` or its ``canonical_url``."""
        wanted = sorted(set(urls))
        if not wanted:
            return set()
        rows = self.conn.execute(
            "SELECT url, canonical_url FROM pages "
            "WHERE url = ANY(%(urls)s) OR canonical_url = ANY(%(urls)s)",
            {"urls": wanted},
        ).fetchall()
        stored = {value for row in rows for value in row if value}
        return stored & set(wanted)

    def insert_page(self, page: PageItem, run_id: str | None) -> bool:
        """Store ``page``; False when its URL is already stored (a re-run stores nothing twice)."""
        row = self.conn.execute(
            """
            INSERT INTO pages (source, url, canonical_url, http_status, content_type, etag,
                               last_modified, feed_title, feed_published, crawl_run_id, html)
            VALUES (%(source)s, %(url)s, %(canonical_url)s, %(http_status)s, %(content_type)s,
                    %(etag)s, %(last_modified)s, %(feed_title)s, %(feed_published)s,
                    %(run_id)s, %(html)s)
            ON CONFLICT (url) DO NOTHING
            RETURNING id
            """,
            {
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
            },
        ).fetchone()
        return row is not None

    def feed_validators(
        self, sources: Iterable[str]
    ) -> dict[tuple[str, str], tuple[str | None, str | None]]:
        """(source, url) → (ETag, Last-Modified) of the listings last fully processed."""
        rows = self.conn.execute(
            "SELECT source, url, etag, last_modified FROM feed_state "
            "WHERE source = ANY(%s) AND (etag IS NOT NULL OR last_modified IS NOT NULL)",
            (sorted(set(sources)),),
        ).fetchall()
        return {(source, url): (etag, modified) for source, url, etag, modified in rows}

    def save_feed_state(
        self, source: str, states: dict[str, tuple[str | None, str | None, int]]
    ) -> None:
        """Remember each listing URL's validators (a 304 keeps the stored ones)."""
        with self.conn.transaction():
            for url, (etag, modified, status) in states.items():
                self.conn.execute(
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
        self.conn.execute("DELETE FROM feed_state WHERE source = %s", (source,))

    def start_report(self, run_id: str, source: str, feed_url: str) -> None:
        # Re-using a run id restarts that source's report instead of failing on UNIQUE.
        self.conn.execute(
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
        self.conn.execute(
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


class PostgresPagePipeline:
    """Inserts each :class:`PageItem` into ``pages`` and counts new/skipped pages per source.

    The counts go to Scrapy's stats (``ltwatch/pages_new/<source>``,
    ``ltwatch/pages_skipped/<source>``), from which the spider writes its crawl reports
    when it closes — after every item has been through this pipeline.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.url = database_url(crawler)
        self.store: PageStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        self.store = PageStore(self.url)

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or self.store is None:
            return item
        stats = self.crawler.stats
        assert stats is not None
        run_id = getattr(self.crawler.spider, "run_id", None)
        try:
            new = self.store.insert_page(item, run_id)
        except psycopg.Error as exc:
            # One page that cannot be stored must not stop the crawl; the source's report
            # turns partial and names the page (see FeedsSpider.closed).
            failures = stats.get_value(stat_key("store_errors", item.source)) or []
            failures.append({"url": item.url, "message": f"not stored: {_first_line(exc)}"})
            stats.set_value(stat_key("store_errors", item.source), failures)
            raise DropItem(f"page {item.url} not stored: {_first_line(exc)}") from exc
        stats.inc_value(stat_key("pages_new" if new else "pages_skipped", item.source))
        return item


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__
