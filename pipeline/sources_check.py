"""``ltwatch sources check``: would the crawler get articles out of each source, today?

Per source, as the crawler would and with its User-Agent: robots.txt for the feed's host,
the feed / sitemap / listing page (any Content-Encoding decoded, asked for or not; a
sitemap index is followed to its first child), robots.txt for one sampled article's host,
that article, and the article cleaned by the project's cleaner. Nothing is stored, nothing
is retried, and nothing robots.txt disallows is fetched.

A source is ``ok`` only when its feed parses and lists items, the sampled article answers
200 with a page that is not a bot wall, and its cleaned body is not empty. Otherwise the
verdict names the first thing that failed.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin, urlsplit

import urllib3
from protego import Protego
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawlers import settings as crawler_settings
from crawlers.crawl_state import is_bot_wall
from crawlers.parsing import (
    FeedEntry,
    FeedError,
    canonicalize,
    decode_html,
    parse_feed,
    parse_listing,
    parse_sitemap,
)
from pipeline.settings import get_settings
from pipeline.sources import Source, language_tag

MAX_BYTES = 50 * 1024 * 1024

Verdict = Literal[
    "ok",
    "empty",
    "http-error",
    "not-a-feed",
    "unreachable",
    "robots-disallowed",
    "article-refused",
    "article-error",
    "article-empty",
]


@dataclass(frozen=True)
class SourceCheck:
    source: str
    kind: str
    url: str
    verdict: Verdict
    items: int  # entries listed (child sitemaps for a sitemap index)
    detail: str  # one line: what was found, or what went wrong
    status: int | None = None  # the feed's HTTP status
    seconds: float = 0.0
    robots: str = "—"  # robots.txt verdict for the feed and the sampled article
    article_url: str | None = None
    article_status: str = "—"  # "200", "HTTP 401", "bot wall", "not fetched: …"
    body_chars: int | None = None  # cleaned body length of the sampled article
    blocked: str | None = None  # the sources file's reason, when the source is blocked


@dataclass
class _Fetched:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes


class _FetchError(Exception):
    """Unreachable: the message is the one-line reason."""


@dataclass
class _Client:
    """One HTTP pool per check run; robots.txt parsers cached per host."""

    timeout: float
    user_agent: str
    pool: urllib3.PoolManager = field(init=False)
    # host → (parser, what was found); parser None: unreachable (what is the reason), or
    # answering 5xx (RFC 9309: complete disallow)
    robots: dict[str, tuple[Protego | None, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.pool = urllib3.PoolManager(
            headers={"User-Agent": self.user_agent, "Accept": "*/*"},
            timeout=urllib3.Timeout(total=self.timeout),
            retries=urllib3.Retry(total=False, redirect=5, raise_on_redirect=False),
        )

    def get(self, url: str) -> _Fetched:
        try:
            # decode_content: gzip, deflate, br and zstd are undone whether or not they
            # were asked for (Middle East Eye sends gzip unasked).
            response = self.pool.request(
                "GET", url, preload_content=False, decode_content=True, redirect=True
            )
        except urllib3.exceptions.MaxRetryError as exc:
            raise _FetchError(_reason(exc.reason or exc, self.timeout)) from None
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            raise _FetchError(_reason(exc, self.timeout)) from None
        try:
            body = response.read(amt=MAX_BYTES + 1, decode_content=True)
        except urllib3.exceptions.DecodeError as exc:
            encoding = response.headers.get("Content-Encoding")
            raise _FetchError(f"undecodable {encoding} body: {exc}") from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise _FetchError(_reason(exc, self.timeout)) from None
        finally:
            response.release_conn()
        final = response.geturl() or url
        return _Fetched(response.status, urljoin(url, final), dict(response.headers), body)

    def allowed(self, url: str) -> tuple[bool | None, str]:
        """(allowed?, verdict text) under the host's robots.txt, as RFC 9309 reads it;
        None when the host does not answer at all (then the URL would not either)."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self.robots:
            try:
                fetched = self.get(f"{host}/robots.txt")
            except _FetchError as exc:
                self.robots[host] = (None, str(exc))
            else:
                if fetched.status >= 500:
                    # RFC 9309: a server error on robots.txt means complete disallow.
                    why = f"disallowed: {host}/robots.txt answers HTTP {fetched.status}"
                    self.robots[host] = (None, why)
                elif fetched.status >= 400:
                    self.robots[host] = (Protego.parse(""), "no robots.txt")
                else:
                    text = fetched.body.decode("utf-8", errors="replace")
                    self.robots[host] = (Protego.parse(text), "robots.txt")
        parser, what = self.robots[host]
        if parser is None:
            return (False if what.startswith("disallowed") else None), what
        if parser.can_fetch(url, self.user_agent):
            return True, "allowed" if what == "robots.txt" else what
        return False, f"disallowed by {host}/robots.txt"


def _reason(exc: BaseException, timeout: float) -> str:
    text = str(exc)
    if isinstance(exc, urllib3.exceptions.NameResolutionError) or isinstance(
        getattr(exc, "__cause__", None), socket.gaierror
    ):
        return "DNS lookup failed"
    # Before the time-out test: urllib3's NewConnectionError is a ConnectTimeoutError too.
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "connection refused" if "refused" in text.lower() else text[:200]
    if isinstance(exc, urllib3.exceptions.TimeoutError | TimeoutError):
        return f"timed out after {timeout:g} s"
    return f"{type(exc).__name__}: {text[:200]}"


