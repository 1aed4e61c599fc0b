"""The ``feeds`` spider: each source's RSS/Atom feed → the article pages it links to → ``pages``.

Run it (from the repository root, with a database URL in the environment)::

    LTWATCH_DATABASE_URL=postgresql://… scrapy crawl feeds \\
        -a sources=crawlers/sources.yaml [-a only=trt-world,libya-herald] [-a run_id=…]

It fetches and stores raw pages and never interprets them: no cleaning, no relevance
decisions. Per source it writes one ``crawl_reports`` row (``running`` at start, then
``ok`` / ``partial`` / ``failed`` with counts, a one-line message and every error). A source
whose feed is unreachable, answers an HTTP error, is not XML or is an HTML page fails alone;
the other sources are crawled as usual.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import psycopg
import scrapy
from lxml import etree
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_error
from twisted.python.failure import Failure
from w3lib.url import safe_url_string, url_query_cleaner

from crawlers.items import PageItem
from crawlers.pipelines import PageStore, database_url, stat_key
from pipeline.settings import get_settings
from pipeline.sources import Source, load_sources, select_sources

ATOM = "{http://www.w3.org/2005/Atom}"
DUBLIN_CORE = "{http://purl.org/dc/elements/1.1/}"

# Query parameters that only say how a reader arrived (campaigns, ad clicks, newsletters);
# the same article with and without them is one page. Names ending in "*" are prefixes.
# Overridable with the LTWATCH_TRACKING_PARAMS setting.
DEFAULT_TRACKING_PARAMS = (
    "utm_*",
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
)


# ---------------------------------------------------------------------------------------
# URLs


def canonicalize(url: str, tracking: Iterable[str] = DEFAULT_TRACKING_PARAMS) -> str:
    """``url`` without fragment or tracking parameters, percent-encoded as Scrapy sends it.

    Deliberately not w3lib's ``canonicalize_url``: that one also sorts the query, and the
    stored URL should be the address that was actually requested.
    """
    url = safe_url_string(url.strip())
    query = urlsplit(url).query
    names = {pair.split("=", 1)[0] for pair in query.split("&") if pair}
    drop = [
        name
        for name in names
        if any(
            name.lower().startswith(p[:-1].lower()) if p.endswith("*") else name.lower() == p
            for p in tracking
        )
    ]
    # unique=False: keep repeated parameters (a=1&a=2) that are not tracking ones.
    return url_query_cleaner(url, drop, remove=True, unique=False, keep_fragments=False)


def on_domains(url: str, domains: Iterable[str]) -> bool:
    """Whether ``url``'s host is one of ``domains`` or a subdomain of one.

    Compares the host name without the port (unlike scrapy.utils.url.url_is_from_any_domain,
    which compares the netloc), so ``127.0.0.1`` allows a sample site on any port.
    """
    host = (urlsplit(url).hostname or "").lower()
    return bool(host) and any(host == d or host.endswith("." + d) for d in domains)


# ---------------------------------------------------------------------------------------
# Feeds


class FeedError(Exception):
    """The feed response is not a usable feed; the message is the one-line report."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str | None
    title: str | None
    published: dt.datetime | None


def _text(element: Any) -> str | None:
    if element is None:
        return None
    # itertext: Atom titles may be type="xhtml" with child elements.
    text = " ".join("".join(element.itertext()).split())
    return text or None


def _date(value: str | None) -> dt.datetime | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core) date; None when unparseable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    parsed: dt.datetime | None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    # A feed date without zone is taken as UTC rather than the crawler's local zone.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _looks_like_html(response: Response) -> bool:
    content_type = response.headers.get(b"Content-Type", b"").split(b";")[0].strip().lower()
    if content_type == b"text/html":
        return True
    head = response.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _rss_entries(root: Any) -> list[FeedEntry]:
    entries = []
    for item in root.iterfind("channel/item"):
        link = (item.findtext("link") or "").strip() or None
        if link is None:
            # RSS 2.0: a guid is the item's permalink unless isPermaLink="false".
            guid = item.find("guid")
            if guid is not None and guid.get("isPermaLink", "true").lower() != "false":
                link = (guid.text or "").strip() or None
        published = _date(item.findtext("pubDate")) or _date(item.findtext(f"{DUBLIN_CORE}date"))
        entries.append(FeedEntry(link, _text(item.find("title")), published))
    return entries


