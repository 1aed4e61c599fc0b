"""The ``feeds`` spider: each source's feed, sitemap or listing page → its articles → ``pages``.

Run it (from the repository root, with a database URL in the environment)::

    LTWATCH_DATABASE_URL=postgresql://… scrapy crawl feeds \\
        -a sources=crawlers/sources.yaml [-a only=trt-world,libya-herald] [-a run_id=…]

It fetches and stores raw pages and never interprets them: no cleaning, no relevance
decisions. Per source it writes one ``crawl_reports`` row (``running`` at start, then
``ok`` / ``partial`` / ``failed`` with counts, requests sent, a one-line message and every
error). A source whose feed is unreachable, answers an HTTP error, is not XML or is an HTML
page fails alone; the other sources are crawled as usual.

Kinds of source: RSS 2.0 and Atom 1.0 feeds; XML sitemaps, sitemap indexes and Google News
sitemaps (only entries and child sitemaps within the source's look-back window are
followed); HTML listing pages (links matching the source's ``link_pattern``).

Incremental: feeds, sitemaps and listing pages are requested with the ETag/Last-Modified
kept in ``feed_state`` (a 304 costs nothing more); article URLs are canonicalised and
checked against ``pages`` before they are requested, and a fetched page whose
rel=canonical is already stored is not stored again. The validators are only kept when
every article the listing named was dealt with, so a 304 never hides a missed article.

Across runs (``crawlers.crawl_state``, tables ``source_crawl_state`` and ``refused_urls``): a
source is not polled before its minimum interval or what its feed's ``<ttl>`` /
``Cache-Control: max-age`` asked (its report then says "not polled this run: …", with no
request sent); a source whose every article is refused (401/403, bot wall) several runs in
a row is paused and probed with one article on a slow schedule, and refused article URLs
are not requested again except by those probes. A Google News sitemap's entries in another
language than the source's are not followed. ``-a force=1`` polls every selected source now.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import psycopg
import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawlers.crawl_state import (
    BreakerSettings,
    CrawlStateStore,
    SourceState,
    after_articles,
    after_poll,
    decide,
    is_bot_wall,
    poll_hint,
)
from crawlers.failures import describe_failure, first_line, is_transient, refused_status
from crawlers.items import PageItem
from crawlers.middlewares import DOMAINS, SOURCE, on_domains, stat_key
from crawlers.parsing import (
    DEFAULT_TRACKING_PARAMS,
    FeedEntry,
    FeedError,
    canonicalize,
    decode_html,
    header,
    parse_feed,
    parse_listing,
    parse_sitemap,
)
from crawlers.pipelines import PageStore, database_url
from pipeline.settings import get_settings
from pipeline.sources import Source, language_tag, load_sources, select_sources

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
    skipped: int = 0  # already stored, listed twice, or the same article as a stored one
    offsite: int = 0
    old: int = 0  # sitemap entries / child sitemaps outside the look-back window
    capped: int = 0  # not fetched this run: over the source's max_pages
    other_language: int = 0  # sitemap entries in another language than the source's
    refused_known: int = 0  # articles refused in an earlier run, not asked again
    not_polled: str | None = None  # why this run skipped the source (interval, paused)
    probe: bool = False  # paused source, retry due: one article is tried
    feed_refused: str | None = None  # the feed itself answered 401/403
    refused: list[tuple[str, int | None, str]] = field(default_factory=list)
    fetched_ok: list[str] = field(default_factory=list)  # articles that came through
    poll_hint: tuple[float, str] | None = None  # what the feed asked (ttl, max-age)
    requested: int = 0  # article requests scheduled
    pending: int = 0  # article requests sent and not yet answered
    listings_pending: int = 0  # child sitemaps requested and not yet answered
    listings: int = 0  # feed / sitemap / listing responses received
    not_modified: int = 0  # of which 304
    transient: bool = False  # an error the next run must retry (so keep no validators)
    # listing URL -> (ETag, Last-Modified, HTTP status), saved when the run is complete
    validators: dict[str, tuple[str | None, str | None, int]] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    def error(self, url: str, message: str, *, transient: bool = False) -> None:
        self.errors.append({"url": url, "message": message})
        self.transient = self.transient or transient

    def warn(self, url: str, message: str) -> None:
        """A fault worked around (the page is stored): reported, status unaffected."""
        self.errors.append({"url": url, "message": message, "level": "warning"})

    def complete(self) -> bool:
        """Everything listed was dealt with: the listings' validators may be kept."""
        return not (
            self.feed_error
            or self.pending
            or self.listings_pending
            or self.capped
            or self.transient
        )

    def outcome(self, reason: str, new: int, skipped: int) -> tuple[str, str]:
        """(status, one-line message) once the spider has closed for ``reason``."""
        if self.feed_error:
            return "failed", self.feed_error
        if not self.feed_done:
            return "failed", f"crawl stopped ({reason}) before the feed was fetched"
        if self.listings and self.not_modified == self.listings:
            return "ok", "not modified since the last run (HTTP 304): nothing else requested"
        summary = f"{self.items_listed} items listed, {new} new pages, {skipped} already stored"
        if self.not_modified:
            summary += f", {self.not_modified} sitemaps not modified"
        if self.old:
            summary += f", {self.old} older than the look-back window"
        if self.other_language:
            summary += f", {self.other_language} in another language than the source's"
        if self.refused_known:
            summary += f", {self.refused_known} refused in earlier runs, not asked again"
        if self.offsite:
            summary += f", {self.offsite} off-domain links ignored"
        if self.capped:
            summary += f", {self.capped} left for the next run (max pages per run)"
        errors = [e for e in self.errors if e.get("level") != "warning"]
        if len(errors) < len(self.errors):
            first = next(e for e in self.errors if e.get("level") == "warning")
            summary += (
                f", {len(self.errors) - len(errors)} warnings, first: {first['message']} "
                f"({first['url']})"
            )
        if self.pending or self.listings_pending:
            return (
                "partial",
                f"crawl stopped ({reason}) with {self.pending + self.listings_pending} "
                f"requests unanswered; {summary}",
            )
        if errors:
            first = errors[0]
            return "partial", (
                f"{len(errors)} errors, first: {first['message']} ({first['url']}); {summary}"
            )
        return "ok", summary


