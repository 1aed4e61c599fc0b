"""A source's crawl state across runs: when to poll it next, and the circuit breaker.

Two politeness rules that a single run cannot keep by itself, so they live in the database
(``source_crawl_state``, ``refused_urls``, migration 0005) and are shared by every worker:

- **Polling schedule.** A feed is not polled again before its source's minimum interval
  (``min_interval`` in the sources file, else ``LTWATCH_MIN_POLL_INTERVAL``), nor before
  what the feed itself asks when that is longer: RSS ``<ttl>`` (minutes) or the response's
  ``Cache-Control: max-age``, capped at ``LTWATCH_MAX_POLL_INTERVAL``. So the crawl may be
  scheduled every few minutes and each outlet still sees the rate it asked for.
- **Circuit breaker.** A run in which every article requested from a source was refused
  (HTTP 401/403, or a 200 that is a bot wall) is a *refused run*. After
  ``LTWATCH_REFUSED_RUNS_TO_PAUSE`` of them in a row the source is paused; a paused source
  is not crawled until ``paused_until``, when one article is tried (a *probe*); a refused
  probe doubles the pause (up to ``LTWATCH_PAUSE_MAX_HOURS``), a good one ends it. The
  refused URLs are remembered and only probes ask for them again. Operators hear of each
  pause and each resumption once (:mod:`pipeline.health` reads the ``*_notified_at``
  columns).

The decisions are pure functions over :class:`SourceState`; :class:`CrawlStateStore` only
loads and saves them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

import psycopg
from lxml import etree
from psycopg.rows import dict_row

if TYPE_CHECKING:
    from scrapy.http import Response

REFUSED_STATUSES = frozenset({401, 403})
# How the crawl report of a source left alone this run begins (status "ok", no request
# sent); pipeline.health counts such a run as neither good nor bad.
NOT_POLLED = "not polled this run: "
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)", re.I)


@dataclass
class SourceState:
    """One ``source_crawl_state`` row (defaults: a source never crawled)."""

    source: str
    last_polled_at: dt.datetime | None = None
    next_poll_at: dt.datetime | None = None
    poll_reason: str | None = None
    consecutive_refused: int = 0
    paused_at: dt.datetime | None = None
    paused_until: dt.datetime | None = None
    pause_hours: float | None = None
    pause_reason: str | None = None
    pause_notified_at: dt.datetime | None = None
    resumed_at: dt.datetime | None = None
    resume_notified_at: dt.datetime | None = None
    refused: set[str] = field(default_factory=set)  # article URLs refused before


@dataclass(frozen=True)
class BreakerSettings:
    runs_to_pause: int = 3
    retry_hours: float = 24.0
    max_hours: float = 7 * 24.0


Action = Literal["poll", "probe", "skip"]


def _utc(value: dt.datetime) -> str:
    return f"{value.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"


def decide(
    state: SourceState, now: dt.datetime, *, grace: float = 60.0
) -> tuple[Action, str | None]:
    """Whether this run polls the source, probes it (paused, retry due) or skips it, and
    for a skip the one-line reason for its crawl report."""
    if state.paused_at is not None:
        if state.paused_until is not None and now < state.paused_until:
            return "skip", (
                f"{NOT_POLLED}paused by the circuit breaker since {_utc(state.paused_at)} "
                f"({state.pause_reason or 'articles refused'}); next try {_utc(state.paused_until)}"
            )
        return "probe", None
    if state.next_poll_at is not None and state.last_polled_at is not None:
        interval = (state.next_poll_at - state.last_polled_at).total_seconds()
        # A scheduler that starts a run a few seconds early must not halve the rate.
        early = min(grace, interval / 5)
        if now < state.next_poll_at - dt.timedelta(seconds=early):
            why = f" ({state.poll_reason})" if state.poll_reason else ""
            return "skip", (
                f"{NOT_POLLED}polled {_utc(state.last_polled_at)}, "
                f"next poll due {_utc(state.next_poll_at)}{why}"
            )
    return "poll", None


def poll_hint(response: Response, kind: str) -> tuple[float, str] | None:
    """How long the feed asks to be left alone: the larger of RSS ``<ttl>`` (minutes) and
    ``Cache-Control: max-age`` (seconds), with the reason; None when it asks nothing."""
    hints: list[tuple[float, str]] = []
    control = response.headers.get(b"Cache-Control")
    if control:
        text = control.decode("latin-1")
        match = _MAX_AGE.search(text)
        if match and "no-cache" not in text.lower() and "no-store" not in text.lower():
            hints.append((float(match[1]), f"Cache-Control: max-age={match[1]}"))
    if kind == "rss" and response.status == 200 and b"<ttl" in response.body[:65536]:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            root = etree.fromstring(response.body, parser=parser)
        except etree.XMLSyntaxError:
            root = None
        ttl = (root.findtext("channel/ttl") or "").strip() if root is not None else ""
        if ttl.isdigit() and int(ttl) > 0:
            hints.append((int(ttl) * 60.0, f"<ttl>{ttl}</ttl>"))
    return max(hints) if hints else None


def after_poll(
    state: SourceState,
    now: dt.datetime,
    *,
    min_interval: float,
    max_interval: float,
    hint: tuple[float, str] | None,
) -> SourceState:
    """The schedule after a poll: next poll after the minimum interval, or after what the
    feed asked when longer (never longer than ``max_interval`` seconds)."""
    wait = min_interval
    reason = f"minimum interval {min_interval / 60:g} min" if min_interval else None
    if hint is not None:
        asked, what = hint
        asked = min(asked, max_interval)
        if asked > wait:
            wait, reason = asked, f"the feed asks {what}"
    return replace(
        state,
        last_polled_at=now,
        next_poll_at=now + dt.timedelta(seconds=wait),
        poll_reason=reason,
    )


def after_articles(
    state: SourceState,
    now: dt.datetime,
    *,
    refused_run: bool | None,
    fetched: int,
    probe: bool,
    why: str,
    breaker: BreakerSettings,
) -> SourceState:
    """The breaker after a run: ``refused_run`` is True when every article requested (or
    the feed) was refused, False when an article came through, None when nothing was
    asked; ``fetched`` articles came through; ``why`` names the refusal ("HTTP 401")."""
    if fetched and not refused_run:
        if state.paused_at is not None:  # a good probe (or a run chosen explicitly)
            return replace(
                state,
                consecutive_refused=0,
                paused_at=None,
                paused_until=None,
                pause_hours=None,
                pause_reason=None,
                resumed_at=now,
                resume_notified_at=None,
            )
        return replace(state, consecutive_refused=0)
    if refused_run is None:
        if probe and state.paused_at is not None:  # nothing to try: ask again later
            hours = state.pause_hours or breaker.retry_hours
            return replace(state, paused_until=now + dt.timedelta(hours=hours))
        return state
    if not refused_run:
        return replace(state, consecutive_refused=0)
    refused = state.consecutive_refused + 1
    if state.paused_at is not None:  # a refused probe: wait twice as long
        hours = min((state.pause_hours or breaker.retry_hours) * 2, breaker.max_hours)
        return replace(
            state,
            consecutive_refused=refused,
            pause_hours=hours,
            paused_until=now + dt.timedelta(hours=hours),
        )
    if refused >= breaker.runs_to_pause:
        hours = breaker.retry_hours
        return replace(
            state,
            consecutive_refused=refused,
            paused_at=now,
            paused_until=now + dt.timedelta(hours=hours),
            pause_hours=hours,
            pause_reason=f"every article refused ({why}) in {refused} runs in a row",
            pause_notified_at=None,
            resumed_at=None,
            resume_notified_at=None,
        )
    return replace(state, consecutive_refused=refused)


def is_bot_wall(html: str, markers: Sequence[str], *, max_chars: int = 65536) -> str | None:
    """The marker when ``html`` is a bot-protection page (a challenge, not the article).

    Only short pages are considered (a challenge page is a few kB; an article that quotes
    "Just a moment" is not one), and markers are matched case-insensitively.
    """
    if len(html) > max_chars:
        return None
    lowered = html.lower()
    for marker in markers:
        if marker.lower() in lowered:
            return marker
    return None


_COLUMNS = (
    "last_polled_at", "next_poll_at", "poll_reason", "consecutive_refused", "paused_at",
    "paused_until", "pause_hours", "pause_reason", "pause_notified_at", "resumed_at",
    "resume_notified_at",
)  # fmt: skip


class CrawlStateStore:
    """Loads and saves :class:`SourceState` rows and refused URLs (its own connection)."""

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)

    def close(self) -> None:
        self.conn.close()

    def load(self, sources: Iterable[str]) -> dict[str, SourceState]:
        names = sorted(set(sources))
        states = {name: SourceState(name) for name in names}
        rows = self.conn.execute(
            f"SELECT source, {', '.join(_COLUMNS)} FROM source_crawl_state WHERE source = ANY(%s)",
            (names,),
        ).fetchall()
        for row in rows:
            states[row["source"]] = SourceState(**row)
        for row in self.conn.execute(
            "SELECT source, url FROM refused_urls WHERE source = ANY(%s)", (names,)
        ).fetchall():
            states[row["source"]].refused.add(row["url"])
        return states

    def save(self, state: SourceState) -> None:
        values = {name: getattr(state, name) for name in _COLUMNS}
        assignments = ", ".join(f"{name} = EXCLUDED.{name}" for name in _COLUMNS)
        self.conn.execute(
            f"""
            INSERT INTO source_crawl_state (source, {", ".join(_COLUMNS)}, updated_at)
            VALUES (%(source)s, {", ".join(f"%({name})s" for name in _COLUMNS)}, now())
            ON CONFLICT (source) DO UPDATE SET {assignments}, updated_at = now()
            """,
            {"source": state.source, **values},
        )

    def remember_refused(self, source: str, refused: Iterable[tuple[str, int | None, str]]) -> None:
        """Record (url, HTTP status, reason) refusals; a known URL counts one more time."""
        with self.conn.transaction():
            for url, status, reason in refused:
                self.conn.execute(
                    """
                    INSERT INTO refused_urls (source, url, http_status, reason)
                    VALUES (%s, %s, %s, %s)
                    ON CONFLICT (source, url) DO UPDATE SET
                        http_status = EXCLUDED.http_status, reason = EXCLUDED.reason,
                        last_refused_at = now(), times = refused_urls.times + 1
                    """,
                    (source, url, status, reason),
                )

    def forget_refused(self, source: str, urls: Iterable[str]) -> None:
        """URLs that came through after all (a good probe): no longer refused."""
        wanted = sorted(set(urls))
        if wanted:
            self.conn.execute(
                "DELETE FROM refused_urls WHERE source = %s AND url = ANY(%s)", (source, wanted)
            )
