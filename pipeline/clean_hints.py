"""Cleaning hints: the compiled contents of ``pipeline/data/cleaning_hints.yaml``.

Generic selectors and line patterns, and each shipped outlet's own (chosen by the page's
host), read once per process; a bad selector or pattern fails at load, naming where it is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from lxml.cssselect import CSSSelector

HINTS_PATH: Path = Path(__file__).parent / "data" / "cleaning_hints.yaml"


@dataclass(frozen=True)
class OutletHints:
    """One outlet's own selectors and line patterns, used on pages of its hosts."""

    name: str
    hosts: tuple[str, ...]
    drop_selectors: tuple[str, ...] = ()
    drop_line_patterns: tuple[re.Pattern[str], ...] = ()

    def serves(self, host: str) -> bool:
        return any(host == h or host.endswith("." + h) for h in self.hosts)


@dataclass(frozen=True)
class CleaningHints:
    """The compiled contents of ``cleaning_hints.yaml``."""

    drop_selectors: tuple[str, ...]
    drop_line_patterns: tuple[re.Pattern[str], ...]
    stop_line_patterns: tuple[re.Pattern[str], ...]
    leading_line_patterns: tuple[re.Pattern[str], ...] = ()
    outlets: tuple[OutletHints, ...] = ()

    def outlet_for(self, url: str | None) -> OutletHints | None:
        """The outlet whose hosts include ``url``'s host (``www.`` and subdomains too)."""
        host = (urlsplit(url).hostname or "") if url else ""
        return next((o for o in self.outlets if host and o.serves(host)), None)


def _patterns(raw: Iterable[str] | None, where: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in raw or ():
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ValueError(f"invalid pattern in cleaning hints ({where}): {pattern!r}") from exc
    return tuple(compiled)


@functools.cache
def load_hints(path: Path = HINTS_PATH) -> CleaningHints:
    """Read and compile the hints file once per process (it is read-only data)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    outlets = tuple(
        OutletHints(
            name=name,
            hosts=tuple(h.lower() for h in spec["hosts"]),
            drop_selectors=tuple(spec.get("drop_selectors") or ()),
            drop_line_patterns=_patterns(spec.get("drop_line_patterns"), name),
        )
        for name, spec in (raw.get("outlets") or {}).items()
    )
    for outlet in outlets:
        for css in outlet.drop_selectors:
            selector(css)  # a typo in an outlet's selector fails at load, not mid-run
    return CleaningHints(
        drop_selectors=tuple(raw.get("drop_selectors") or ()),
        drop_line_patterns=_patterns(raw.get("drop_line_patterns"), "drop_line_patterns"),
        stop_line_patterns=_patterns(raw.get("stop_line_patterns"), "stop_line_patterns"),
        leading_line_patterns=_patterns(raw.get("leading_line_patterns"), "leading_line_patterns"),
        outlets=outlets,
    )


@functools.cache
def selector(css: str) -> CSSSelector:
    # Compiling a selector means translating it to XPath: worth caching across pages.
    try:
        return CSSSelector(css, translator="html")
    except Exception as exc:  # cssselect raises several unrelated error types
        raise ValueError(f"invalid CSS selector in cleaning hints: {css!r}") from exc