def _response(fetched: _Fetched):  # a Scrapy response, for the crawler's own parsers
    headers = Headers(fetched.headers)
    # The body is decoded already: the header must not make anyone decode it again.
    headers.pop(b"Content-Encoding", None)
    cls = responsetypes.from_args(headers=headers, url=fetched.url, body=fetched.body)
    return cls(url=fetched.url, status=fetched.status, headers=headers, body=fetched.body)


def _entries(
    client: _Client, source: Source, fetched: _Fetched
) -> tuple[int, str, list[FeedEntry]]:
    """(items listed, what they are, entries to sample an article from); FeedError when
    the listing is broken."""
    response = _response(fetched)
    if source.kind in ("rss", "atom"):
        entries = parse_feed(response, source.kind)
        return len(entries), "feed items", entries
    if source.kind == "html":
        assert source.link_pattern is not None
        unique = {e.link: e for e in parse_listing(response, source.link_pattern)}
        return len(unique), "article links", list(unique.values())
    doc = parse_sitemap(response, MAX_BYTES)
    if not doc.children:
        entries = _in_language(source, doc.entries)
        return len(entries), "URLs", entries
    # A sitemap index: its first child stands for the rest (the crawler reads them all).
    child = urljoin(fetched.url, doc.children[0][0])
    try:
        entries = _in_language(
            source, parse_sitemap(_response(client.get(child)), MAX_BYTES).entries
        )
    except (_FetchError, FeedError):
        entries = []
    return len(doc.children), "child sitemaps (a sitemap index)", entries


def _in_language(source: Source, entries: list[FeedEntry]) -> list[FeedEntry]:
    wanted = source.feed_language
    if wanted is None:
        return entries
    return [e for e in entries if language_tag(e.language) in (None, wanted)]


def check_source(
    source: Source, *, timeout: float = 15, user_agent: str | None = None
) -> SourceCheck:
    """Check ``source`` as the crawler would see it (see the module docstring)."""
    client = _Client(timeout, user_agent or get_settings().user_agent)
    started = time.monotonic()
    robots: list[str] = []

    def result(verdict: Verdict, detail: str, **extra: object) -> SourceCheck:
        return SourceCheck(
            source=source.name, kind=source.kind, url=source.url, verdict=verdict,
            detail=detail, seconds=round(time.monotonic() - started, 2),
            robots="; ".join(robots) or "—", blocked=source.blocked,
            **{"items": 0, **extra},  # type: ignore[arg-type]
        )  # fmt: skip

    allowed, why = client.allowed(source.url)
    if allowed is None:
        return result("unreachable", why)
    robots.append(f"feed: {why}")
    if not allowed:
        return result("robots-disallowed", f"the feed is {why}")
    try:
        fetched = client.get(source.url)
    except _FetchError as exc:
        return result("unreachable", str(exc))
    if fetched.status >= 400:
        return result("http-error", f"HTTP {fetched.status} from the feed", status=fetched.status)
    if len(fetched.body) > MAX_BYTES:
        return result("not-a-feed", f"larger than {MAX_BYTES} bytes", status=fetched.status)
    moved = f" (redirected to {fetched.url})" if fetched.url != source.url else ""
    try:
        items, what, entries = _entries(client, source, fetched)
    except FeedError as exc:
        return result("not-a-feed", str(exc), status=fetched.status)
    if not items:
        return result("empty", f"parses, but lists no {what}{moved}", status=fetched.status)
    found = f"{items} {what}{moved}"
    links = [e.link for e in entries if e.link]
    if not links:
        return result("empty", f"{found}, but no article link", items=items, status=fetched.status)
    tracking = crawler_settings.LTWATCH_TRACKING_PARAMS
    article = canonicalize(urljoin(fetched.url, links[0]), tracking)

    # -- the sampled article ---------------------------------------------------------
    common: dict[str, object] = {"items": items, "status": fetched.status, "article_url": article}
    allowed, why = client.allowed(article)
    robots.append(f"article: {why}")
    if allowed is None:
        return result("article-error", f"{found}; article {why}", article_status=why, **common)
    if not allowed:
        detail = f"{found}; the sampled article is {why}"
        return result("robots-disallowed", detail, article_status="not fetched: robots", **common)
    try:
        page = client.get(article)
    except _FetchError as exc:
        return result("article-error", f"{found}; article {exc}", article_status=str(exc), **common)
    if page.status >= 400:
        verdict = "article-refused" if page.status in (401, 403) else "article-error"
        return result(
            verdict,
            f"{found}; the sampled article answers HTTP {page.status}",
            article_status=f"HTTP {page.status}",
            **common,
        )
    response = _response(page)
    html = decode_html(response)[0] if hasattr(response, "text") else ""
    wall = is_bot_wall(html, crawler_settings.LTWATCH_BOT_WALL_MARKERS)
    if wall:
        return result(
            "article-refused",
            f"{found}; the sampled article is a bot-protection page ({wall!r})",
            article_status="bot wall",
            **common,
        )
    from pipeline.clean import clean_page  # trafilatura: loaded only when needed

    body = len(clean_page(html, article, drop_selectors=source.drop_selectors).text)
    common.update(article_status=str(page.status), body_chars=body)
    if not body:
        return result("article-empty", f"{found}; the cleaned article is empty", **common)
    return result("ok", f"{found}; article cleaned: {body} characters", **common)


def check_sources(
    sources: Sequence[Source], *, timeout: float = 15, workers: int = 8
) -> list[SourceCheck]:
    """:func:`check_source` for each source, a few at a time, in the given order."""
    if not sources:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(sources)))) as pool:
        return list(pool.map(lambda s: check_source(s, timeout=timeout), sources))
