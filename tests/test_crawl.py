"""The crawler against a real HTTP server on 127.0.0.1 and the real test database.

The fixture server below plays several outlets at once: an RSS feed and an Atom feed with
article pages, an off-domain link, tracking-parameter variants of one article, a feed with
a broken article and a PDF, and broken feeds (HTTP 500, malformed XML, an HTML page). An
unused port plays an unreachable outlet. Every request the server receives is recorded, so
tests can check what was (not) fetched.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from crawlers.middlewares import on_domains
from crawlers.parsing import canonicalize
from pipeline import db, runner
from pipeline.crawl import CrawlError, CrawlReport, crawl
from pipeline.settings import Settings
from pipeline.sources import Source, SourcesError, load_sources, select_sources
from tests.faultserver import POLL

# Test-only Scrapy overrides: no politeness delays against our own local server.
FAST = {
    "AUTOTHROTTLE_START_DELAY": 0,
    "DOWNLOAD_DELAY": 0,
    "RETRY_TIMES": 1,
    "LTWATCH_RETRY_BACKOFF_BASE": 0.05,
}


def article(title: str, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{link}"
        f"</head><body><h1>{title}</h1><p>Türkiye and Libya — a sample paragraph.</p>"
        "</body></html>"
    ).encode()


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>News</title><link>{base}/news/</link>
<item><title>First article</title><link>{base}/news/one.html</link>
  <pubDate>Mon, 25 Aug 2025 11:40:00 +0300</pubDate></item>
<item><title>Second article</title>
  <link>{base}/news/two.html?utm_source=rss&amp;utm_medium=feed#comments</link>
  <pubDate>Tue, 26 Aug 2025 08:00:00 GMT</pubDate></item>
<item><title>Second article again</title><link>{base}/news/two.html?fbclid=abc</link></item>
<item><title>Elsewhere</title><link>{other}/offsite.html</link></item>
<item><title>Relative</title><link>/news/three.html</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>{base}/wire/</id>
<updated>2025-05-14T17:45:00Z</updated>
<entry><title>Wire story</title><id>w1</id>
  <link rel="alternate" type="text/html" href="{base}/wire/story.html?gclid=x"/>
  <published>2025-05-14T17:45:00Z</published><updated>2025-05-15T00:00:00Z</updated></entry>
<entry><title type="html">Wire update</title><id>w2</id>
  <link rel="self" href="{base}/wire/w2.xml"/><link href="{base}/wire/update.html"/>
  <updated>2025-05-16T10:00:00+02:00</updated></entry>
</feed>
"""

MIXED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Mixed</title>
<item><title>Gone</title><link>{base}/mixed/gone.html</link></item>
<item><title>Report</title><link>{base}/mixed/report.pdf</link></item>
<item><title>Fine</title><link>{base}/mixed/fine.html</link></item>
</channel></rss>
"""

MALFORMED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Broken</title>
<item><title>Unclosed</item>
</channel></rss>
"""


