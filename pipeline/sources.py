"""The sources file: which outlets' feeds to crawl, and hints for cleaning their pages.

The file is YAML, either a mapping with a ``sources:`` list or a bare list, one entry per
outlet::

    sources:
      - name: trt-world
        kind: rss                 # rss | atom | sitemap | html (see KINDS)
        url: https://www.trtworld.com/feed/rss
        allowed_domains: [trtworld.com]   # default: the feed URL's host
        language: en
        enabled: true
        drop_selectors: [".related-news"]  # cleaning hints for this source's pages
        # optional, every kind:
        download_delay: 2.0       # seconds between requests to this source's hosts
        concurrency: 2            # parallel requests to each of its hosts
        max_pages: 50             # article pages fetched per run at most
        # sitemap only: entries older than this (news:publication_date or lastmod) and
        # child sitemaps of an index not modified within it are not followed
        lookback_days: 2
        # html (a section front page) only: a regular expression an article URL matches
        link_pattern: "/news/\\d{4}/"
        # politeness across runs: the feed is not polled again sooner than this, and
        # longer when the feed asks for it (<ttl>, Cache-Control: max-age)
        min_interval: 10          # minutes
        # where and when the URLs were seen to work (or to fail): the source's evidence
        evidence:
          - {seen: "feed-health audit by a public project: 200, 100 items", date: 2026-09-28}
        # an outlet known to refuse crawlers: shipped disabled, with the reason; it is
        # crawled only when named explicitly (--only) or when enabled: true is written
        blocked: "answers 403 to crawlers"

Both the crawler (in its own process) and the cleaning stage read it through
:func:`load_sources`, so a mistake in it is reported the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class SourcesError(ValueError):
    """The sources file cannot be used; the message names the file and the faulty entry."""


# What a source's ``url`` is: an RSS 2.0 or Atom 1.0 feed, an XML sitemap (a urlset, a
# sitemap index or a Google News sitemap, optionally gzipped), or an HTML listing page whose
# links matching ``link_pattern`` are articles.
KINDS = ("rss", "atom", "sitemap", "html")


class Evidence(BaseModel):
    """Where a source's URL was seen working (or failing), and when: why it is shipped."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seen: str = Field(min_length=1)  # what was observed, and where (a public page, a repo)
    # when it was observed (the key is not "on": YAML 1.1 reads that as a boolean)
    date: dt.date


class Source(BaseModel):
    """One outlet's feed, sitemap or listing page."""

    # Typos in keys ("allowed_domain") would otherwise be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, pattern=r"^\S+$")
    kind: Literal["rss", "atom", "sitemap", "html"]
    url: str
    allowed_domains: list[str] = Field(default_factory=list)
    # The outlet's language. For a sitemap it is also a filter: entries whose
    # news:language (Google News sitemaps) names another language are not followed.
    language: str | None = None
    # Default: True, or False for a blocked source (see _blocked_off_unless_chosen).
    enabled: bool = True
    drop_selectors: list[str] = Field(default_factory=list)
    # Politeness per source: None means the crawler-wide setting (DOWNLOAD_DELAY,
    # CONCURRENT_REQUESTS_PER_DOMAIN).
    download_delay: float | None = Field(default=None, ge=0)
    concurrency: int | None = Field(default=None, ge=1)
    max_pages: int | None = Field(default=None, ge=0)
    lookback_days: float = Field(default=3, gt=0)
    link_pattern: str | None = None
    # Minutes between two polls of this source at least (None: every crawl run).
    min_interval: float | None = Field(default=None, ge=0)
    evidence: list[Evidence] = Field(default_factory=list)
    # Why this outlet refuses crawlers; a blocked source is shipped disabled.
    blocked: str | None = Field(default=None, min_length=1)

    @property
    def feed_language(self) -> str | None:
        """The primary language subtag ("en" for "en-GB"), lower case, for comparisons."""
        return language_tag(self.language)

    @field_validator("link_pattern")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        # A plain str, not pydantic's HttpUrl: that one rewrites the URL (adds a trailing
        # slash), and the feed URL must be requested and reported exactly as written.
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {value!r}")
        return value.strip()

    @field_validator("allowed_domains")
    @classmethod
    def _bare_domains(cls, value: list[str]) -> list[str]:
        # Domains are compared with URL host names, which carry neither scheme nor port.
        domains = []
        for domain in value:
            domain = domain.strip().lower().lstrip(".")
            if not domain or "/" in domain or ":" in domain:
                raise ValueError(f"not a bare domain name (no scheme, path or port): {domain!r}")
            domains.append(domain)
        return domains

    @model_validator(mode="before")
    @classmethod
    def _blocked_off_unless_chosen(cls, data: Any) -> Any:
        # A blocked outlet is off unless the file says `enabled: true` in so many words:
        # enabling it is a choice someone made knowing the reason, never a default.
        if isinstance(data, dict) and data.get("blocked") and "enabled" not in data:
            data = {**data, "enabled": False}
        return data

    @model_validator(mode="after")
    def _default_domains(self) -> Source:
        if self.kind == "html" and not self.link_pattern:
            raise ValueError("an html source needs a link_pattern (which links are articles)")
        if not self.allowed_domains:
            # The host without its port, so that a sample site on 127.0.0.1:8123 allows
            # 127.0.0.1 whatever port it is served on.
            host = urlsplit(self.url).hostname or ""
            object.__setattr__(self, "allowed_domains", [host.lower()])
        return self


