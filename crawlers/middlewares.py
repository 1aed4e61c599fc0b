"""Downloader middlewares: per-source domain guard, politeness per source, back-off.

Scrapy's own middlewares do most of the work (robots.txt, retries, redirects, size limits,
decompression); these add what they lack:

* :class:`SourceGuardMiddleware` (early in the chain, before robots.txt): a redirect that
  leaves the source's allowed domains is not followed (Scrapy's OffsiteMiddleware knows one
  spider-wide domain list, and this spider crawls many sources); a source that has answered
  too many 429s is not asked again this run; a source's own ``download_delay`` /
  ``concurrency`` are applied to the download slots of its hosts.
* :class:`BackoffMiddleware` (last before the download handler): retries wait with
  exponential back-off, or as long as the server's ``Retry-After`` says (Scrapy's
  RetryMiddleware re-sends at once and ignores Retry-After), and every request a source
  really sends is counted for its crawl report.

Requests carry their source's name in ``meta["ltwatch_source"]`` and its allowed domains
in ``meta["ltwatch_domains"]``; requests without them (robots.txt) pass untouched.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

SOURCE = "ltwatch_source"
DOMAINS = "ltwatch_domains"
RETRY_AFTER = "ltwatch_retry_after"


def stat_key(counter: str, source: str) -> str:
    """Name of a per-source counter in Scrapy's stats (shared with spider and pipeline)."""
    return f"ltwatch/{counter}/{source}"


def on_domains(url: str, domains: list[str] | tuple[str, ...]) -> bool:
    """Whether ``url``'s host is one of ``domains`` or a subdomain of one (port ignored)."""
    host = (urlsplit(url).hostname or "").lower()
    return bool(host) and any(host == d or host.endswith("." + d) for d in domains)


def parse_retry_after(value: bytes | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


class SourceGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_429 = crawler.settings.getint("LTWATCH_MAX_429_PER_SOURCE", 10)
        self._configured_slots: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        source = request.meta.get(SOURCE)
        if source is None:
            return
        domains = request.meta.get(DOMAINS)
        # Only redirected requests can be off-domain: the spider never schedules one.
        if domains and not on_domains(request.url, domains):
            raise IgnoreRequest(f"redirected off the source's domains to {request.url}")
        stats = self.crawler.stats
        assert stats is not None
        if int(stats.get_value(stat_key("http429", source), 0)) >= self.max_429:
            # A 429 storm: asking again only prolongs it. The next run tries again.
            raise IgnoreRequest(
                f"not requested: the source answered HTTP 429 {self.max_429} times this run "
                "(backing off until the next run)"
            )
        self._configure_slot(request)

    def _configure_slot(self, request: Request) -> None:
        """Apply the source's delay/concurrency to its host's download slot, once per host."""
        settings: dict[str, Any] = request.meta.get("ltwatch_slot") or {}
        if not settings:
            return
        host = urlsplit(request.url).hostname or ""
        if host in self._configured_slots:
            return
        self._configured_slots.add(host)
        engine = self.crawler.engine
        if engine is None:
            return
        downloader = engine.downloader
        # Read by the Downloader when it creates a slot, i.e. on the host's first request.
        downloader.per_slot_settings.setdefault(host, {}).update(settings)
        slot = downloader.slots.get(host)
        if slot is not None:  # created already (robots.txt): adjust it in place
            slot.delay = settings.get("delay", slot.delay)
            slot.concurrency = settings.get("concurrency", slot.concurrency)


class BackoffMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.base = settings.getfloat("LTWATCH_RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("LTWATCH_RETRY_BACKOFF_MAX", 60.0)
        # A Retry-After longer than this is not waited for within a run: the request fails
        # with a clear message and the next run tries again.
        self.retry_after_max = settings.getfloat("LTWATCH_RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        source = request.meta.get(SOURCE)
        retries = int(request.meta.get("retry_times", 0))
        if retries:
            backoff = min(self.cap, self.base * 2 ** (retries - 1))
            delay = max(backoff, float(request.meta.get(RETRY_AFTER) or 0))
            if delay > 0:
                # Waits outside the download slot, so other hosts are not held up.
                await asyncio.sleep(delay)
        if source is not None:
            stats = self.crawler.stats
            assert stats is not None
            stats.inc_value(stat_key("requests", source))

    def process_response(self, request: Request, response: Response) -> Response:
        source = request.meta.get(SOURCE)
        if response.status in (429, 503):
            stats = self.crawler.stats
            assert stats is not None
            if source is not None and response.status == 429:
                stats.inc_value(stat_key("http429", source))
            wait = parse_retry_after(response.headers.get(b"Retry-After"))
            if wait is not None:
                # RetryMiddleware copies meta into the retry request; process_request reads it.
                request.meta[RETRY_AFTER] = wait
                if wait > self.retry_after_max:
                    request.meta["dont_retry"] = True
        return response
