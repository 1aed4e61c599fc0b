"""Storing fetched pages (and the crawl's per-source reports) in PostgreSQL.

The database URL comes from the ``LTWATCH_DATABASE_URL`` Scrapy setting, which
``crawlers.settings`` fills from the environment variable of the same name. The crawler
never starts an embedded PostgreSQL: whoever launches it (``pipeline.crawl``) resolves the
database first and passes a concrete URL, so a missing URL is an error here.

Pages are stored in batches (``LTWATCH_STORE_BATCH`` pages, or whatever has waited
``LTWATCH_STORE_FLUSH_SECONDS``), one transaction and one round trip per batch: storing
them one autocommitted statement at a time kept the reactor waiting on the database for a
quarter of the crawl (bench/bench_crawl.py, profiled). What is buffered is stored when the
spider closes, also on a time-out (SIGTERM); only a hard kill loses it, and the next run
fetches those pages again.

A lost connection (a PostgreSQL restart, a network cut) is reconnected and the statement
retried for up to ``LTWATCH_DB_RETRY_SECONDS``. What still cannot be stored then is a
counted failure — each page in its source's report, the crawl stopped, and the crawler's
exit status non-zero (``crawlers.commands.crawl``) — never a silent drop.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Self

from scrapy.crawler import Crawler

from crawlers.items import PageItem
from crawlers.middlewares import stat_key
from crawlers.pagestore import DatabaseLost, PageStore

__all__ = ["DatabaseLost", "PageStore", "PostgresPagePipeline", "database_url"]

log = logging.getLogger(__name__)

# Scrapy stats the crawl command turns into the crawler's exit status and last line.
NOT_STORED_STAT = "ltwatch/pages_not_stored"
DATABASE_LOST_STAT = "ltwatch/database_lost"

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


def libpq_url(url: str) -> str:
    """The URL without a driver suffix (``postgresql+psycopg://`` → ``postgresql://``).

    ``pipeline.db.libpq_url`` does the same through SQLAlchemy, which, with Alembic, would
    double the crawler's start-up time (``python -X importtime``) for one string.
    """
    return re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql://", url)


class PostgresPagePipeline:
    """Stores each :class:`PageItem` in ``pages``, in batches, and counts new/skipped pages
    per source.

    The counts go to Scrapy's stats (``ltwatch/pages_new/<source>``,
    ``ltwatch/pages_skipped/<source>``; pages that could not be stored in
    ``ltwatch/store_errors/<source>``), from which the spider writes its crawl reports when
    it closes — after this pipeline has stored its last batch.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.url = database_url(crawler)
        settings = crawler.settings
        self.batch_size = settings.getint("LTWATCH_STORE_BATCH", 100)
        self.batch_bytes = settings.getint("LTWATCH_STORE_BATCH_BYTES", 8 * 1024 * 1024)
        self.flush_seconds = settings.getfloat("LTWATCH_STORE_FLUSH_SECONDS", 1.0)
        self.retry_seconds = settings.getfloat("LTWATCH_DB_RETRY_SECONDS", 30.0)
        self.store: PageStore | None = None
        self.buffer: list[PageItem] = []
        self.buffered_bytes = 0
        self.lost: str | None = None  # set once the database stayed away too long
        self._lock = asyncio.Lock()
        self._ticker: asyncio.Task[None] | None = None
        self._closing: asyncio.Future[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def run_id(self) -> str | None:
        return getattr(self.crawler.spider, "run_id", None)

    def open_spider(self) -> None:
        self.store = PageStore(self.url, retry_seconds=self.retry_seconds, hold_run=self.run_id)
        self._ticker = asyncio.ensure_future(self._flush_regularly())

    async def close_spider(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        if self.store is not None:
            await self.flush()
            self.store.close()
            self.store = None

    async def _flush_regularly(self) -> None:
        # A slow crawl still stores its pages within a second or so of fetching them.
        while True:
            await asyncio.sleep(self.flush_seconds)
            if self.buffer:
                # Shielded: closing the spider cancels this loop, never a batch half-way
                # through its retries (its pages would be lost without a word).
                await asyncio.shield(self.flush())

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or self.store is None:
            return item
        self.buffer.append(item)
        self.buffered_bytes += len(item.html)
        if len(self.buffer) >= self.batch_size or self.buffered_bytes >= self.batch_bytes:
            await self.flush()
        return item

    async def flush(self) -> None:
        async with self._lock:
            pages, self.buffer, self.buffered_bytes = self.buffer, [], 0
            if not pages or self.store is None:
                return
            stats = self.crawler.stats
            assert stats is not None
            try:
                new, failed = await self.store.insert_pages(pages, self.run_id)
            except DatabaseLost as exc:
                self._not_stored(pages, str(exc))
                return
            self.lost = None
            for page in pages:
                if page.url in failed:
                    self._store_error(page, failed[page.url])
                else:
                    new_page = page.url in new
                    stats.inc_value(
                        stat_key("pages_new" if new_page else "pages_skipped", page.source)
                    )

    def _store_error(self, page: PageItem, message: str) -> None:
        # One page that cannot be stored must not stop the crawl; the source's report
        # turns partial and names the page (see FeedsSpider.closed).
        stats = self.crawler.stats
        assert stats is not None
        failures = stats.get_value(stat_key("store_errors", page.source)) or []
        failures.append({"url": page.url, "message": message})
        stats.set_value(stat_key("store_errors", page.source), failures)
        stats.inc_value(NOT_STORED_STAT)
        log.error("page %s not stored: %s", page.url, message)

    def _not_stored(self, pages: list[PageItem], message: str) -> None:
        """The database stayed away: count every page, and stop fetching more of them."""
        for page in pages:
            self._store_error(page, message)
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value(DATABASE_LOST_STAT, message)
        if self.lost is None:
            self.lost = message
            engine = self.crawler.engine
            if engine is not None and engine.spider is not None:
                # Pages fetched from now on could not be stored either: stop asking outlets.
                self._closing = asyncio.ensure_future(
                    engine.close_spider_async(reason="database_lost")
                )
