"""Turn a fetched news page into a :class:`~pipeline.records.CleanArticle`.

Four small steps, each taking and returning a tree or text (trafilatura style):

1. :func:`drop_elements` removes boilerplate *elements* (cookie banners, "Explore" and
   "Related" lists, captions, share bars...) from the lxml tree, by generic CSS selectors
   from ``pipeline/data/cleaning_hints.yaml``, the outlet's own selectors from the same
   file (chosen by the page's host) and a source's ``drop_selectors``. Every match is
   checked first (:mod:`pipeline.clean_guard`): no hint removes ``<html>``, ``<body>``,
   ``<main>``, ``<article>`` or the element holding the main text;
2. trafilatura extracts the body text and the metadata from what is left;
3. :func:`clean_text` removes leftover boilerplate *lines* ("2 min read", "SOURCE:...",
   "Reporting by ...", wire subscriber disclaimers) by the line patterns of that file;
4. a safety net: when the result is far shorter than what stock trafilatura keeps from
   the untouched page, the hints misfired on this layout — stock trafilatura's text is
   used instead (still line-filtered) and a warning names the outlet.

Selectors and patterns are data so that a new site's boilerplate is a YAML edit, not a
code change. Bump :data:`CLEANER_VERSION` whenever output may change, so that stored
articles cleaned by an older cleaner can be found and re-cleaned.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Iterable, Sequence
from configparser import ConfigParser
from copy import deepcopy

from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction, extract_metadata
from trafilatura.settings import DEFAULT_CONFIG
from trafilatura.utils import load_html

from pipeline.clean_guard import Pruning, SimpleSelectors, prune
from pipeline.clean_hints import HINTS_PATH, CleaningHints, OutletHints, load_hints, selector
from pipeline.records import CleanArticle

__all__ = [
    "CLEANER_VERSION",
    "HINTS_PATH",
    "CleaningHints",
    "OutletHints",
    "clean_page",
    "clean_text",
    "drop_elements",
    "load_hints",
]

# 2: hints checked against the element they remove, outlet hints, no favor_recall, stock
#    trafilatura as a safety net, subscriber-disclaimer and leading-label line patterns.
CLEANER_VERSION: str = "2"

log = logging.getLogger(__name__)


# Fallback date sources, most specific first; used only when trafilatura finds no date.
_DATE_XPATHS: tuple[str, ...] = (
    '//meta[@property="article:published_time"]/@content',
    '//meta[@name="article:published_time"]/@content',
    "//time[@datetime]/@datetime",
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


# The safety net compares *prose*: characters in lines of PROSE_LINE_CHARS or more. A
# menu or a list of links picked by mistake is long but has no prose.
PROSE_LINE_CHARS = 60
# Stock trafilatura is only run when the hinted result has little prose: under this
# share of the page's running text (text nodes of 25+ characters, counted while pruning)
# or under SHORT_BODY_CHARS. An article's body is a large part of its page's running text.
# (On the shared page corpus every misfire is under 0.15; 0.2 runs stock on 7 % of pages.)
SUSPECT_SHARE = 0.2
SHORT_BODY_CHARS = 500
# ... and its text replaces ours when its prose (leaving out lines of elements the hints
# removed) is more than FALLBACK_RATIO times ours and at least FALLBACK_MIN_GAIN more.
FALLBACK_RATIO = 2.0
FALLBACK_MIN_GAIN = 200


def drop_elements(tree: HtmlElement, selectors: Iterable[str]) -> Pruning:
    """Remove the elements ``selectors`` match, in place, except protected ones.

    ``<html>``, ``<body>``, ``<main>``, ``<article>`` and any element holding a large
    share of the page's running text are never removed (see :mod:`pipeline.clean_guard`).
    ``drop_tree`` keeps each removed element's tail text, so text that merely follows a
    banner in the same parent is not lost. Returns what was removed and what was spared.
    """
    selectors = tuple(selectors)
    simple = _simple_selectors(tuple(s for s in selectors if SimpleSelectors.accepts(s)))
    others = [(css, selector(css)) for css in selectors if not SimpleSelectors.accepts(css)]
    return prune(tree, simple, others)


@functools.cache
def _simple_selectors(selectors: tuple[str, ...]) -> SimpleSelectors:
    return SimpleSelectors(selectors)


def _normalise_line(line: str) -> str:
    return " ".join(line.split())


def _matches(line: str, patterns: Iterable[re.Pattern[str]]) -> bool:
    return any(p.search(line) for p in patterns)


def clean_text(text: str, *, title: str | None = None, outlet: OutletHints | None = None) -> str:
    """Apply the line filters to plain text; returns one paragraph per line.

    Drops boilerplate lines (the generic ones and ``outlet``'s), section labels before
    the first kept line, cuts the text at the first "end of article" marker (e.g. an
    "Explore" list of other headlines), drops repeats of the headline and exact duplicate
    lines (naive extractions often repeat the headline and teaser paragraphs).
    """
    hints = load_hints()
    drop = (*hints.drop_line_patterns, *(outlet.drop_line_patterns if outlet else ()))
    skip = {_normalise_line(title).casefold()} if title else set()
    kept: list[str] = []
    for raw in text.splitlines():
        line = _normalise_line(raw)
        if not line:
            continue
        if _matches(line, hints.stop_line_patterns):
            break
        if _matches(line, drop) or line.casefold() in skip:
            continue
        # A line in capitals above the story is a section label ("MIDDLE EAST"); inside
        # it, the same shape is a sub-heading, which is part of the body.
        if not kept and _matches(line, hints.leading_line_patterns):
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

    (Measured on the shared page corpus, this also extracts more of the body than the
    default 250 does, at no cost in precision: ``bench/bench_clean.py``.)

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
        # fast: no readability/justext comparison (about a third of trafilatura's time).
        # Where that comparison would have mattered (a menu or a short block picked over
        # the story) the safety net in clean_page runs stock trafilatura instead.
        fast=True,
        # Not favor_recall: on some layouts (Reuters 2024, Anadolu 2026) it picks a
        # header element over the story and keeps only the headline and credits; on the
        # shared corpus it loses body and precision (bench/bench_clean.py).
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


# Elements trafilatura throws away unread (its tree cleaning removes them): scripts other
# than the JSON-LD its metadata reads (htmldate reads the same two types), styles, inline
# SVG, templates. Removing them first makes every copy trafilatura takes of the tree
# cheaper; on client-rendered pages a JSON state blob is most of the page.
_INERT = etree.XPath(
    "//script[not(@type='application/ld+json' or @type='application/settings+json')]"
    " | //style | //svg | //template"
)


def _strip_inert(tree: HtmlElement) -> None:
    for element in _INERT(tree):
        if element.getparent() is not None:
            element.drop_tree()  # keeps its tail text


def clean_page(
    html: str, url: str | None = None, *, drop_selectors: Sequence[str] = ()
) -> CleanArticle:
    """Clean one HTML page: metadata plus boilerplate-free text, one paragraph per line.

    ``drop_selectors`` are per-source CSS selectors, applied with the generic hints and
    the outlet's own (chosen by ``url``'s host). A page without an article body gives an
    empty ``text``, never an exception.
    """
    tree = load_html(html)
    if tree is None:
        return CleanArticle(canonical_url=url)
    hints = load_hints()
    outlet = hints.outlet_for(url)
    # Read language and markup date before pruning: a selector could remove a <time>.
    language = _html_language(tree)
    markup_date = _markup_date(tree)
    _strip_inert(tree)
    outlet_selectors = outlet.drop_selectors if outlet else ()
    pruning = drop_elements(tree, (*hints.drop_selectors, *outlet_selectors, *drop_selectors))
    meta, body = _extract(tree, url)
    title = _str_or_none(meta.get("title"))
    text = clean_text(body, title=title, outlet=outlet)
    if _looks_short(text, pruning):
        text = _stock_if_much_longer(html, url, text, title=title, outlet=outlet, pruning=pruning)
    return CleanArticle(
        title=title,
        published=_parse_date(_str_or_none(meta.get("date"))) or markup_date,
        language=language or _str_or_none(meta.get("language")),
        author=_str_or_none(meta.get("author")),
        sitename=_str_or_none(meta.get("sitename")),
        canonical_url=_str_or_none(meta.get("url")) or url,
        text=text,
    )


def _prose_chars(lines: Iterable[str]) -> int:
    return sum(len(line) for line in lines if len(line) >= PROSE_LINE_CHARS)


def _looks_short(text: str, pruning: Pruning) -> bool:
    prose = _prose_chars(text.split("\n"))
    return prose < max(SHORT_BODY_CHARS, SUSPECT_SHARE * pruning.running_chars)


def _stock_if_much_longer(
    html: str,
    url: str | None,
    text: str,
    *,
    title: str | None,
    outlet: OutletHints | None,
    pruning: Pruning,
) -> str:
    """Stock trafilatura's (line-filtered) text when it keeps far more prose than ``text``.

    Stock's lines that lie inside elements the hints removed on purpose (widgets, teaser
    lists: small blocks the guard let go) do not count as "more": removing them is the
    hints' job. What is left over is text the hinted run lost by picking the wrong part
    of the page.
    """
    # Stock = trafilatura.extract's defaults on the untouched page (parsed again: the
    # first tree has been pruned).
    document = bare_extraction(html, url=url, include_comments=False)
    stock = clean_text(document.text or "", title=title, outlet=outlet) if document else ""
    removed = pruning.removed_text()
    ours = _prose_chars(text.split("\n"))
    unexplained = _prose_chars(line for line in stock.split("\n") if line not in removed)
    if unexplained < max(FALLBACK_RATIO * ours, ours + FALLBACK_MIN_GAIN):
        return text
    log.warning(
        "cleaning hints misfired on %s (%s): kept %d characters of prose where stock"
        " trafilatura keeps %d; using stock trafilatura's text. Selectors that removed"
        " text: %s",
        outlet.name if outlet else "an outlet without its own hints",
        url or "a page without URL",
        ours,
        unexplained,
        ", ".join(f"{css} ({chars} chars)" for css, chars in pruning.removed.items()) or "none",
    )
    return stock


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