def _atom_entries(root: Any) -> list[FeedEntry]:
    entries = []
    for entry in root.iterfind(f"{ATOM}entry"):
        link = None
        for candidate in entry.iterfind(f"{ATOM}link"):
            # The entry's web page is its rel="alternate" link (the default rel).
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate.get("href").strip()
                break
        published = _date(entry.findtext(f"{ATOM}published")) or _date(
            entry.findtext(f"{ATOM}updated")
        )
        entries.append(FeedEntry(link, _text(entry.find(f"{ATOM}title")), published))
    return entries


def parse_feed(response: Response, kind: str) -> list[FeedEntry]:
    """The entries of an RSS 2.0 (``kind="rss"``) or Atom 1.0 (``kind="atom"``) feed.

    Raises :class:`FeedError` with a one-line reason for an HTML page, malformed XML or a
    document of the other (or no) feed format.
    """
    if _looks_like_html(response):
        raise FeedError("not a feed: the feed URL returned an HTML page")
    # No entity resolution and no network: a feed is untrusted input (XXE, billion laughs).
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(response.body, parser=parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else None)
        where = f" at line {line}" if line else ""
        detail = (exc.msg or "").splitlines()[0].strip() if exc.msg else ""
        # libxml2 repeats the position at the end of its message; it is already in `where`.
        detail = re.sub(r",?\s*line \d+, column \d+$", "", detail)
        raise FeedError(
            f"malformed feed: XML syntax error{where}" + (f" ({detail})" if detail else "")
        ) from None
    tag = etree.QName(root).localname if isinstance(root.tag, str) else str(root.tag)
    if tag == "html":
        raise FeedError("not a feed: the feed URL returned an HTML page")
    if kind == "rss":
        if root.tag != "rss":
            hint = " (an Atom feed: set kind: atom)" if root.tag == f"{ATOM}feed" else ""
            raise FeedError(f"not an RSS 2.0 feed: root element is <{tag}>{hint}")
        return _rss_entries(root)
    if root.tag != f"{ATOM}feed":
        hint = " (an RSS feed: set kind: rss)" if root.tag == "rss" else ""
        raise FeedError(f"not an Atom 1.0 feed: root element is <{tag}>{hint}")
    return _atom_entries(root)


# ---------------------------------------------------------------------------------------
# Errors


