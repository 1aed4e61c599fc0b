"""Every fault an outlet can play, against the fault-injecting server, in one crawl.

One Scrapy run (module fixture) crawls healthy sources of every kind (RSS, sitemap index
with a Google News sitemap, HTML listing page) next to one source per fault. Each test then
asserts one source's stored report, and every test module run checks that the pages stored
before the run are still there and that the healthy sources' pages arrived. A second run
over the unchanged healthy sources is counted request by request.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from pipeline import db
from pipeline.crawl import CrawlReport, crawl
from tests.conftest import empty_database
from tests.faultserver import FaultServer

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "crawl"

# No politeness delays against our own server; short time-outs so that the hanging and
# dripping sources cost seconds; small size limits so that bombs are cheap to play.
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_TIMEOUT": 2,
    "RETRY_TIMES": 1,
    "LTWATCH_RETRY_BACKOFF_BASE": 0.05,
    "LTWATCH_MAX_429_PER_SOURCE": 3,
    "DOWNLOAD_MAXSIZE": 1_000_000,
    "DOWNLOAD_WARNSIZE": 500_000,
}
HEALTHY = ["good", "sitemap", "listing"]


def page(title: str, *, canonical: str | None = None, charset: str | None = "utf-8") -> bytes:
    meta = f"<meta charset='{charset}'>" if charset else ""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title>{link}</head>"
        f"<body><h1>{title}</h1><p>Türkiye and Libya signed a memorandum.</p></body></html>"
    ).encode(charset or "utf-8")


def rss(base: str, links: list[str]) -> str:
    items = "".join(
        f"<item><title>{link}</title><link>{base}{link}</link></item>" for link in links
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
        f"{items}</channel></rss>"
    )


def fixture(name: str, server: FaultServer, recent: str) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return (
        text.replace("{base}", server.base)
        .replace("{other}", server.other)
        .replace("{recent}", recent)
    )


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class FaultRun:
    server: FaultServer
    url: str  # database
    reports: dict[str, CrawlReport]
    stored_before: dict[str, str]  # url -> html of the pages stored before the run
    first_requests: int
    second: dict[str, CrawlReport]
    second_paths: list[str]


def build_site(server: FaultServer) -> list[dict[str, object]]:
    b = server.base
    recent = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    add = server.add
    xml = "application/xml"
    add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")

    # Healthy sources, one per kind.
    add("/good/rss.xml", rss(b, ["/good/a.html", "/good/b.html?utm_source=x#c"]), content_type=xml)
    add("/good/a.html", page("Good A"))
    add("/good/b.html", page("Good B"))
    add("/idx/sitemap.xml", fixture("sitemap_index.xml", server, recent), content_type=xml)
    add("/idx/news-sitemap.xml", fixture("news_sitemap.xml", server, recent), content_type=xml)
    add("/idx/pages.xml", fixture("pages_sitemap.xml", server, recent), content_type=xml)
    add("/idx/archive-2019.xml", "<urlset/>", content_type=xml)
    for path in ("kalin-in-benghazi", "dbeibah-ankara", "port-agreement", "undated"):
        add(f"/idx/2025/{path}.html", page(path))
    # Same article under a second address: its rel=canonical is the first one.
    add("/idx/2025/undated.html", page("undated", canonical=f"{b}/idx/2025/port-agreement.html"))
    add("/section/libya", fixture("listing.html", server, recent))
    add("/section/2025/08/26/kalin-meets-haftar", page("Kalin meets Haftar"))
    add("/section/2025/08/27/dbeibah-visits-ankara", page("Dbeibah visits Ankara"))

    # Faults of a feed itself.
    add("/reset/rss.xml", fault="reset")
    add("/hang/rss.xml", fault="hang")
    add("/drip/rss.xml", fault="drip", content_type=xml)
    add("/e404/rss.xml", "gone", fault="status", status=404, content_type="text/plain")
    add("/e503/rss.xml", "busy", fault="status", status=503, content_type="text/plain")
    add("/malformed/rss.xml", '<?xml version="1.0"?><rss><channel><item>', content_type=xml)
    full = fixture("news_sitemap.xml", server, recent)
    add("/truncxml/sitemap.xml", full[: len(full) // 2], content_type=xml)
    add("/trunctransfer/rss.xml", rss(b, ["/good/a.html"] * 20), fault="truncated")
    add("/htmlfeed/rss.xml", page("A home page"))
    add("/loopfeed/rss.xml", fault="redirect_loop")

    # Faults of article pages, each source with one healthy page as well.
    def source_with(prefix: str, faults: dict[str, dict[str, object]]) -> None:
        links = [f"/{prefix}/ok.html", *faults]
        add(f"/{prefix}/rss.xml", rss(b, links), content_type=xml)
        add(f"/{prefix}/ok.html", page(f"{prefix} ok"))
        for path, kwargs in faults.items():
            add(path, **kwargs)  # type: ignore[arg-type]

    source_with(
        "charset",
        {
            # UTF-8 bytes served as ISO-8859-1: the classic mojibake.
            "/charset/wrong.html": {
                "body": page("Wrong charset"),
                "content_type": "text/html; charset=iso-8859-1",
            },
            # No charset anywhere: Scrapy sniffs it.
            "/charset/missing.html": {
                "body": page("Missing charset", charset=None),
                "content_type": "text/html",
            },
            # Turkish Windows code page, declared only in <meta>.
            "/charset/cp1254.html": {
                "body": page("Windows-1254", charset="windows-1254"),
                "content_type": "text/html",
            },
        },
    )
    source_with("bomb", {"/bomb/page.html": {"fault": "gzip_bomb", "size": 50_000_000}})
    source_with(
        "big",
        {
            "/big/stream.html": {"fault": "oversize", "size": 3_000_000},
            "/big/declared.html": {"body": b"<p>" + b"x" * 1_500_000},
        },
    )
    source_with("loop", {"/loop/page.html": {"fault": "redirect_loop"}})
    source_with(
        "offsite",
        {"/offsite/page.html": {"fault": "redirect", "location": f"{server.other}/x.html"}},
    )
    source_with("robots", {"/private/page.html": {"body": page("private")}})
    source_with(
        "errors",
        {
            "/errors/404.html": {"fault": "status", "status": 404},
            "/errors/500.html": {"fault": "status", "status": 500},
            "/errors/reset.html": {"fault": "reset"},
            "/errors/report.pdf": {"body": b"%PDF-1.4", "content_type": "application/pdf"},
        },
    )
    # A 429 storm, on its own host name so that its concurrency of 1 is its own.
    o = server.other
    storm = [f"/storm/{i}.html" for i in range(8)]
    add("/storm/rss.xml", rss(o, storm), content_type=xml)
    for path in storm:
        add(path, "slow down", fault="status", status=429, headers={"Retry-After": "1"})

    def src(name: str, kind: str, url: str, **extra: object) -> dict[str, object]:
        return {"name": name, "kind": kind, "url": url, **extra}

    return [
        src("good", "rss", f"{b}/good/rss.xml"),
        src("sitemap", "sitemap", f"{b}/idx/sitemap.xml", lookback_days=2),
        src("listing", "html", f"{b}/section/libya", link_pattern=r"/section/\d{4}/\d\d/\d\d/"),
        src("dns", "rss", "http://feed.nonexistent.invalid/rss.xml"),
        src("refused", "rss", f"http://127.0.0.1:{unused_port()}/rss.xml"),
        src("reset", "rss", f"{b}/reset/rss.xml"),
        src("timeout", "rss", f"{b}/hang/rss.xml"),
        src("drip", "rss", f"{b}/drip/rss.xml"),
        src("http-404", "rss", f"{b}/e404/rss.xml"),
        src("http-503", "rss", f"{b}/e503/rss.xml"),
        src("malformed", "rss", f"{b}/malformed/rss.xml"),
        src("truncated-xml", "sitemap", f"{b}/truncxml/sitemap.xml"),
        src("truncated-transfer", "rss", f"{b}/trunctransfer/rss.xml"),
        src("html-feed", "rss", f"{b}/htmlfeed/rss.xml"),
        src("feed-loop", "rss", f"{b}/loopfeed/rss.xml"),
        src("charset", "rss", f"{b}/charset/rss.xml"),
        src("bomb", "rss", f"{b}/bomb/rss.xml"),
        src("big", "rss", f"{b}/big/rss.xml"),
        src("loop", "rss", f"{b}/loop/rss.xml"),
        src("offsite", "rss", f"{b}/offsite/rss.xml"),
        src("robots", "rss", f"{b}/robots/rss.xml"),
        src("errors", "rss", f"{b}/errors/rss.xml"),
        src("storm", "rss", f"{o}/storm/rss.xml", concurrency=1),
    ]


def rows(database: str, query: str, **params: object) -> list[sa.RowMapping]:
    with db.get_engine(database).connect() as conn:
        return list(conn.execute(sa.text(query), params).mappings())


@pytest.fixture(scope="module")
def run(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultRun]:
    url = empty_database(database_url)
    with db.get_engine(url).begin() as conn:
        # Not emptied by conftest (added by migration 0003).
        conn.execute(sa.text("TRUNCATE feed_state, source_health"))
    server = FaultServer()
    try:
        entries = build_site(server)
        # Something stored by an earlier run for every source: no fault may lose it.
        stored_before = {}
        with db.get_engine(url).begin() as conn:
            for entry in entries:
                page_url = f"https://archive.test/{entry['name']}/earlier.html"
                html = f"<html><body>earlier page of {entry['name']}</body></html>"
                conn.execute(
                    sa.text(
                        "INSERT INTO pages (source, url, http_status, html) "
                        "VALUES (:source, :url, 200, :html)"
                    ),
                    {"source": entry["name"], "url": page_url, "html": html},
                )
                stored_before[page_url] = html
        path = tmp_path_factory.mktemp("faults") / "sources.yaml"
        path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False))
        reports = {
            r.source: r for r in crawl(path, url, run_id="faults-1", scrapy_settings=SETTINGS)
        }
        first_requests = server.count()
        server.reset_hits()
        second = {
            r.source: r
            for r in crawl(path, url, only=HEALTHY, run_id="faults-2", scrapy_settings=SETTINGS)
        }
        yield FaultRun(server, url, reports, stored_before, first_requests, second, server.paths())
    finally:
        server.close()


# (source, status, the message the report starts with) — the message names the fault.
FEED_FAULTS = [
    ("dns", "feed unreachable: DNS lookup failed (feed.nonexistent.invalid)"),
    ("refused", "feed unreachable: connection refused"),
    ("reset", "feed download interrupted: connection lost or reset"),
    ("timeout", "feed unreachable: timed out (no complete answer within 2 s)"),
    ("drip", "feed unreachable: timed out (no complete answer within 2 s)"),
    ("http-404", "HTTP 404 from feed ("),
    ("http-503", "HTTP 503 from feed (after 1 retry)"),
    ("malformed", "malformed feed: XML syntax error at line 1"),
    ("truncated-xml", "malformed sitemap: XML syntax error at line 14"),
    ("truncated-transfer", "feed download interrupted: connection lost or reset"),
    ("html-feed", "not a feed: the feed URL returned an HTML page"),
    ("feed-loop", "feed not fetched: redirect loop"),
]

PAGE_FAULTS = [
    ("bomb", "/bomb/page.html", "page too large once decompressed: over the 1000000-byte limit"),
    ("big", "/big/declared.html", "page too large: 1500003 bytes, over the 1000000-byte limit"),
    ("big", "/big/stream.html", "page too large: download cancelled past the 1000000-byte"),
    ("loop", "/loop/page.html", "page not fetched: redirect loop"),
    ("offsite", "/offsite/page.html", "redirected off the source's domains to http://localhost:"),
    ("robots", "/private/page.html", "page not fetched: forbidden by robots.txt"),
    ("errors", "/errors/404.html", "HTTP 404 from page"),
    ("errors", "/errors/500.html", "HTTP 500 from page (after 1 retry)"),
    ("errors", "/errors/reset.html", "page download interrupted: connection lost or reset"),
    ("errors", "/errors/report.pdf", "not an HTML page (application/pdf)"),
]


def stored_report(run: FaultRun, source: str) -> sa.RowMapping:
    [row] = rows(
        run.url,
        "SELECT * FROM crawl_reports WHERE run_id = 'faults-1' AND source = :source",
        source=source,
    )
    return row


@pytest.mark.parametrize(("source", "message"), FEED_FAULTS, ids=[f[0] for f in FEED_FAULTS])
def test_a_broken_feed_fails_alone_with_a_clear_stored_report(
    run: FaultRun, source: str, message: str
) -> None:
    row = stored_report(run, source)
    assert row["status"] == "failed"
    assert row["message"].startswith(message), row["message"]
    assert row["finished_at"] and row["started_at"] <= row["finished_at"]
    assert row["feed_url"] in row["message"]  # which address failed
    assert row["requests"] >= 1 or source == "dns"


@pytest.mark.parametrize(
    ("source", "path", "message"), PAGE_FAULTS, ids=[f"{f[0]}:{f[1]}" for f in PAGE_FAULTS]
)
def test_a_broken_page_is_named_in_its_sources_report_and_the_rest_is_stored(
    run: FaultRun, source: str, path: str, message: str
) -> None:
    row = stored_report(run, source)
    assert row["status"] == "partial"
    errors = {e["url"]: e["message"] for e in row["errors"]}
    assert errors[run.server.url(path)].startswith(message), errors
    # The source's healthy page arrived regardless.
    ok = run.server.url(f"/{source}/ok.html")
    assert rows(run.url, "SELECT 1 FROM pages WHERE url = :url", url=ok)
    assert not rows(run.url, "SELECT 1 FROM pages WHERE url = :url", url=run.server.url(path))


def test_the_off_domain_redirect_and_robots_forbidden_page_were_never_requested(
    run: FaultRun,
) -> None:
    # The first run's hits were reset before the second run; what the second asked for
    # is in second_paths, so look at the server's whole log through the reports instead.
    # feed + ok.html + the redirecting page; not the page it redirects to
    assert stored_report(run, "offsite")["requests"] == 3
    assert stored_report(run, "robots")["requests"] == 2  # feed + ok.html, not /private/


def test_a_429_storm_is_backed_off_and_reported(run: FaultRun) -> None:
    row = stored_report(run, "storm")
    assert row["status"] == "partial"
    assert "answered HTTP 429 3 times this run (backing off" in row["message"]
    # 8 articles listed; after 3 answers of 429 nothing more is asked: no retries (which
    # would make it 1 + 16), only requests already queued in the download slot go out.
    assert row["items_listed"] == 8
    assert row["requests"] <= 1 + 8 + 2
    assert len(row["errors"]) == 8


def test_wrong_and_missing_charsets_are_decoded_and_reported(run: FaultRun) -> None:
    row = stored_report(run, "charset")
    assert row["status"] == "ok"  # worked around: a warning, not an error
    [warning] = row["errors"]
    assert warning["level"] == "warning"
    assert warning["message"].startswith("wrong charset: declared cp1252 but the page is UTF-8")
    for path in ("wrong", "missing", "cp1254"):
        [page] = rows(
            run.url,
            "SELECT html FROM pages WHERE url = :url",
            url=run.server.url(f"/charset/{path}.html"),
        )
        assert "Türkiye and Libya" in page["html"], path


def test_nothing_stored_before_is_lost_and_healthy_sources_arrive(run: FaultRun) -> None:
    stored = {r["url"]: r["html"] for r in rows(run.url, "SELECT url, html FROM pages")}
    for url, html in run.stored_before.items():
        assert stored[url] == html
    for source in HEALTHY:
        assert stored_report(run, source)["status"] == "ok"
    base = run.server.base
    assert {
        f"{base}/good/a.html",
        f"{base}/good/b.html",  # tracking parameters and fragment dropped
        f"{base}/idx/2025/kalin-in-benghazi.html",
        f"{base}/idx/2025/dbeibah-ankara.html",
        f"{base}/section/2025/08/26/kalin-meets-haftar",
        f"{base}/section/2025/08/27/dbeibah-visits-ankara",
    } <= stored.keys()


def test_sitemap_index_news_sitemap_and_look_back_window(run: FaultRun) -> None:
    row = stored_report(run, "sitemap")
    base = run.server.base
    pages = {
        r["url"]: r
        for r in rows(run.url, "SELECT * FROM pages WHERE source = 'sitemap'")
        if r["url"].startswith(base)
    }
    # undated.html's rel=canonical is port-agreement.html: one article, stored once (under
    # whichever address was answered first).
    same = {f"{base}/idx/2025/port-agreement.html", f"{base}/idx/2025/undated.html"}
    assert len(set(pages) & same) == 1
    assert set(pages) - same == {
        f"{base}/idx/2025/kalin-in-benghazi.html",
        f"{base}/idx/2025/dbeibah-ankara.html",
    }
    news = pages[f"{base}/idx/2025/kalin-in-benghazi.html"]
    assert news["feed_title"] == "Kalin meets Haftar in Benghazi"
    assert news["feed_published"] is not None
    assert (row["items_listed"], row["pages_fetched"], row["pages_new"]) == (4, 4, 3)
    assert "3 older than the look-back window" in row["message"]
    assert "1 off-domain links ignored" in row["message"]  # the child sitemap elsewhere


def test_listing_page_follows_matching_links_once(run: FaultRun) -> None:
    row = stored_report(run, "listing")
    assert (row["items_listed"], row["pages_new"]) == (4, 2)
    assert "1 off-domain links ignored" in row["message"]


def test_second_run_over_unchanged_sources_requests_only_the_feeds(run: FaultRun) -> None:
    # robots.txt once for the host, then each source's feed / sitemap / listing: all 304.
    assert sorted(run.second_paths) == sorted(
        ["/robots.txt", "/good/rss.xml", "/idx/sitemap.xml", "/section/libya"]
    )
    for source in HEALTHY:
        report = run.second[source]
        assert report.status == "ok" and report.not_modified and report.requests == 1
        assert report.message == (
            "not modified since the last run (HTTP 304): nothing else requested"
        )
    assert run.first_requests > 10 * len(run.second_paths)


def test_the_user_agent_names_the_project_and_a_contact_url(run: FaultRun) -> None:
    agents = {hit.user_agent for hit in run.server.hits}
    assert len(agents) == 1
    [agent] = agents
    assert agent and "libya-turkiye-watch" in agent and "+http" in agent
