"""Selector pruning that cannot remove the article itself.

Generic hints are substring selectors (``[class*=share]``, ``[class*=consent]``…) and real
pages put such words on the elements that *hold* the article: ``<body class="…
has-mobile-share …">``, ``<body class="segment--recommended">``, ``<article class="post
… social-…">``, a ``<div class="…-share-container">`` around the whole post. Removing
any of those empties the page. So every element a selector matches is checked before it
is removed: it is kept when it is ``<html>``, ``<body>``, ``<main>`` or ``<article>``,
or when it holds a large share of the page's running text (the main text, or an ancestor
of it). Boilerplate — banners, share bars, lists of other headlines — is a small part of
an article page's text; the article is not.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

__all__ = ["PROTECTED_TAGS", "Pruning", "SimpleSelectors", "prune"]

log = logging.getLogger(__name__)

PROTECTED_TAGS: frozenset[str] = frozenset({"html", "body", "main", "article"})

# Text nodes shorter than this are labels, links and buttons, not running text.
RUNNING_TEXT_MIN_CHARS = 25
# An element holding at least this share of the page's running text is (or contains)
# the main text and is never removed by a hint.
MAIN_TEXT_SHARE = 0.3


@dataclass
class Pruning:
    """What one pruning pass did, for logs and for the fallback decision."""

    removed: dict[str, int] = field(default_factory=dict)  # selector -> text chars removed
    refused: dict[str, str] = field(default_factory=dict)  # selector -> element it spared
    running_chars: int = 0  # running text on the page before pruning
    removed_elements: list[HtmlElement] = field(default_factory=list)

    @property
    def removed_chars(self) -> int:
        return sum(self.removed.values())

    def removed_text(self) -> str:
        """The text of everything removed, whitespace collapsed (computed on demand)."""
        return " ".join(" ".join(e.text_content().split()) for e in self.removed_elements)


_NOT_TEXT = ("script", "style", "noscript", "template")


def _running(text: str | None) -> int:
    n = len(text.strip()) if text else 0
    return n if n >= RUNNING_TEXT_MIN_CHARS else 0


def _running_chars(element: HtmlElement | None) -> int:
    """Characters of running text inside ``element`` (text nodes of 25+ characters)."""
    if element is None:
        return 0
    total = sum(map(_running, element.itertext()))
    # itertext() has no way to skip elements: take scripts and styles back out.
    return total - sum(_running(e.text) for e in element.iter(*_NOT_TEXT))


def _describe(element: HtmlElement) -> str:
    classes = (element.get("class") or "").split()
    return f"<{element.tag}{' class=' + '.'.join(classes[:3]) if classes else ''}>"


# The selector forms the generic hints use: a tag, `[class*=x]`, `[class^=x]`, `[id*=x]`,
# `[id^=x]` and `#x`. Matching them in one pass over the tree is several times faster
# than one XPath traversal per selector (libxml2 evaluates each `contains()` per element).
_SIMPLE = re.compile(
    r"(?P<tag>[a-z][a-z0-9]*)$"
    r"|\[(?P<attr>class|id)(?P<op>\*=|\^=)(?P<value>[\w-]+)\]$"
    r"|#(?P<id>[\w-]+)$"
)


class SimpleSelectors:
    """Selectors of the simple forms above, matched together in one pass over a tree.

    Candidates come from one XPath (elements with a class or an id, or of a listed tag),
    so no Python object is made for the many plain elements; all substring tests of an
    attribute are one regular expression.
    """

    def __init__(self, selectors: Sequence[str]) -> None:
        self.selectors = tuple(selectors)
        self._tests: list[tuple[str, Callable[[str, str, str], bool]]] = []
        tags: set[str] = set()
        parts: dict[str, list[str]] = {"class": [], "id": []}
        for css in self.selectors:
            m = _SIMPLE.match(css.strip())
            if m is None:
                raise ValueError(f"not a simple selector: {css!r}")
            self._tests.append((css, _test(m)))
            if m["tag"]:
                tags.add(m["tag"])
            elif m["id"]:
                parts["id"].append(f"^{re.escape(m['id'])}$")
            else:
                anchor = "^" if m["op"] == "^=" else ""
                parts[m["attr"]].append(anchor + re.escape(m["value"]))
        self._class = re.compile("|".join(parts["class"])) if parts["class"] else None
        self._id = re.compile("|".join(parts["id"])) if parts["id"] else None
        self._tags = frozenset(tags)
        wanted = ["@class", "@id", *(f"self::{t}" for t in sorted(tags))]
        self._candidates = etree.XPath(f"//*[{' or '.join(wanted)}]")

    @staticmethod
    def accepts(css: str) -> bool:
        return _SIMPLE.match(css.strip()) is not None

    def matches(self, tree: HtmlElement) -> list[tuple[str, HtmlElement]]:
        """``(selector, element)`` pairs in document order, first matching selector only."""
        found = []
        for element in self._candidates(tree):
            tag = element.tag
            classes, ident = element.get("class") or "", element.get("id") or ""
            if (
                tag in self._tags
                or (self._class is not None and classes and self._class.search(classes))
                or (self._id is not None and ident and self._id.search(ident))
            ):
                css = next(css for css, test in self._tests if test(tag, classes, ident))
                found.append((css, element))
        return found


def _test(m: re.Match[str]) -> Callable[[str, str, str], bool]:
    if m["tag"]:
        wanted = m["tag"]
        return lambda tag, classes, ident: tag == wanted
    if m["id"]:
        wanted = m["id"]
        return lambda tag, classes, ident: ident == wanted
    value = m["value"]
    if m["attr"] == "class":
        # CSS attribute selectors compare the whole attribute value, case-sensitively.
        if m["op"] == "*=":
            return lambda tag, classes, ident: value in classes
        return lambda tag, classes, ident: classes.startswith(value)
    if m["op"] == "*=":
        return lambda tag, classes, ident: value in ident
    return lambda tag, classes, ident: ident.startswith(value)


def prune(
    tree: HtmlElement,
    simple: SimpleSelectors,
    others: Iterable[tuple[str, Callable[[HtmlElement], list[HtmlElement]]]] = (),
) -> Pruning:
    """Remove what the selectors match, in place, unless it is protected.

    ``simple`` are matched in one pass; ``others`` are ``(css, compiled selector)`` pairs
    for any other selector form (outlets' and sources' own selectors).
    """
    report = Pruning(running_chars=_running_chars(tree.find("body")))
    threshold = MAIN_TEXT_SHARE * report.running_chars

    def drop(css: str, element: HtmlElement) -> None:
        if element is tree or element.getroottree().getroot() is not tree:
            return  # the root itself, or inside something removed already
        if element.tag in PROTECTED_TAGS:
            report.refused.setdefault(css, _describe(element))
            return
        # All of its text bounds its running text from above: most matches are small
        # widgets, and counting text nodes is only needed for the large ones.
        chars = len(element.text_content())
        if chars >= threshold:
            chars = _running_chars(element)
            if chars >= threshold:
                report.refused.setdefault(css, _describe(element))
                return
        element.drop_tree()  # keeps the element's tail text in the parent
        if chars:
            report.removed[css] = report.removed.get(css, 0) + chars
            report.removed_elements.append(element)

    for css, element in simple.matches(tree):
        drop(css, element)
    for css, select in others:
        for element in select(tree):
            drop(css, element)
    if report.refused:
        log.debug("cleaning hints spared the main text: %s", report.refused)
    return report