def describe_failure(failure: Failure, what: str) -> str:
    """A one-line, human reason for a failed download of a ``what`` ("feed" or "page")."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status} from {what}"
    if isinstance(exc, DownloadConnectionRefusedError | twisted_error.ConnectionRefusedError):
        return f"{what} unreachable: connection refused"
    if isinstance(exc, CannotResolveHostError | twisted_error.DNSLookupError):
        return f"{what} unreachable: DNS lookup failed"
    if isinstance(
        exc, DownloadTimeoutError | twisted_error.TimeoutError | twisted_error.TCPTimedOutError
    ):
        return f"{what} unreachable: timed out"
    if isinstance(exc, DownloadCancelledError):
        return f"{what} not downloaded: {_first_line(exc) or 'cancelled'}"
    if isinstance(exc, ResponseDataLossError | twisted_error.ConnectionLost):
        return f"{what} download interrupted: connection lost"
    if isinstance(exc, IgnoreRequest):
        return f"{what} not fetched: {_first_line(exc) or 'request ignored'}"
    if isinstance(exc, twisted_error.ConnectError):
        return f"{what} unreachable: {_first_line(exc) or type(exc).__name__}"
    return f"{what} download failed: {type(exc).__name__}: {_first_line(exc)}"


def _first_line(exc: BaseException, limit: int = 200) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:limit] if lines else ""


# ---------------------------------------------------------------------------------------
# Per-source bookkeeping


@dataclass
class SourceRun:
    """What happened to one source during this crawl; becomes its ``crawl_reports`` row."""

    source: Source
    feed_done: bool = False
    feed_error: str | None = None
    items_listed: int = 0
    pages_fetched: int = 0
    skipped: int = 0  # already stored, or listed twice
    offsite: int = 0
    pending: int = 0  # article requests sent and not yet answered
    errors: list[dict[str, str]] = field(default_factory=list)

    def error(self, url: str, message: str) -> None:
        self.errors.append({"url": url, "message": message})

    def outcome(self, reason: str, new: int, skipped: int) -> tuple[str, str]:
        """(status, one-line message) once the spider has closed for ``reason``."""
        if self.feed_error:
            return "failed", self.feed_error
        if not self.feed_done:
            return "failed", f"crawl stopped ({reason}) before the feed was fetched"
        summary = f"{self.items_listed} items listed, {new} new pages, {skipped} already stored"
        if self.offsite:
            summary += f", {self.offsite} off-domain links ignored"
        if self.pending:
            return (
                "partial",
                f"crawl stopped ({reason}) with {self.pending} pages not fetched; {summary}",
            )
        if self.errors:
            first = self.errors[0]
            return "partial", (
                f"{len(self.errors)} errors, first: {first['message']} ({first['url']}); {summary}"
            )
        return "ok", summary


# ---------------------------------------------------------------------------------------
# The spider


class FeedsSpider(scrapy.Spider):
    name = "feeds"
    # Not set: each source has its own allowed domains, checked in parse_feed; a spider-wide
    # list would make Scrapy's OffsiteMiddleware drop the other sources' feeds.

    def __init__(
        self,
        sources: str | None = None,
        only: str | None = None,
        run_id: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sources_path = Path(sources) if sources else get_settings().sources
        names = [n.strip() for n in only.split(",") if n.strip()] if only else None
        # A bad sources file or an unknown name in `only` raises here, so `scrapy crawl`
        # exits non-zero with the SourcesError message before anything is fetched.
        self.selected = select_sources(load_sources(self.sources_path), names)
        self.run_id = run_id or f"feeds-{uuid.uuid4().hex[:12]}"
        self.runs = {source.name: SourceRun(source) for source in self.selected}
        self.requested: set[str] = set()  # article URLs requested by any source this run
        self.store: PageStore | None = None

    @property
    def tracking_params(self) -> list[str]:
        return self.settings.getlist("LTWATCH_TRACKING_PARAMS", list(DEFAULT_TRACKING_PARAMS))

    async def start(self) -> AsyncIterator[Any]:
        self.store = PageStore(database_url(self.crawler))
        self.logger.info(
            "crawl %s: %d sources from %s", self.run_id, len(self.runs), self.sources_path
        )
        for run in self.runs.values():
            self.store.start_report(self.run_id, run.source.name, run.source.url)
            yield scrapy.Request(
                run.source.url,
                callback=self.parse_feed,
                errback=self.feed_failed,
                cb_kwargs={"run": run},
                # Two sources may share a feed URL; each must get its own response.
                dont_filter=True,
            )

    def parse_feed(self, response: Response, run: SourceRun) -> Iterator[scrapy.Request]:
        run.feed_done = True
        try:
            entries = parse_feed(response, run.source.kind)
        except FeedError as exc:
            run.feed_error = f"{exc} ({response.url})"
            self.logger.error("%s: %s", run.source.name, run.feed_error)
            return
        run.items_listed = len(entries)

        candidates: dict[str, FeedEntry] = {}
        for entry in entries:
            if not entry.link:
                run.error(response.url, f"feed item without a link: {entry.title or '(untitled)'}")
                continue
            url = canonicalize(urljoin(response.url, entry.link), self.tracking_params)
            if not on_domains(url, run.source.allowed_domains):
                run.offsite += 1
                self.logger.info("%s: not following off-domain link %s", run.source.name, url)
            elif url in candidates:
                run.skipped += 1  # the same article listed twice (e.g. with utm_ variants)
            else:
                candidates[url] = entry

        # One query per source, not one per item.
        assert self.store is not None
        try:
            known = self.store.known_urls(candidates)
        except psycopg.Error as exc:
            # Without knowing what is stored, fetching would only repeat earlier work.
            run.feed_error = f"could not look up stored pages: {_first_line(exc)}"
            self.logger.error("%s: %s", run.source.name, run.feed_error)
            return
        for url, entry in candidates.items():
            if url in known or url in self.requested:
                run.skipped += 1
                continue
            self.requested.add(url)
            run.pending += 1
            yield scrapy.Request(
                url,
                callback=self.parse_page,
                errback=self.page_failed,
                cb_kwargs={"run": run, "entry": entry, "url": url},
            )

    def parse_page(
        self, response: Response, run: SourceRun, entry: FeedEntry, url: str
    ) -> Iterator[PageItem]:
        run.pending -= 1
        run.pages_fetched += 1
        content_type = _header(response, b"Content-Type")
        mime = (content_type or "").split(";")[0].strip().lower()
        if mime != "text/html":
            run.error(url, f"not an HTML page ({mime or 'no content type'})")
            return
        if not on_domains(response.url, run.source.allowed_domains):
            run.error(url, f"redirected off the source's domains to {response.url}")
            return
        canonical = response.xpath(
            "//link[contains(concat(' ', normalize-space(translate(@rel,"
            " 'CANONIL', 'canonil')), ' '), ' canonical ')]/@href"
        ).get()
        yield PageItem(
            source=run.source.name,
            url=url,
            canonical_url=(
                canonicalize(response.urljoin(canonical.strip()), self.tracking_params)
                if canonical and canonical.strip()
                else None
            ),
            http_status=response.status,
            content_type=content_type,
            etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
            feed_title=entry.title,
            feed_published=entry.published,
            # Decoded with the HTTP charset, then BOM, then <meta charset> (Scrapy's rules).
            html=response.text,
        )

    def feed_failed(self, failure: Failure) -> None:
        run: SourceRun = failure.request.cb_kwargs["run"]
        run.feed_done = True
        run.feed_error = f"{describe_failure(failure, 'feed')} ({failure.request.url})"
        self.logger.error("%s: %s", run.source.name, run.feed_error)

    def page_failed(self, failure: Failure) -> None:
        run: SourceRun = failure.request.cb_kwargs["run"]
        url: str = failure.request.cb_kwargs["url"]
        run.pending -= 1
        run.error(url, describe_failure(failure, "page"))
        self.logger.warning("%s: %s (%s)", run.source.name, run.errors[-1]["message"], url)

    def closed(self, reason: str) -> None:
        # Item pipelines have closed by now, so the per-source counters in the stats are final.
        if self.store is None:
            return
        stats = self.crawler.stats
        assert stats is not None
        try:
            for name, run in self.runs.items():
                new = int(stats.get_value(stat_key("pages_new", name), 0))
                skipped = run.skipped + int(stats.get_value(stat_key("pages_skipped", name), 0))
                run.errors.extend(stats.get_value(stat_key("store_errors", name)) or [])
                status, message = run.outcome(reason, new, skipped)
                self.store.finish_report(
                    self.run_id,
                    name,
                    status=status,
                    items_listed=run.items_listed,
                    pages_fetched=run.pages_fetched,
                    pages_new=new,
                    pages_skipped=skipped,
                    message=message,
                    errors=run.errors,
                )
                self.logger.info("%s: %s: %s", name, status, message)
        finally:
            self.store.close()


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    # Header bytes are ISO-8859-1 by HTTP's definition; strip stray whitespace only.
    return value.decode("latin-1").strip() or None if value else None