class FeedServer:
    """The fixture outlets, served on 127.0.0.1 over real HTTP, recording each request."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.release = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(self.path)
                status, content_type, body, headers = server.respond(self.path.split("?")[0])
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_port
        self.base = f"http://127.0.0.1:{self.port}"
        # Same server, another host name: a link the crawler must not follow.
        self.other = f"http://localhost:{self.port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": POLL}, daemon=True
        )
        self.thread.start()

    def respond(self, path: str) -> tuple[int, str, bytes, dict[str, str]]:
        html = "text/html; charset=utf-8"
        xml = "application/xml"
        fmt = {"base": self.base, "other": self.other}
        pages = {
            "/news/one.html": article("First article"),
            "/news/two.html": article("Second article"),
            "/news/three.html": article("Third article"),
            "/offsite.html": article("Off-domain"),
            "/wire/story.html": article(
                "Wire story", canonical=f"{self.base}/wire/story.html?utm_campaign=c#top"
            ),
            "/wire/update.html": article("Wire update", canonical="/wire/update-canonical.html"),
            "/mixed/fine.html": article("Fine"),
        }
        if path in pages:
            headers = {
                "ETag": f'"{abs(hash(path))}"',
                "Last-Modified": "Mon, 25 Aug 2025 09:00:00 GMT",
            }
            return 200, html, pages[path], headers
        if path == "/news/rss.xml":
            return 200, "application/rss+xml", RSS.format(**fmt).encode(), {}
        if path == "/wire/atom.xml":
            return 200, "application/atom+xml", ATOM.format(**fmt).encode(), {}
        if path == "/mixed/rss.xml":
            return 200, xml, MIXED.format(**fmt).encode(), {}
        if path == "/mixed/report.pdf":
            return 200, "application/pdf", b"%PDF-1.4 not really", {}
        if path == "/broken/500.xml":
            return 500, "text/plain", b"internal error", {}
        if path == "/broken/malformed.xml":
            return 200, xml, MALFORMED.encode(), {}
        if path == "/slow/feed.xml":
            self.release.wait(30)  # an outlet that never answers (until the test ends)
            return 503, "text/plain", b"too late", {}
        if path == "/broken/page.xml":
            return 200, html, article("A home page, not a feed"), {}
        return 404, "text/plain", b"not found", {}

    def article_requests(self) -> list[str]:
        return [p for p in self.requests if p.endswith((".html", ".pdf"))]

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    feeds = FeedServer()
    yield feeds
    feeds.close()


def write_sources(path: Path, server: FeedServer, *, broken: bool = True) -> Path:
    base = server.base
    entries: list[dict[str, object]] = [
        {"name": "news", "kind": "rss", "url": f"{base}/news/rss.xml", "language": "en"},
        {"name": "wire", "kind": "atom", "url": f"{base}/wire/atom.xml"},
        {"name": "mixed", "kind": "rss", "url": f"{base}/mixed/rss.xml"},
        {"name": "disabled", "kind": "rss", "url": f"{base}/news/rss.xml", "enabled": False},
    ]
    if broken:
        entries += [
            {"name": "http-500", "kind": "rss", "url": f"{base}/broken/500.xml"},
            {"name": "malformed", "kind": "rss", "url": f"{base}/broken/malformed.xml"},
            {"name": "html-feed", "kind": "rss", "url": f"{base}/broken/page.xml"},
            {
                "name": "unreachable",
                "kind": "atom",
                "url": f"http://127.0.0.1:{unused_port()}/feed.xml",
            },
        ]
    path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False))
    return path


def rows(url: str, query: str, **params: object) -> list[sa.RowMapping]:
    with db.get_engine(url).connect() as conn:
        return list(conn.execute(sa.text(query), params).mappings())


def by_source(reports: list[CrawlReport]) -> dict[str, CrawlReport]:
    return {r.source: r for r in reports}


# ---------------------------------------------------------------------------------------
# Sources file


def test_sources_file_loads_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n"
        "  - {name: a, kind: rss, url: 'http://127.0.0.1:8123/feed.xml'}\n"
        "  - {name: b, kind: atom, url: 'https://www.example.org/atom', enabled: false,\n"
        "     allowed_domains: [Example.org], drop_selectors: ['.related']}\n"
    )
    a, b = load_sources(path)
    assert a.allowed_domains == ["127.0.0.1"]  # the host without its port
    assert (a.enabled, a.language, a.drop_selectors) == (True, None, [])
    assert b.allowed_domains == ["example.org"] and b.drop_selectors == [".related"]
    assert [s.name for s in select_sources([a, b])] == ["a"]
    assert [s.name for s in select_sources([a, b], ["b"])] == ["b"]
    # A bare list is accepted as well.
    path.write_text("- {name: a, kind: rss, url: 'http://x.test/f'}\n")
    assert [s.name for s in load_sources(path)] == ["a"]


def test_the_default_sources_file_is_valid() -> None:
    sources = load_sources(Path(__file__).parent.parent / "crawlers" / "sources.yaml")
    assert len(sources) >= 6
    assert all(s.language and s.allowed_domains for s in sources)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sources: [\n  {name: a", "invalid YAML at line"),
        (
            "sources:\n  - {name: a, kind: rss, url: 'http://x.test/1'}\n"
            "  - {name: a, kind: atom, url: 'http://x.test/2'}\n",
            "entry 2 ('a'): duplicate source name 'a' (already used by entry 1)",
        ),
        (
            "sources:\n  - {name: j, kind: json, url: 'http://x.test/1'}\n",
            "entry 1 ('j'): kind: unknown kind 'json' "
            "(expected one of 'rss', 'atom', 'sitemap', 'html')",
        ),
        ("sources:\n  - {name: n, kind: rss}\n", "entry 1 ('n'): url: Field required"),
        ("sources:\n  - {name: f, kind: rss, url: 'ftp://x.test/f'}\n", "not an http(s) URL"),
        (
            "sources:\n  - {name: t, kind: rss, url: 'http://x/', allowd: 1}\n",
            "allowd: unknown key",
        ),
        ("feeds: []\n", "unknown top-level key(s): feeds"),
        ("sources: 3\n", "expected a list of sources"),
    ],
)
def test_sources_file_errors_name_the_file_and_the_entry(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(SourcesError) as error:
        load_sources(path)
    assert str(error.value).startswith(f"{path}: ")
    assert expected in str(error.value)


def test_missing_sources_file_and_unknown_only_name(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="sources file not found"):
        load_sources(tmp_path / "nope.yaml")
    source = Source(name="a", kind="rss", url="http://x.test/f")
    with pytest.raises(SourcesError, match="unknown source"):
        select_sources([source], ["b"])


def test_crawl_rejects_a_bad_sources_file_before_starting(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - {name: x, kind: csv, url: 'http://x.test/'}\n")
    # No database is touched: the URL below points nowhere.
    with pytest.raises(SourcesError, match="unknown kind 'csv'"):
        crawl(path, "postgresql://nobody@127.0.0.1:1/none")


# ---------------------------------------------------------------------------------------
# URLs


def test_canonical_urls_drop_fragments_and_tracking_parameters() -> None:
    assert canonicalize("http://a.test/x?utm_source=1&id=5&fbclid=2#c") == "http://a.test/x?id=5"
    assert canonicalize("http://a.test/x?gclid=1&UTM_Medium=m") == "http://a.test/x"
    assert canonicalize("http://a.test/x?b=2&a=1&b=3") == "http://a.test/x?b=2&a=1&b=3"
    assert canonicalize(" http://a.test/Türkiye ") == "http://a.test/T%C3%BCrkiye"


def test_allowed_domains_match_hosts_and_subdomains_without_port() -> None:
    assert on_domains("http://127.0.0.1:8123/a", ["127.0.0.1"])
    assert on_domains("https://www.aa.com.tr/en/x", ["aa.com.tr"])
    assert not on_domains("http://localhost:8123/a", ["127.0.0.1"])
    assert not on_domains("https://notaa.com.tr/x", ["aa.com.tr"])


# ---------------------------------------------------------------------------------------
# Crawling


@pytest.mark.slow
def test_crawl_stores_pages_reports_faults_and_never_fetches_twice(
    server: FeedServer, clean_db: str, tmp_path: Path
) -> None:
    sources = write_sources(tmp_path / "sources.yaml", server)
    reports = by_source(crawl(sources, clean_db, run_id="run-1", scrapy_settings=FAST))

    # Disabled sources are not crawled; every other one has a report.
    assert set(reports) == {
        "news", "wire", "mixed", "http-500", "malformed", "html-feed", "unreachable",
    }  # fmt: skip

    pages = {p["url"]: p for p in rows(clean_db, "SELECT * FROM pages")}
    base = server.base
    assert set(pages) == {
        f"{base}/news/one.html",
        f"{base}/news/two.html",  # tracking variants and fragment: stored once
        f"{base}/news/three.html",  # relative feed link resolved against the feed URL
        f"{base}/wire/story.html",
        f"{base}/wire/update.html",
        f"{base}/mixed/fine.html",
    }
    one = pages[f"{base}/news/one.html"]
    assert one["source"] == "news"
    assert one["http_status"] == 200
    assert one["content_type"] == "text/html; charset=utf-8"
    assert one["etag"] and one["last_modified"] == "Mon, 25 Aug 2025 09:00:00 GMT"
    assert one["feed_title"] == "First article"
    assert one["feed_published"] == dt.datetime(2025, 8, 25, 8, 40, tzinfo=dt.UTC)
    assert one["crawl_run_id"] == "run-1"
    assert "<h1>First article</h1>" in one["html"] and "Türkiye and Libya" in one["html"]
    assert one["canonical_url"] is None
    # Canonical links are made absolute and canonicalised like feed links.
    assert pages[f"{base}/wire/story.html"]["canonical_url"] == f"{base}/wire/story.html"
    update = pages[f"{base}/wire/update.html"]
    assert update["canonical_url"] == f"{base}/wire/update-canonical.html"
    # Atom without <published> falls back to <updated>.
    assert update["feed_published"] == dt.datetime(2025, 5, 16, 8, 0, tzinfo=dt.UTC)

    # The off-domain link was never requested; the tracking variants were requested once.
    assert "/offsite.html" not in server.requests
    assert server.article_requests().count("/news/two.html") == 1

    news = reports["news"]
    assert (news.status, news.items_listed, news.pages_fetched, news.pages_new) == (
        "ok", 5, 3, 3,
    )  # fmt: skip
    assert news.pages_skipped == 1  # the fbclid variant of two.html
    assert "1 off-domain links ignored" in (news.message or "")
    assert reports["wire"].status == "ok" and reports["wire"].pages_new == 2

    mixed = reports["mixed"]
    assert mixed.status == "partial" and mixed.pages_new == 1
    assert {e["message"] for e in mixed.errors} == {
        "HTTP 404 from page",
        "not an HTML page (application/pdf)",
    }
    assert {e["url"] for e in mixed.errors} == {
        f"{base}/mixed/gone.html",
        f"{base}/mixed/report.pdf",
    }

    failed = {name: r.message for name, r in reports.items() if r.status == "failed"}
    assert failed.keys() == {"http-500", "malformed", "html-feed", "unreachable"}
    assert failed["http-500"] == f"HTTP 500 from feed (after 1 retry) ({base}/broken/500.xml)"
    assert failed["malformed"].startswith("malformed feed: XML syntax error at line 3")
    assert failed["html-feed"] == (
        f"not a feed: the feed URL returned an HTML page ({base}/broken/page.xml)"
    )
    assert failed["unreachable"].startswith("feed unreachable: connection refused (http://")
    # The stored rows are what crawl() returned, and finished.
    stored = rows(clean_db, "SELECT * FROM crawl_reports WHERE run_id = 'run-1'")
    assert len(stored) == 7 and all(r["finished_at"] for r in stored)
    assert {r["source"]: r["status"] for r in stored} == {n: r.status for n, r in reports.items()}

    # A second crawl requests no article page again and stores nothing twice.
    fetched_before = len(server.article_requests())
    again = by_source(crawl(sources, clean_db, only=["news", "wire"], scrapy_settings=FAST))
    assert len(server.article_requests()) == fetched_before
    assert rows(clean_db, "SELECT count(*) AS n FROM pages")[0]["n"] == len(pages)
    assert again["news"].status == "ok"
    assert (again["news"].pages_fetched, again["news"].pages_new) == (0, 0)
    assert again["news"].pages_skipped == 4  # three stored + the fbclid duplicate
    assert (again["wire"].pages_new, again["wire"].pages_skipped) == (0, 2)


@pytest.mark.slow
def test_stored_canonical_urls_count_as_already_stored(
    server: FeedServer, clean_db: str, tmp_path: Path
) -> None:
    # A page stored earlier under another address whose canonical URL is a feed link now.
    with db.get_engine(clean_db).begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO pages (source, url, canonical_url, http_status, html) "
                "VALUES ('news', :url, :canonical, 200, '<html></html>')"
            ),
            {"url": "https://mirror.test/one", "canonical": f"{server.base}/news/one.html"},
        )
    path = tmp_path / "sources.yaml"
    entry = {"name": "news", "kind": "rss", "url": f"{server.base}/news/rss.xml"}
    path.write_text(yaml.safe_dump({"sources": [entry]}))
    [report] = crawl(path, clean_db, scrapy_settings=FAST)
    assert "/news/one.html" not in server.requests
    assert (report.status, report.pages_new, report.pages_skipped) == ("ok", 2, 2)


def test_a_crawl_without_its_database_is_not_started(server: FeedServer, tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "sources.yaml", server, broken=False)
    with pytest.raises(CrawlError) as error:
        # No PostgreSQL listens there: nothing could be stored or reported, so nothing starts.
        crawl(sources, f"postgresql://nobody@127.0.0.1:{unused_port()}/none", timeout=60)
    assert error.value.reason.startswith("database unreachable, crawl not started: ")
    assert "Connection refused" in error.value.reason or "connection" in error.value.reason
    assert not server.requests


@pytest.mark.slow
def test_a_crawl_over_its_time_limit_raises_and_marks_its_reports_failed(
    server: FeedServer, clean_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.crawl.TERMINATE_GRACE", 1.0)
    path = tmp_path / "sources.yaml"
    entry = {"name": "slow", "kind": "rss", "url": f"{server.base}/slow/feed.xml"}
    path.write_text(yaml.safe_dump({"sources": [entry]}))
    with pytest.raises(CrawlError, match="timed out after 6 s"):
        crawl(path, clean_db, run_id="slow-run", timeout=6, scrapy_settings=FAST)
    [report] = rows(clean_db, "SELECT * FROM crawl_reports WHERE run_id = 'slow-run'")
    assert report["status"] == "failed"
    assert report["message"] == "crawl slow-run timed out after 6 s"


@pytest.mark.slow
def test_a_pass_names_a_crawl_that_did_not_complete_and_goes_on(
    server: FeedServer, clean_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.crawl.TERMINATE_GRACE", 1.0)
    path = tmp_path / "sources.yaml"
    entries = [
        {"name": "slow", "kind": "rss", "url": f"{server.base}/slow/feed.xml"},
        {"name": "news", "kind": "rss", "url": f"{server.base}/news/rss.xml"},
    ]
    path.write_text(yaml.safe_dump({"sources": entries}))
    settings = Settings(database_url=clean_db, data_dir=tmp_path, alert_urls=[], crawl_timeout=5)
    summary = runner.crawl_stage(settings, sources_path=path, keep_going=True)
    [failure] = summary.failures
    assert failure.startswith("crawl crawl-") and failure.endswith("timed out after 5 s")
    assert f"FAILED: {failure}" in summary.line()
    # Every source has its report, finished, with a plain reason.
    assert summary.sources["slow"].status == "failed"
    assert summary.sources["slow"].message == failure
    assert summary.sources["news"].status in ("ok", "failed")
    assert not rows(clean_db, "SELECT 1 FROM crawl_reports WHERE status = 'running'")
    # Without keep_going (a scheduler's task), the same crawl raises, to be retried.
    with pytest.raises(CrawlError, match="timed out after 5 s"):
        runner.crawl_stage(settings, sources_path=path, only=["slow"])


@pytest.mark.slow
def test_crawl_of_the_bundled_sample_site(clean_db: str, tmp_path: Path) -> None:
    try:
        from pipeline.samplesite import serve, write_sources_file  # type: ignore[attr-defined]
    except ImportError:
        pytest.skip("pipeline.samplesite is not available yet")
    with serve() as site:
        sources = write_sources_file(site.base_url, tmp_path / "sources.yaml", include_broken=True)
        reports = crawl(sources, clean_db, scrapy_settings=FAST)
    assert any(r.status == "failed" for r in reports)
    assert all(r.pages_new > 0 for r in reports if r.status != "failed")
