"""Reading what outlets send: RSS and Atom feeds, sitemaps, listing pages, HTML charsets.

Small functions over Scrapy responses, shared by the ``feeds`` spider and ``ltwatch
sources check``; no crawling and no database here. URLs are canonicalised the same way
everywhere (tracking parameters from ``LTWATCH_TRACKING_PARAMS`` dropped).
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from scrapy.http import Response, TextResponse
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.gz import gunzip
from w3lib.url import safe_url_string, url_query_cleaner

from crawlers import settings as crawler_settings

ATOM = "{http://www.w3.org/2005/Atom}"
DUBLIN_CORE = "{http://purl.org/dc/elements/1.1/}"

# Query parameters that only say how a reader arrived (campaigns, ad clicks, newsletters);
# the same article with and without them is one page. The list lives in the settings
# (LTWATCH_TRACKING_PARAMS), where a project changes it; this is its default.
DEFAULT_TRACKING_PARAMS = tuple(crawler_settings.LTWATCH_TRACKING_PARAMS)


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


# ---------------------------------------------------------------------------------------
# Feeds


class FeedError(Exception):
    """The feed response is not a usable feed; the message is the one-line report."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str | None
    title: str | None
    published: dt.datetime | None
    language: str | None = None  # a Google News sitemap's news:language


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
# Sitemaps

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass(frozen=True, slots=True)
class SitemapDoc:
    """A parsed sitemap: the child sitemaps of an index, or the entries of a urlset."""

    children: list[tuple[str, dt.datetime | None]]  # (loc, lastmod) of a sitemap index
    entries: list[FeedEntry]  # of a urlset; published = news:publication_date or lastmod


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _parse_xml(body: bytes, what: str) -> Any:
    # Strict on purpose (Scrapy's Sitemap class parses with recover=True, which would turn
    # a truncated sitemap into a silently shorter one): a broken document must be reported.
    # No entity resolution and no network: the document is untrusted input (XXE, billion
    # laughs).
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else None)
        where = f" at line {line}" if line else ""
        detail = (exc.msg or "").splitlines()[0].strip() if exc.msg else ""
        # libxml2 repeats the position at the end of its message; it is already in `where`.
        detail = re.sub(r",?\s*line \d+, column \d+$", "", detail)
        if not body.strip():
            raise FeedError(f"malformed {what}: empty response") from None
        raise FeedError(
            f"malformed {what}: XML syntax error{where}" + (f" ({detail})" if detail else "")
        ) from None


def sitemap_body(response: Response, max_size: int) -> bytes:
    """The XML of a sitemap response, gunzipped when it is a ``.xml.gz`` file.

    (A Content-Encoding: gzip is already undone by HttpCompressionMiddleware.)
    """
    body = response.body
    if body[:2] == b"\x1f\x8b":
        try:
            return gunzip(body, max_size=max_size)
        except _DecompressionMaxSizeExceeded:
            raise FeedError(f"sitemap too large: over {max_size} bytes once decompressed") from None
        except (OSError, EOFError) as exc:
            raise FeedError(f"malformed sitemap: bad gzip data ({exc})") from None
    return body


def parse_sitemap(response: Response, max_size: int = 50 * 1024 * 1024) -> SitemapDoc:
    """A sitemap index, urlset or Google News sitemap; :class:`FeedError` when broken."""
    if _looks_like_html(response):
        raise FeedError("not a sitemap: the sitemap URL returned an HTML page")
    root = _parse_xml(sitemap_body(response, max_size), "sitemap")
    tag = _local(root.tag)
    if tag == "sitemapindex":
        children = []
        for element in root:
            if _local(element.tag) != "sitemap":
                continue
            loc = (element.findtext(f"{SITEMAP_NS}loc") or element.findtext("loc") or "").strip()
            lastmod = _date(element.findtext(f"{SITEMAP_NS}lastmod") or element.findtext("lastmod"))
            if loc:
                children.append((loc, lastmod))
        return SitemapDoc(children, [])
    if tag != "urlset":
        hint = " (a feed: set kind: rss or atom)" if tag in ("rss", "feed") else ""
        raise FeedError(f"not a sitemap: root element is <{tag}>{hint}")
    entries = []
    for element in root:
        if _local(element.tag) != "url":
            continue
        loc = (element.findtext(f"{SITEMAP_NS}loc") or element.findtext("loc") or "").strip()
        news = element.find(f"{NEWS_NS}news")
        title = published = language = None
        if news is not None:
            title = _text(news.find(f"{NEWS_NS}title"))
            published = _date(news.findtext(f"{NEWS_NS}publication_date"))
            language = (news.findtext(f"{NEWS_NS}publication/{NEWS_NS}language") or "").strip()
        published = published or _date(
            element.findtext(f"{SITEMAP_NS}lastmod") or element.findtext("lastmod")
        )
        entries.append(FeedEntry(loc or None, title, published, language or None))
    return SitemapDoc([], entries)


# ---------------------------------------------------------------------------------------
# Listing pages


def parse_listing(response: Response, pattern: str) -> list[FeedEntry]:
    """Article links of an HTML section front page: ``<a href>`` whose absolute URL matches
    ``pattern`` (a regular expression, searched), in page order, with the link text as title.
    """
    if not isinstance(response, TextResponse) or not _looks_like_html(response):
        raise FeedError("not a listing page: the listing URL did not return HTML")
    regex = re.compile(pattern)
    entries = []
    for anchor in response.xpath("//a[@href]"):
        href = anchor.xpath("@href").get("").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = response.urljoin(href)
        if regex.search(url):
            title = " ".join(anchor.xpath("normalize-space(.)").get("").split()) or None
            entries.append(FeedEntry(url, title, None))
    return entries


_LATIN = {"cp1252", "iso8859-1", "latin-1", "latin1", "iso-8859-1", "windows-1252", "ascii"}


def decode_html(response: TextResponse) -> tuple[str, str | None]:
    """The page's text and, when its declared charset was wrong, a warning saying so.

    Scrapy decodes with the HTTP charset, then a BOM, then ``<meta charset>``, then by
    sniffing, so a missing charset is no fault. A wrong one is: a UTF-8 page served as
    ISO-8859-1 (common) decodes without error into mojibake ("TÃ¼rkiye"). Valid multi-byte
    UTF-8 almost never happens by chance in single-byte text, so such a page is read as
    UTF-8; bytes the declared charset cannot decode are replaced, and reported.
    """
    body = response.body
    encoding = response.encoding
    if body.isascii():
        return response.text, None
    try:
        body.decode(encoding)
        fits = True
    except (UnicodeDecodeError, LookupError):
        fits = False
    if fits and codecs.lookup(encoding).name not in _LATIN:
        return response.text, None
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        if fits:
            return response.text, None
        return response.text, (
            f"wrong charset: the bytes are not {encoding}; undecodable characters replaced"
        )
    return text, f"wrong charset: declared {encoding} but the page is UTF-8; read as UTF-8"


def header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    # Header bytes are ISO-8859-1 by HTTP's definition; strip stray whitespace only.
    return value.decode("latin-1").strip() or None if value else None
