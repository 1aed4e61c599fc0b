"""Turn a fetched news page into a :class:`~pipeline.records.CleanArticle`.

Three small steps, each taking and returning a tree or text (trafilatura style):

1. :func:`drop_elements` removes boilerplate *elements* (cookie banners, "Explore" and
   "Related" lists, captions, share bars...) from the lxml tree, by generic CSS selectors
   from ``pipeline/data/cleaning_hints.yaml`` plus a source's own ``drop_selectors``;
2. trafilatura extracts the body text and the metadata from what is left;
3. :func:`clean_text` removes leftover boilerplate *lines* ("2 min read", "SOURCE:...",
   "Reporting by ...") by the line patterns from the same file.

Selectors and patterns are data so that a new site's boilerplate is a YAML edit, not a
code change. Bump :data:`CLEANER_VERSION` whenever output may change, so that stored
articles cleaned by an older cleaner can be found and re-cleaned.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from configparser import ConfigParser
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

import yaml
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement
from trafilatura import bare_extraction, extract_metadata
from trafilatura.settings import DEFAULT_CONFIG
from trafilatura.utils import load_html

from pipeline.records import CleanArticle

__all__ = [
    "CLEANER_VERSION",
    "HINTS_PATH",
    "CleaningHints",
    "clean_page",
    "clean_text",
    "drop_elements",
    "load_hints",
]

CLEANER_VERSION: str = "1"

HINTS_PATH: Path = Path(__file__).parent / "data" / "cleaning_hints.yaml"

# Fallback date sources, most specific first; used only when trafilatura finds no date.
_DATE_XPATHS: tuple[str, ...] = (
    '//meta[@property="article:published_time"]/@content',
    '//meta[@name="article:published_time"]/@content',
    "//time[@datetime]/@datetime",
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class CleaningHints:
    """The compiled contents of ``cleaning_hints.yaml``."""

    drop_selectors: tuple[str, ...]
    drop_line_patterns: tuple[re.Pattern[str], ...]
    stop_line_patterns: tuple[re.Pattern[str], ...]


@functools.cache
def load_hints(path: Path = HINTS_PATH) -> CleaningHints:
    """Read and compile the hints file once per process (it is read-only data)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return CleaningHints(
        drop_selectors=tuple(raw.get("drop_selectors") or ()),
        drop_line_patterns=tuple(re.compile(p) for p in raw.get("drop_line_patterns") or ()),
        stop_line_patterns=tuple(re.compile(p) for p in raw.get("stop_line_patterns") or ()),
    )


@functools.cache
def _selector(css: str) -> CSSSelector:
    # Compiling a selector means translating it to XPath: worth caching across pages.
    try:
        return CSSSelector(css, translator="html")
    except Exception as exc:  # cssselect raises several unrelated error types
        raise ValueError(f"invalid CSS selector in cleaning hints: {css!r}") from exc


def drop_elements(tree: HtmlElement, selectors: Iterable[str]) -> HtmlElement:
    """Remove every element matched by one of ``selectors``, in place; returns ``tree``.

    ``drop_tree`` keeps each removed element's tail text, so text that merely follows a
    banner in the same parent is not lost.
    """
    for css in selectors:
        for element in _selector(css)(tree):
            if element is not tree and element.getparent() is not None:
                element.drop_tree()
    return tree


def _normalise_line(line: str) -> str:
    return " ".join(line.split())


def _is_boilerplate(line: str, hints: CleaningHints) -> bool:
    return any(p.search(line) for p in hints.drop_line_patterns)


def _is_stop_line(line: str, hints: CleaningHints) -> bool:
    return any(p.search(line) for p in hints.stop_line_patterns)


def clean_text(text: str, *, title: str | None = None) -> str:
    """Apply the line filters to plain text; returns one paragraph per line.

    Drops boilerplate lines, cuts the text at the first "end of article" marker (e.g. an
    "Explore" list of other headlines), drops repeats of the headline and exact duplicate
    lines (naive extractions often repeat the headline and teaser paragraphs).
    """
    hints = load_hints()
    skip = {_normalise_line(title).casefold()} if title else set()
    kept: list[str] = []
    for raw in text.splitlines():
        line = _normalise_line(raw)
        if not line:
            continue
        if _is_stop_line(line, hints):
            break
        if _is_boilerplate(line, hints) or line.casefold() in skip:
            continue
        skip.add(line.casefold())
        kept.append(line)
    return "\n".join(kept)