# ---------------------------------------------------------------------------------------
# The spider


class FeedsSpider(scrapy.Spider):
    name = "feeds"
    # Not set: each source has its own allowed domains, checked in parse_listing and, for
    # redirects, by crawlers.middlewares.SourceGuardMiddleware; a spider-wide list would
    # make Scrapy's OffsiteMiddleware drop the other sources' feeds.

    def __init__(
        self,
        sources: str | None = None,
        only: str | None = None,
        run_id: str | None = None,
        force: str | None = None,
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
        self.canonicals: set[str] = set()  # canonical URLs of the pages stored this run
        self.validators: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        self.store: PageStore | None = None
        # -a force=1: poll every selected source now, whatever its interval or pause.
        self.force = (force or "").strip().lower() in ("1", "true", "yes")
        self.crawl_state: CrawlStateStore | None = None
        self.states: dict[str, SourceState] = {}

    @property
    def tracking_params(self) -> list[str]:
        return self.settings.getlist("LTWATCH_TRACKING_PARAMS", list(DEFAULT_TRACKING_PARAMS))

    def _meta(self, run: SourceRun, **extra: Any) -> dict[str, Any]:
        slot: dict[str, Any] = {}
        if run.source.download_delay is not None:
            slot["delay"] = run.source.download_delay
        if run.source.concurrency is not None:
            slot["concurrency"] = run.source.concurrency
        return {
            SOURCE: run.source.name,
            DOMAINS: tuple(run.source.allowed_domains),
            "ltwatch_slot": slot,
            **extra,
        }

    def listing_request(self, run: SourceRun, url: str) -> scrapy.Request:
        """A conditional request for a feed, sitemap or listing page of ``run``'s source."""
        headers = {}
        etag, modified = self.validators.get((run.source.name, url), (None, None))
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        meta = self._meta(run, handle_httpstatus_list=[304])
        if run.source.kind == "sitemap":
            meta["download_maxsize"] = self.settings.getint("LTWATCH_SITEMAP_MAXSIZE")
        return scrapy.Request(
            url,
            headers=headers,
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"run": run},
            meta=meta,
            # Two sources may share a feed URL; each must get its own response. (And a
            # redirect loop must reach REDIRECT_MAX_TIMES, not vanish in the dupe filter.)
            dont_filter=True,
        )

    async def start(self) -> AsyncIterator[Any]:
        self.store = PageStore(
            database_url(self.crawler),
            retry_seconds=self.settings.getfloat("LTWATCH_DB_RETRY_SECONDS", 30.0),
            hold_run=self.run_id,
        )
        self.logger.info(
            "crawl %s: %d sources from %s", self.run_id, len(self.runs), self.sources_path
        )
        self.validators = self.store.feed_validators(self.runs)
        self.crawl_state = CrawlStateStore(database_url(self.crawler))
        self.states = self.crawl_state.load(self.runs)
        now = dt.datetime.now(dt.UTC)
        grace = self.settings.getfloat("LTWATCH_POLL_GRACE", 60)
        for run in self.runs.values():
            self.store.start_report(self.run_id, run.source.name, run.source.url)
            action, why = decide(self.states[run.source.name], now, grace=grace)
            if action == "skip" and not self.force:
                run.not_polled = why
                self.logger.info("%s: %s", run.source.name, why)
                continue
            run.probe = action == "probe"
            yield self.listing_request(run, run.source.url)

    # -- listings -------------------------------------------------------------------------

    def parse_listing(self, response: Response, run: SourceRun) -> Iterator[scrapy.Request]:
        url = _requested_url(response.meta, response.url)
        top = url == run.source.url
        if top:
            run.feed_done = True
            run.poll_hint = poll_hint(response, run.source.kind)
        else:
            run.listings_pending -= 1
        run.listings += 1
        if response.status == 304:
            run.not_modified += 1
            run.validators[url] = (None, None, 304)
            return
        kind = run.source.kind
        try:
            if kind in ("rss", "atom"):
                entries = parse_feed(response, kind)
            elif kind == "html":
                assert run.source.link_pattern is not None
                entries = parse_listing(response, run.source.link_pattern)
            else:
                doc = parse_sitemap(response, self.settings.getint("LTWATCH_SITEMAP_MAXSIZE"))
                entries = doc.entries
                yield from self._follow_sitemaps(run, response, doc.children)
        except FeedError as exc:
            message = f"{exc} ({response.url})"
            if top:
                run.feed_error = message
            else:
                run.error(url, str(exc))
            self.logger.error("%s: %s", run.source.name, message)
            return
        run.validators[url] = (
            header(response, b"ETag"),
            header(response, b"Last-Modified"),
            response.status,
        )
        if kind == "sitemap":
            entries = self._in_language(run, self._recent(run, entries))
        run.items_listed += len(entries)
        yield from self._follow_articles(run, response, entries)

    def _cutoff(self, run: SourceRun) -> dt.datetime:
        return dt.datetime.now(dt.UTC) - dt.timedelta(days=run.source.lookback_days)

    def _recent(self, run: SourceRun, entries: list[FeedEntry]) -> list[FeedEntry]:
        """Sitemap entries within the look-back window (undated ones are kept)."""
        cutoff = self._cutoff(run)
        recent = [e for e in entries if e.published is None or e.published >= cutoff]
        run.old += len(entries) - len(recent)
        return recent

    def _in_language(self, run: SourceRun, entries: list[FeedEntry]) -> list[FeedEntry]:
        """Entries in the source's language (those that declare none are kept)."""
        wanted = run.source.feed_language
        if wanted is None:
            return entries
        kept = [e for e in entries if language_tag(e.language) in (None, wanted)]
        run.other_language += len(entries) - len(kept)
        return kept

    def _follow_sitemaps(
        self, run: SourceRun, response: Response, children: list[tuple[str, dt.datetime | None]]
    ) -> Iterator[scrapy.Request]:
        cutoff = self._cutoff(run)
        for loc, lastmod in children:
            url = canonicalize(urljoin(response.url, loc), [])
            if lastmod is not None and lastmod < cutoff:
                run.old += 1
                continue
            if not on_domains(url, run.source.allowed_domains):
                run.offsite += 1
                continue
            run.listings_pending += 1
            yield self.listing_request(run, url)

    def _follow_articles(
        self, run: SourceRun, response: Response, entries: list[FeedEntry]
    ) -> Iterator[scrapy.Request]:
        candidates: dict[str, FeedEntry] = {}
        for entry in entries:
            if not entry.link:
                run.error(response.url, f"feed item without a link: {entry.title or '(untitled)'}")
                continue
            url = canonicalize(urljoin(response.url, entry.link), self.tracking_params)
            if not on_domains(url, run.source.allowed_domains):
                run.offsite += 1
                self.logger.debug("%s: not following off-domain link %s", run.source.name, url)
            elif url in candidates:
                run.skipped += 1  # the same article listed twice (e.g. with utm_ variants)
            else:
                candidates[url] = entry

        # One query per listing, not one per item.
        assert self.store is not None
        try:
            known = self.store.known_urls(candidates)
        except psycopg.Error as exc:
            # Without knowing what is stored, fetching would only repeat earlier work.
            run.error(response.url, f"could not look up stored pages: {first_line(exc)}")
            run.transient = True
            return
        limit = run.source.max_pages
        if limit is None:
            limit = self.settings.getint("LTWATCH_MAX_PAGES_PER_SOURCE", 200)
        if run.probe:
            limit = min(limit, self.settings.getint("LTWATCH_PAUSE_PROBE_PAGES", 1))
        refused = self.states[run.source.name].refused if self.states else set()
        for url, entry in candidates.items():
            if url in known or url in self.requested:
                run.skipped += 1
                continue
            if url in refused and not (run.probe or self.force):
                run.refused_known += 1  # refused before: only a probe asks again
                continue
            if run.requested >= limit:
                run.capped += 1
                continue
            self.requested.add(url)
            run.requested += 1
            run.pending += 1
            yield scrapy.Request(
                url,
                callback=self.parse_page,
                errback=self.page_failed,
                cb_kwargs={"run": run, "entry": entry, "url": url},
                meta=self._meta(run),
                # Deduplicated above (self.requested); the dupe filter would drop the hops
                # of a redirect loop silently instead of letting REDIRECT_MAX_TIMES name it.
                dont_filter=True,
            )

    def listing_failed(self, failure: Failure) -> None:
        run: SourceRun = failure.request.cb_kwargs["run"]
        url = _requested_url(failure.request.meta, failure.request.url)
        what = {"rss": "feed", "atom": "feed", "sitemap": "sitemap", "html": "listing page"}[
            run.source.kind
        ]
        message = describe_failure(failure, what, self._max_size(failure))
        if url == run.source.url:
            run.feed_done = True
            run.feed_error = f"{message} ({url})"
            status = refused_status(failure)
            run.feed_refused = f"HTTP {status} on the feed" if status is not None else None
        else:
            run.listings_pending -= 1
            run.error(url, message, transient=is_transient(failure))
        self.logger.error("%s: %s (%s)", run.source.name, message, url)

    # -- articles -------------------------------------------------------------------------

    def parse_page(
        self, response: Response, run: SourceRun, entry: FeedEntry, url: str
    ) -> Iterator[PageItem]:
        run.pending -= 1
        run.pages_fetched += 1
        content_type = header(response, b"Content-Type")
        mime = (content_type or "").split(";")[0].strip().lower()
        if mime not in ("text/html", "application/xhtml+xml") or not isinstance(
            response, TextResponse
        ):
            run.error(url, f"not an HTML page ({mime or 'no content type'})")
            return
        if not on_domains(response.url, run.source.allowed_domains):
            run.error(url, f"redirected off the source's domains to {response.url}")
            return
        href = response.xpath(
            "//link[contains(concat(' ', normalize-space(translate(@rel,"
            " 'CANONIL', 'canonil')), ' '), ' canonical ')]/@href"
        ).get()
        canonical = (
            canonicalize(response.urljoin(href.strip()), self.tracking_params)
            if href and href.strip()
            else None
        )
        if self._same_as_stored(url, canonical):
            run.skipped += 1  # the same article under another URL: stored once
            run.fetched_ok.append(url)
            return
        html, warning = decode_html(response)
        wall = is_bot_wall(html, self.settings.getlist("LTWATCH_BOT_WALL_MARKERS"))
        if wall:
            run.refused.append((url, response.status, "bot-wall page"))
            run.error(url, f"refused: a bot-protection page, not the article ({wall!r})")
            return
        if warning:
            run.warn(url, warning)
        run.fetched_ok.append(url)
        yield PageItem(
            source=run.source.name,
            url=url,
            canonical_url=canonical,
            http_status=response.status,
            content_type=content_type,
            etag=header(response, b"ETag"),
            last_modified=header(response, b"Last-Modified"),
            feed_title=entry.title,
            feed_published=entry.published,
            html=html,
        )

    def _same_as_stored(self, url: str, canonical: str | None) -> bool:
        """rel=canonical honoured after fetch: is this article stored (or being) already?"""
        if url in self.canonicals:
            return True
        if canonical is None or canonical == url:
            self.canonicals.add(url)
            return False
        if canonical in self.canonicals:
            return True
        assert self.store is not None
        try:
            if self.store.known_urls([canonical]):
                return True
        except psycopg.Error:
            pass  # store it: the pipeline's ON CONFLICT still prevents a duplicate URL
        self.canonicals.update((url, canonical))
        return False

    def page_failed(self, failure: Failure) -> None:
        run: SourceRun = failure.request.cb_kwargs["run"]
        url: str = failure.request.cb_kwargs["url"]
        run.pending -= 1
        message = describe_failure(failure, "page", self._max_size(failure))
        run.error(url, message, transient=is_transient(failure))
        status = refused_status(failure)
        if status is not None:
            run.refused.append((url, status, f"HTTP {status}"))
        self.logger.warning("%s: %s (%s)", run.source.name, run.errors[-1]["message"], url)

    def _max_size(self, failure: Failure) -> int:
        return int(
            failure.request.meta.get("download_maxsize") or self.settings.getint("DOWNLOAD_MAXSIZE")
        )

    def closed(self, reason: str) -> None:
        # Item pipelines have closed by now, so the per-source counters in the stats are final.
        if self.store is None:
            return
        stats = self.crawler.stats
        assert stats is not None
        try:
            for name, run in self.runs.items():
                if run.not_polled:
                    # No request was sent: a report that says why (pipeline.health reads
                    # "ok, 0 requests" as not polled, neither good nor bad).
                    self.store.finish_report(
                        self.run_id, name, status="ok", items_listed=0, pages_fetched=0,
                        pages_new=0, pages_skipped=0, message=run.not_polled, errors=[],
                    )  # fmt: skip
                    continue
                new = int(stats.get_value(stat_key("pages_new", name), 0))
                skipped = run.skipped + int(stats.get_value(stat_key("pages_skipped", name), 0))
                store_errors = stats.get_value(stat_key("store_errors", name)) or []
                run.errors.extend(store_errors)
                run.transient = run.transient or bool(store_errors)
                status, message = run.outcome(reason, new, skipped)
                if run.complete():
                    # Only now: a feed whose articles were not all fetched must be asked for
                    # in full next time, or a 304 would hide the missing ones.
                    self.store.save_feed_state(name, run.validators)
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
                    requests=int(stats.get_value(stat_key("requests", name), 0)),
                    not_modified=bool(run.listings) and run.not_modified == run.listings,
                )
                self.logger.info("%s: %s: %s", name, status, message)
                self._save_crawl_state(run)
        except psycopg.Error as exc:
            # The database is away (after retrying): said once, plainly, and turned into
            # the crawler's exit status (crawlers.commands.crawl); pipeline.crawl closes
            # the reports left running.
            stats.set_value("ltwatch/reports_not_written", first_line(exc))
            self.logger.error("crawl reports not written: %s", first_line(exc))
        finally:
            self.store.close()
            if self.crawl_state is not None:
                self.crawl_state.close()

    def _save_crawl_state(self, run: SourceRun) -> None:
        """Polling schedule and circuit breaker after this run of ``run``'s source."""
        assert self.crawl_state is not None
        name = run.source.name
        now = dt.datetime.now(dt.UTC)
        settings = self.settings
        interval = (
            run.source.min_interval * 60
            if run.source.min_interval is not None
            else settings.getfloat("LTWATCH_MIN_POLL_INTERVAL", 0)
        )
        state = after_poll(
            self.states[name],
            now,
            min_interval=interval,
            max_interval=settings.getfloat("LTWATCH_MAX_POLL_INTERVAL", 3600),
            hint=run.poll_hint,
        )
        if run.feed_refused:
            refused_run: bool | None = True
            why = run.feed_refused
        elif run.requested:
            refused_run = len(run.refused) >= run.requested and not run.fetched_ok
            statuses = sorted({reason for _, _, reason in run.refused})
            why = ", ".join(statuses) or "refused"
        else:
            refused_run, why = None, ""
        breaker = BreakerSettings(
            runs_to_pause=settings.getint("LTWATCH_REFUSED_RUNS_TO_PAUSE", 3),
            retry_hours=settings.getfloat("LTWATCH_PAUSE_RETRY_HOURS", 24),
            max_hours=settings.getfloat("LTWATCH_PAUSE_MAX_HOURS", 168),
        )
        state = after_articles(
            state,
            now,
            refused_run=refused_run,
            fetched=len(run.fetched_ok),
            probe=run.probe,
            why=why,
            breaker=breaker,
        )
        try:
            self.crawl_state.save(state)
            self.crawl_state.remember_refused(name, run.refused)
            self.crawl_state.forget_refused(name, run.fetched_ok)
        except psycopg.Error as exc:
            # The pages and the report are stored; only the schedule is lost for one run.
            self.logger.error("%s: crawl state not saved: %s", name, first_line(exc))
        if state.paused_at is not None and self.states[name].paused_at is None:
            self.logger.warning("%s: paused by the circuit breaker: %s", name, state.pause_reason)


def _requested_url(meta: dict[str, Any], url: str) -> str:
    """The URL first requested, before any redirect (what the source and feed_state name)."""
    redirects = meta.get("redirect_urls")
    return str(redirects[0]) if redirects else url
