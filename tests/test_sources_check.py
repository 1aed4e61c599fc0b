"""``ltwatch sources check`` against real local HTTP servers, and the shipped sources file.

The fault server plays what real outlets do (a feed gzip-compressed unasked, articles that
answer 401, a bot-protection page, robots.txt rules); the bundled sample site serves real
article layouts for the cleaner.
"""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli_sources import sources_app
from pipeline.samplesite import SampleSite, serve
from pipeline.sources import Source, load_sources
from pipeline.sources_check import check_sources
from tests.faultserver import FaultServer

FIXTURES = Path(__file__).parent / "fixtures" / "crawl"
REPO = Path(__file__).parent.parent
XML = "application/rss+xml"
# An article page of our own, long enough for the cleaner to keep a body.
ARTICLE = (
    "<html><head><title>Ministers meet in Ankara</title></head><body><article>"
    "<h1>Ministers meet in Ankara</h1>"
    + "".join(
        f"<p>Paragraph {n} of a test article written for this suite, with enough words in "
        f"it that a boilerplate remover takes it for the body of the page it belongs to.</p>"
        for n in range(6)
    )
    + "</article></body></html>"
)
BOT_WALL = (
    "<html><head><title>Just a moment...</title></head><body>"
    "<p>Checking your browser before accessing the site.</p></body></html>"
)


def rss(*links: str) -> str:
    items = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in links)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server() -> Iterator[FaultServer]:
    server = FaultServer()
    b = server.base
    server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.add("/a/1", ARTICLE)
    server.add("/rss.xml", rss(f"{b}/a/1?utm_source=rss", f"{b}/a/2"), content_type=XML)
    # Sent gzip-compressed although the request did not ask for it (Middle East Eye).
    server.add(
        "/gz.xml",
        gzip.compress(rss(f"{b}/a/1").encode()),
        content_type=XML,
        headers={"Content-Encoding": "gzip"},
    )
    server.add("/refused/1", "no", fault="status", status=401, content_type="text/plain")
    server.add("/refusing.xml", rss(f"{b}/refused/1"), content_type=XML)
    server.add("/wall/1", BOT_WALL)
    server.add("/walled.xml", rss(f"{b}/wall/1"), content_type=XML)
    server.add("/private/rss.xml", rss(f"{b}/a/1"), content_type=XML)
    server.add("/private/1", ARTICLE)
    server.add("/robots-article.xml", rss(f"{b}/private/1"), content_type=XML)
    server.add("/empty.xml", '<rss version="2.0"><channel/></rss>', content_type=XML)
    server.add("/page.xml", "<html><body>home</body></html>")
    server.add("/gone.xml", "gone", fault="status", status=404)
    text = (FIXTURES / "sitemap_index.xml").read_text()
    server.add("/index.xml", text.replace("{base}", server.base), content_type="text/xml")
    yield server
    server.close()


def sources(server: FaultServer) -> list[Source]:
    b = server.base
    return [
        Source(name="plain", kind="rss", url=f"{b}/rss.xml"),
        Source(name="gzip-unasked", kind="rss", url=f"{b}/gz.xml"),
        Source(name="refusing", kind="rss", url=f"{b}/refusing.xml"),
        Source(name="walled", kind="rss", url=f"{b}/walled.xml"),
        Source(name="robots-feed", kind="rss", url=f"{b}/private/rss.xml"),
        Source(name="robots-article", kind="rss", url=f"{b}/robots-article.xml"),
        Source(name="empty", kind="rss", url=f"{b}/empty.xml"),
        Source(name="html", kind="rss", url=f"{b}/page.xml"),
        Source(name="gone", kind="atom", url=f"{b}/gone.xml"),
        Source(name="down", kind="rss", url=f"http://127.0.0.1:{unused_port()}/rss.xml"),
    ]


def test_check_follows_each_feed_to_one_article_and_says_what_a_crawl_would_get(
    server: FaultServer,
) -> None:
    results = {r.source: r for r in check_sources(sources(server), timeout=5)}
    assert {n: r.verdict for n, r in results.items()} == {
        "plain": "ok",
        "gzip-unasked": "ok",
        "refusing": "article-refused",
        "walled": "article-refused",
        "robots-feed": "robots-disallowed",
        "robots-article": "robots-disallowed",
        "empty": "empty",
        "html": "not-a-feed",
        "gone": "http-error",
        "down": "unreachable",
    }
    plain = results["plain"]
    assert (plain.items, plain.status, plain.article_status) == (2, 200, "200")
    # The sampled article is the feed's first, with its tracking parameter dropped, and
    # the cleaner kept its body.
    assert plain.article_url == f"{server.base}/a/1"
    assert plain.body_chars and plain.body_chars > 300
    assert plain.robots == "feed: allowed; article: allowed"
    # The gzip body was decoded although nobody asked for it.
    assert results["gzip-unasked"].items == 1 and results["gzip-unasked"].body_chars
    assert results["refusing"].article_status == "HTTP 401"
    assert "answers HTTP 401" in results["refusing"].detail
    assert results["walled"].article_status == "bot wall"
    assert "disallowed by" in results["robots-feed"].robots
    assert results["robots-article"].robots.startswith("feed: allowed; article: disallowed")
    assert results["html"].detail == "not a feed: the feed URL returned an HTML page"
    assert results["gone"].detail.startswith("HTTP 404")
    assert "refused" in results["down"].detail.lower()
    # Nothing robots.txt disallows was requested; the refused article was asked once.
    assert "/private/rss.xml" not in server.paths() and "/private/1" not in server.paths()
    assert server.paths().count("/refused/1") == 1


