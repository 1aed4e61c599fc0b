"""Crawl state across runs: polling interval and feed ttl, the circuit breaker, refused URLs,
and the sitemap language filter — with real crawls (Scrapy in its own process) against the
fault server and a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from crawlers.crawl_state import (
    NOT_POLLED,
    BreakerSettings,
    SourceState,
    after_articles,
    after_poll,
    decide,
    is_bot_wall,
)
from pipeline import db
from pipeline.crawl import CrawlReport, crawl
from pipeline.health import update_health
from tests.faultserver import FaultServer
from tests.test_sources_check import ARTICLE, news_sitemap, rss

FAST = {
    "AUTOTHROTTLE_START_DELAY": 0,
    "DOWNLOAD_DELAY": 0,
    "RETRY_TIMES": 0,
    "LTWATCH_REFUSED_RUNS_TO_PAUSE": 2,
}
XML = "application/rss+xml"
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
BREAKER = BreakerSettings(runs_to_pause=2, retry_hours=24, max_hours=72)


# -- the decisions, on their own ------------------------------------------------------------


def test_a_source_is_polled_again_after_its_interval_or_what_its_feed_asked() -> None:
    state = after_poll(SourceState("s"), NOW, min_interval=600, max_interval=3600, hint=None)
    assert state.next_poll_at == NOW + dt.timedelta(minutes=10)
    assert decide(state, NOW + dt.timedelta(minutes=5))[0] == "skip"
    # A run that starts a little early (scheduler jitter) still polls.
    assert decide(state, NOW + dt.timedelta(minutes=9, seconds=30))[0] == "poll"
    # A feed asking for more is honoured; asking for less changes nothing; a day is capped.
    ttl = after_poll(state, NOW, min_interval=600, max_interval=3600, hint=(1800, "<ttl>30</ttl>"))
    assert ttl.next_poll_at == NOW + dt.timedelta(minutes=30)
    assert ttl.poll_reason == "the feed asks <ttl>30</ttl>"
    short = after_poll(state, NOW, min_interval=600, max_interval=3600, hint=(60, "max-age=60"))
    assert short.next_poll_at == NOW + dt.timedelta(minutes=10)
    day = after_poll(state, NOW, min_interval=0, max_interval=3600, hint=(86400, "<ttl>1440</ttl>"))
    assert day.next_poll_at == NOW + dt.timedelta(hours=1)
    action, why = decide(ttl, NOW + dt.timedelta(minutes=20))
    assert action == "skip" and why and why.startswith(NOT_POLLED) and "<ttl>30</ttl>" in why


def test_the_breaker_pauses_after_refused_runs_and_backs_off_until_an_article_comes() -> None:
    state = SourceState("s")
    state = after_articles(state, NOW, refused_run=True, fetched=0, probe=False, why="HTTP 401",
                           breaker=BREAKER)  # fmt: skip
    assert (state.consecutive_refused, state.paused_at) == (1, None)
    # A run that asked for nothing says nothing.
    state = after_articles(state, NOW, refused_run=None, fetched=0, probe=False, why="",
                           breaker=BREAKER)  # fmt: skip
    assert state.consecutive_refused == 1
    state = after_articles(state, NOW, refused_run=True, fetched=0, probe=False, why="HTTP 401",
                           breaker=BREAKER)  # fmt: skip
    assert state.paused_at == NOW and state.paused_until == NOW + dt.timedelta(hours=24)
    assert state.pause_reason == "every article refused (HTTP 401) in 2 runs in a row"
    assert decide(state, NOW + dt.timedelta(hours=1))[0] == "skip"
    assert decide(state, NOW + dt.timedelta(hours=24))[0] == "probe"
    # A refused probe doubles the wait, up to the maximum.
    later = NOW + dt.timedelta(hours=24)
    for hours in (48, 72, 72):
        state = after_articles(state, later, refused_run=True, fetched=0, probe=True,
                               why="HTTP 401", breaker=BREAKER)  # fmt: skip
        assert state.paused_until == later + dt.timedelta(hours=hours)
    state = after_articles(state, later, refused_run=False, fetched=1, probe=True, why="",
                           breaker=BREAKER)  # fmt: skip
    assert (state.paused_at, state.resumed_at, state.consecutive_refused) == (None, later, 0)


def test_a_bot_wall_is_told_from_an_article_that_mentions_one() -> None:
    markers = ["<title>Just a moment...</title>", "captcha-delivery.com"]
    wall = "<html><head><title>Just a moment...</title></head><body></body></html>"
    assert is_bot_wall(wall, markers) == "<title>Just a moment...</title>"
    assert is_bot_wall('<script src="https://ct.captcha-delivery.com/c.js">', markers)
    article = "<html><title>x</title><p>Just a moment... he said.</p>" + "<p>text</p>" * 9000
    assert is_bot_wall(article, markers) is None


# -- real crawls ------------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[FaultServer]:
    server = FaultServer()
    yield server
    server.close()


def run(path: Path, url: str, **settings: object) -> dict[str, CrawlReport]:
    return {r.source: r for r in crawl(path, url, scrapy_settings={**FAST, **settings})}


def state(url: str, source: str) -> dict:
    with db.get_engine(url).connect() as conn:
        row = (
            conn.execute(
                sa.text("SELECT * FROM source_crawl_state WHERE source = :s"), {"s": source}
            )
            .mappings()
            .one()
        )
        refused = (
            conn.execute(
                sa.text("SELECT url FROM refused_urls WHERE source = :s ORDER BY url"),
                {"s": source},
            )
            .scalars()
            .all()
        )
    return {**dict(row), "refused": refused}  # fmt: skip


@pytest.mark.slow
def test_a_refusing_outlet_is_paused_told_once_and_probed_on_a_slow_schedule(
    server: FaultServer, clean_db: str, tmp_path: Path
) -> None:
    b = server.base
    for n in (1, 2, 3):
        server.add(f"/r/{n}", "no", fault="status", status=401, content_type="text/plain")
    server.add("/feed.xml", rss(f"{b}/r/1", f"{b}/r/2"), content_type=XML, validators=False)
    path = tmp_path / "sources.yaml"
    path.write_text(
        yaml.safe_dump({"sources": [{"name": "wall", "kind": "rss", "url": f"{b}/feed.xml"}]})
    )
    engine = db.get_engine(clean_db)

    # Run 1: both articles refused, remembered.
    first = run(path, clean_db)["wall"]
    assert first.status == "partial" and "HTTP 401" in (first.message or "")
    assert state(clean_db, "wall")["refused"] == [f"{b}/r/1", f"{b}/r/2"]
    assert state(clean_db, "wall")["consecutive_refused"] == 1

    # Run 2: the refused URLs are not asked again; nothing asked, nothing learned.
    server.reset_hits()
    second = run(path, clean_db)["wall"]
    assert [p for p in server.paths() if p.startswith("/r/")] == []
    assert "2 refused in earlier runs, not asked again" in (second.message or "")
    assert state(clean_db, "wall")["consecutive_refused"] == 1

    # Run 3: a new article, refused too: the second refused run pauses the source.
    server.add("/feed.xml", rss(f"{b}/r/3", f"{b}/r/1", f"{b}/r/2"), content_type=XML,
               validators=False)  # fmt: skip
    server.reset_hits()
    run(path, clean_db)
    assert [p for p in server.paths() if p.startswith("/r/")] == ["/r/3"]
    paused = state(clean_db, "wall")
    assert paused["paused_at"] is not None and paused["paused_until"] > paused["paused_at"]
    assert paused["pause_reason"] == "every article refused (HTTP 401) in 2 runs in a row"
    # The operators hear of it once.
    kinds = [c.kind for c in update_health(engine, [])] + [
        c.kind for c in update_health(engine, [])
    ]
    assert kinds == ["paused"]

    # Run 4: paused: not even the feed is requested; the report says why, and health
    # counts the run as neither good nor bad.
    server.reset_hits()
    fourth = run(path, clean_db)["wall"]
    assert server.paths() == []
    assert fourth.status == "ok" and fourth.requests == 0
    assert (fourth.message or "").startswith(f"{NOT_POLLED}paused by the circuit breaker")
    assert update_health(engine, [fourth]) == []

    # Run 5: the retry is due and the outlet has relented: one article is tried, the pause
    # ends, the URL is no longer refused, and the operators hear of it once.
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE source_crawl_state SET paused_until = now() - interval '1 s'"))
    server.add("/r/3", ARTICLE)
    server.reset_hits()
    fifth = run(path, clean_db)["wall"]
    assert len([p for p in server.paths() if p.startswith("/r/")]) == 1
    assert fifth.pages_new == 1
    resumed = state(clean_db, "wall")
    assert resumed["paused_at"] is None and resumed["resumed_at"] is not None
    assert f"{b}/r/3" not in resumed["refused"]
    assert [c.kind for c in update_health(engine, [fifth])] == ["resumed"]


@pytest.mark.slow
def test_a_feed_that_asks_for_a_ttl_is_left_alone_and_sitemaps_keep_to_their_language(
    server: FaultServer, clean_db: str, tmp_path: Path
) -> None:
    b = server.base
    ttl_feed = rss(f"{b}/a/1").replace("<title>t</title>", "<title>t</title><ttl>30</ttl>", 1)
    server.add("/ttl.xml", ttl_feed, content_type=XML)
    server.add("/a/1", ARTICLE)
    server.add("/a/2", ARTICLE.replace("Ankara", "Tripoli"))
    server.add("/es/1", ARTICLE.replace("Ankara", "Madrid"))
    sitemap = news_sitemap((f"{b}/es/1", "es"), (f"{b}/a/2", "en"), (f"{b}/ar/1", "ar"))
    server.add("/news.xml", sitemap, content_type="text/xml")
    path = tmp_path / "sources.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {"name": "ttl", "kind": "rss", "url": f"{b}/ttl.xml"},
                    {"name": "wire", "kind": "sitemap", "url": f"{b}/news.xml", "language": "en"},
                ]
            }
        )
    )
    first = run(path, clean_db)
    assert first["ttl"].pages_new == 1
    assert first["wire"].pages_new == 1 and "2 in another language" in (first["wire"].message or "")
    assert "/es/1" not in server.paths() and "/ar/1" not in server.paths()
    assert state(clean_db, "ttl")["poll_reason"] == "the feed asks <ttl>30</ttl>"

    server.reset_hits()
    second = run(path, clean_db)
    # The feed asked for 30 minutes: not polled; the sitemap asked nothing: polled (304).
    assert "/ttl.xml" not in server.paths() and "/news.xml" in server.paths()
    assert (second["ttl"].message or "").startswith(NOT_POLLED)
    assert second["ttl"].requests == 0 and second["wire"].not_modified


def test_tracking_parameters_seen_in_real_feeds_are_dropped_from_article_urls() -> None:
    from crawlers.parsing import canonicalize

    base = "https://www.aljazeera.com/news/2026/11/29/a-story"
    assert canonicalize(f"{base}?traffic_source=rss") == base
    assert canonicalize(f"{base}?at_medium=RSS&at_campaign=x&ocid=msn&id=7") == f"{base}?id=7"
    assert canonicalize(f"{base}?utm_source=rss&page=2#top") == f"{base}?page=2"