# A headline is a short line that does not end like a sentence.
_HEADLINE_MAX_WORDS = 20


def split_headline(text: str) -> tuple[str | None, str]:
    """``(headline, body)`` of cleaned plain text whose first line is the headline.

    Naive text extractions start with the page's headline; it says where an event took
    place ("… meets Haftar in Benghazi") when the body sentence does not.
    """
    first, _, rest = text.partition("\n")
    words = first.split()
    if (
        rest
        and 0 < len(words) <= _HEADLINE_MAX_WORDS
        and not first.rstrip().endswith((".", ":", "”", '"'))
    ):
        return first.strip(), rest
    return None, text


def _html_language(tree: HtmlElement) -> str | None:
    """Primary language subtag from ``<html lang>`` or ``og:locale`` ("en-US" → "en")."""
    candidates = [
        *tree.xpath("/html/@lang"),
        *tree.xpath("//@xml:lang[1]"),
        *tree.xpath('//meta[@property="og:locale"]/@content'),
    ]
    for value in candidates:
        primary = re.split(r"[-_]", str(value).strip())[0].lower()
        if primary.isalpha() and 2 <= len(primary) <= 3:
            return primary
    return None


def _markup_date(tree: HtmlElement) -> dt.date | None:
    """Publication date from explicit markup, for pages where trafilatura finds none."""
    for xpath in _DATE_XPATHS:
        for value in tree.xpath(xpath):
            found = _parse_date(str(value))
            if found is not None:
                return found
    return None


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    match = _ISO_DATE.search(value)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


@functools.cache
def _trafilatura_config() -> ConfigParser:
    """trafilatura's defaults, except that short bodies are trusted.

    With the default MIN_EXTRACTED_SIZE (250 characters) a short article (a two-paragraph
    wire brief) is handed to trafilatura's "baseline" fallback, which flattens the whole
    <article> into ONE line: the paragraphs and the headline are glued together and the
    line filters can no longer drop boilerplate lines.
    """
    config = deepcopy(DEFAULT_CONFIG)
    config["DEFAULT"]["MIN_EXTRACTED_SIZE"] = "1"
    return config


def _extract(tree: HtmlElement, url: str | None) -> tuple[dict[str, object], str]:
    """Run trafilatura on the pruned tree; returns (metadata dict, body text)."""
    document = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        # Recall over precision: short paragraphs and quotes must survive; boilerplate
        # is removed by our own selectors and line filters instead.
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        config=_trafilatura_config(),
    )
    if document is None:
        # Nothing extractable (e.g. no article body): still report what metadata says.
        document = extract_metadata(tree, default_url=url)
        return document.as_dict(), ""
    meta = document.as_dict()
    return meta, str(meta.get("text") or "")


def clean_page(
    html: str, url: str | None = None, *, drop_selectors: Sequence[str] = ()
) -> CleanArticle:
    """Clean one HTML page: metadata plus boilerplate-free text, one paragraph per line.

    ``drop_selectors`` are per-source CSS selectors, applied after the generic ones.
    A page without an article body gives an empty ``text``, never an exception.
    """
    tree = load_html(html)
    if tree is None:
        return CleanArticle(canonical_url=url)
    # Read language and markup date before pruning: a selector could remove a <time>.
    language = _html_language(tree)
    markup_date = _markup_date(tree)
    drop_elements(tree, (*load_hints().drop_selectors, *drop_selectors))
    meta, body = _extract(tree, url)
    title = _str_or_none(meta.get("title"))
    return CleanArticle(
        title=title,
        published=_parse_date(_str_or_none(meta.get("date"))) or markup_date,
        language=language or _str_or_none(meta.get("language")),
        author=_str_or_none(meta.get("author")),
        sitename=_str_or_none(meta.get("sitename")),
        canonical_url=_str_or_none(meta.get("url")) or url,
        text=clean_text(body, title=title),
    )


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