def news_sitemap(*entries: tuple[str, str]) -> str:
    """A Google News sitemap of (URL, news:language) entries, published now."""
    import datetime as dt

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    urls = "".join(
        f"<url><loc>{loc}</loc><news:news><news:publication><news:name>X</news:name>"
        f"<news:language>{lang}</news:language></news:publication>"
        f"<news:publication_date>{now}</news:publication_date><news:title>t</news:title>"
        "</news:news></url>"
        for loc, lang in entries
    )
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    )


def test_a_multilingual_sitemap_index_is_sampled_in_the_source_language(
    server: FaultServer,
) -> None:
    b = server.base
    server.add(
        "/idx.xml",
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{b}/news-1.xml</loc></sitemap>"
        f"<sitemap><loc>{b}/news-2.xml</loc></sitemap></sitemapindex>",
        content_type="text/xml",
    )
    entries = [(f"{b}/es/1", "es"), (f"{b}/ar/1", "ar"), (f"{b}/a/1", "en-GB")]
    server.add("/news-1.xml", news_sitemap(*entries), content_type="text/xml")
    source = Source(name="wire", kind="sitemap", url=f"{b}/idx.xml", language="en")
    [result] = check_sources([source])
    assert result.verdict == "ok", result
    assert result.items == 2 and result.detail.startswith("2 child sitemaps (a sitemap index)")
    # The first entry in the source's language, not the first entry.
    assert result.article_url == f"{b}/a/1"
    assert "/es/1" not in server.paths()


def test_check_of_the_sample_site_cleans_real_layouts() -> None:
    with serve() as site:
        assert isinstance(site, SampleSite)
        feed = Source(name="trt-sample", kind="rss", url=f"{site.base_url}/trt/feed.xml")
        [result] = check_sources([feed], timeout=10)
    assert result.verdict == "ok", result
    assert result.body_chars and result.body_chars > 500


def test_cli_check_exits_non_zero_on_a_bad_source(server: FaultServer, tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    entries = [s.model_dump(exclude_defaults=True) for s in sources(server)[:2]]
    path.write_text(yaml.safe_dump({"sources": entries}))
    result = CliRunner().invoke(sources_app, ["check", "--sources", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 of 2 sources ok" in result.output
    entries.append({"name": "refusing", "kind": "rss", "url": f"{server.base}/refusing.xml"})
    path.write_text(yaml.safe_dump({"sources": entries}))
    result = CliRunner().invoke(sources_app, ["check", "--sources", str(path)])
    assert result.exit_code == 1 and "article-refused" in result.output


def test_piped_output_keeps_whole_names_and_urls(server: FaultServer, tmp_path: Path) -> None:
    """Into a file (or a log) nothing is cut to 80 columns: `hurriyet-dai…` was."""
    name = "an-outlet-with-a-rather-long-name-hurriyet-daily-news-style"
    long_path = "/feeds/section/with/a/long/path/that/used/to/be/cut/rss.xml"
    server.add(long_path, rss(f"{server.base}/a/1"), content_type=XML)
    path = tmp_path / "sources.yaml"
    entry = {"name": name, "kind": "rss", "url": server.base + long_path}
    path.write_text(yaml.safe_dump({"sources": [entry]}))
    out = tmp_path / "check.txt"
    with out.open("w") as sink:
        # COLUMNS unset and stdout a file: what a cron job or a log sees.
        env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
        done = subprocess.run(
            [sys.executable, "-m", "pipeline.cli", "sources", "check", "--sources", str(path)],
            stdout=sink, stderr=subprocess.PIPE, text=True, env=env, timeout=120, cwd=REPO,
        )  # fmt: skip
    text = out.read_text()
    assert done.returncode == 0, (text, done.stderr)
    assert name in text.splitlines()
    assert f"  feed url: {server.base}{long_path}" in text.splitlines()
    assert f"  article url: {server.base}/a/1" in text.splitlines()
    assert "…" not in text
    listing = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "sources", "list", "--sources", str(path)],
        capture_output=True, text=True, env=env, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert name in listing.stdout.splitlines() and "…" not in listing.stdout


def test_the_shipped_sources_file_has_every_outlet_with_its_evidence() -> None:
    shipped = {s.name: s for s in load_sources(REPO / "crawlers" / "sources.yaml")}
    assert set(shipped) == {
        "trt-world", "anadolu-en", "daily-sabah", "hurriyet-daily-news", "reuters",
        "al-jazeera-en", "middle-east-eye", "the-new-arab", "asharq-al-awsat-en",
        "arab-news", "libya-observer", "libya-herald", "libya-review",
    }  # fmt: skip
    assert all(s.language and s.evidence for s in shipped.values())
    # Outlets that refuse crawlers ship disabled, with their reason.
    blocked = {n for n, s in shipped.items() if s.blocked}
    assert blocked == {"reuters", "arab-news", "the-new-arab", "libya-observer"}
    assert not any(shipped[n].enabled for n in blocked)
    assert all(s.enabled for n, s in shipped.items() if n not in blocked)
    # Addresses the evidence corrected.
    assert shipped["trt-world"].url == "https://www.trtworld.com/feed/rss.xml"
    assert shipped["hurriyet-daily-news"].url == "https://www.hurriyetdailynews.com/rss/news"
    assert shipped["daily-sabah"].url == "https://www.dailysabah.com/rss/turkiye"
    assert shipped["reuters"].kind == "sitemap" and shipped["reuters"].language == "en"


def test_a_blocked_source_is_enabled_only_when_the_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n"
        "  - {name: a, kind: rss, url: 'http://x.test/a', blocked: 'answers 403'}\n"
        "  - {name: b, kind: rss, url: 'http://x.test/b', blocked: 'answers 403', enabled: true}\n"
    )
    a, b = load_sources(path)
    assert (a.enabled, b.enabled) == (False, True)
