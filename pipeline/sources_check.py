"""``ltwatch sources check``: does each source's feed, sitemap or listing page answer and parse?

One plain GET per source (urllib, a short time-out, a few in parallel), no robots.txt, no
retries, nothing stored: a quick verdict for whoever edits the sources file. The response is
parsed by the crawler's own parsers, so "ok" here means the crawler can read it too.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawlers.spiders.feeds import FeedError, parse_feed, parse_listing, parse_sitemap
from pipeline.settings import get_settings
from pipeline.sources import Source

MAX_BYTES = 50 * 1024 * 1024

Verdict = Literal["ok", "empty", "http-error", "not-a-feed", "unreachable"]


@dataclass(frozen=True)
class SourceCheck:
    source: str
    kind: str
    url: str
    verdict: Verdict
    items: int  # entries listed (child sitemaps for a sitemap index)
    detail: str  # one line: what was found, or what went wrong
    status: int | None = None
    seconds: float = 0.0


def _fetch(url: str, timeout: float, user_agent: str) -> tuple[int, str, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "*/*"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read(MAX_BYTES + 1)
        return response.status, response.geturl(), dict(response.headers.items()), body


def check_source(
    source: Source, *, timeout: float = 15, user_agent: str | None = None
) -> SourceCheck:
    """Fetch ``source.url`` once and say whether it parses, and how many items it lists."""
    agent = user_agent or get_settings().user_agent
    started = time.monotonic()

    def result(
        verdict: Verdict, detail: str, items: int = 0, status: int | None = None
    ) -> SourceCheck:
        return SourceCheck(
            source.name, source.kind, source.url, verdict, items, detail, status,
            round(time.monotonic() - started, 2),
        )  # fmt: skip

    try:
        status, final_url, headers, body = _fetch(source.url, timeout, agent)
    except urllib.error.HTTPError as exc:
        return result("http-error", f"HTTP {exc.code} {exc.reason}", status=exc.code)
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.gaierror):
            return result("unreachable", "DNS lookup failed")
        if isinstance(reason, TimeoutError | socket.timeout):
            return result("unreachable", f"timed out after {timeout:g} s")
        return result("unreachable", str(reason)[:200])
    except TimeoutError:
        return result("unreachable", f"timed out after {timeout:g} s")
    except (OSError, ValueError) as exc:
        return result("unreachable", f"{type(exc).__name__}: {str(exc)[:200]}")
    if len(body) > MAX_BYTES:
        return result("not-a-feed", f"larger than {MAX_BYTES} bytes", status=status)
    scrapy_headers = Headers(headers)
    cls = responsetypes.from_args(headers=scrapy_headers, url=final_url, body=body)
    response = cls(url=final_url, status=status, headers=scrapy_headers, body=body)
    moved = f" (redirected to {final_url})" if final_url != source.url else ""
    try:
        if source.kind in ("rss", "atom"):
            items = len(parse_feed(response, source.kind))
            what = "feed items"
        elif source.kind == "html":
            assert source.link_pattern is not None
            items = len({e.link for e in parse_listing(response, source.link_pattern)})
            what = "article links"
        else:
            doc = parse_sitemap(response, MAX_BYTES)
            items = len(doc.children) or len(doc.entries)
            what = "child sitemaps (a sitemap index)" if doc.children else "URLs"
    except FeedError as exc:
        return result("not-a-feed", str(exc), status=status)
    if not items:
        return result("empty", f"parses, but lists no {what}{moved}", status=status)
    return result("ok", f"{items} {what}{moved}", items=items, status=status)


def check_sources(
    sources: Sequence[Source], *, timeout: float = 15, workers: int = 8
) -> list[SourceCheck]:
    """:func:`check_source` for each source, a few at a time, in the given order."""
    if not sources:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(sources)))) as pool:
        return list(pool.map(lambda s: check_source(s, timeout=timeout), sources))