def language_tag(value: str | None) -> str | None:
    """The primary subtag of a language tag, lower case: "en-US" → "en"; None stays None."""
    if not value or not value.strip():
        return None
    return re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()


def _describe(entry: Any, index: int) -> str:
    if isinstance(entry, dict) and entry.get("name"):
        return f"entry {index + 1} ({entry['name']!r})"
    return f"entry {index + 1}"


def _one_line(error: ValidationError) -> str:
    parts = []
    for detail in error.errors():
        where = ".".join(str(p) for p in detail["loc"])
        message = detail["msg"]
        if detail["type"] == "literal_error" and where == "kind":
            expected = ", ".join(repr(k) for k in KINDS)
            message = f"unknown kind {detail['input']!r} (expected one of {expected})"
        elif detail["type"] == "extra_forbidden":
            message = "unknown key"
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def load_sources(path: Path | str) -> list[Source]:
    """Every source in the file at ``path``, enabled or not, in file order.

    Raises :class:`SourcesError` for a missing or unreadable file, invalid YAML, an entry
    that is not a valid source (unknown kind, missing url, …) or a name used twice.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesError(f"{path}: sources file not found") from None
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read sources file: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourcesError(f"{path}: invalid YAML{where}: {problem}") from None

    if isinstance(data, dict):
        if set(data) - {"sources"}:
            unknown = ", ".join(sorted(str(k) for k in set(data) - {"sources"}))
            raise SourcesError(f"{path}: unknown top-level key(s): {unknown}")
        data = data.get("sources")
    if data is None:
        data = []
    if not isinstance(data, list):
        raise SourcesError(f"{path}: expected a list of sources (or a 'sources:' list)")

    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data):
        label = _describe(entry, index)
        if not isinstance(entry, dict):
            raise SourcesError(f"{path}: {label}: expected a mapping, got {type(entry).__name__}")
        try:
            source = Source.model_validate(entry)
        except ValidationError as exc:
            raise SourcesError(f"{path}: {label}: {_one_line(exc)}") from None
        if source.name in seen:
            raise SourcesError(
                f"{path}: {label}: duplicate source name {source.name!r} "
                f"(already used by entry {seen[source.name] + 1})"
            )
        seen[source.name] = index
        sources.append(source)
    return sources


def select_sources(sources: list[Source], only: list[str] | None = None) -> list[Source]:
    """The enabled sources, or exactly the ``only`` ones (even if disabled), in file order.

    Naming a source in ``only`` that is not in the file is an error, not a silent no-op.
    """
    if not only:
        return [s for s in sources if s.enabled]
    names = {s.name for s in sources}
    unknown = [name for name in only if name not in names]
    if unknown:
        raise SourcesError(f"unknown source(s): {', '.join(unknown)}")
    return [s for s in sources if s.name in only]
