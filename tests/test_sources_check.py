"""``ltwatch sources check`` against the fault server, and the shipped sources file."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli_sources import sources_app
from pipeline.sources import Source, load_sources
from pipeline.sources_check import check_sources
from tests.faultserver import FaultServer

FIXTURES = Path(__file__).parent / "fixtures" / "crawl"
RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    "<item><link>/a</link></item><item><link>/b</link></item></channel></rss>"
)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    server = FaultServer()
    xml = "application/rss+xml"
    server.add("/rss.xml", RSS, content_type=xml)
    server.add("/empty.xml", '<rss version="2.0"><channel/></rss>', content_type=xml)
    server.add("/page.xml", "<html><body>home</body></html>")
    server.add("/gone.xml", "gone", fault="status", status=404)
    text = (FIXTURES / "sitemap_index.xml").read_text()
    server.add("/index.xml", text.replace("{base}", server.base), content_type="text/xml")
    listing = (FIXTURES / "listing.html").read_text().replace("{base}", server.base)
    server.add("/section", listing.replace("{other}", server.other))
    yield server
    server.close()


def sources(server: FaultServer) -> list[Source]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    b = server.base
    return [
        Source(name="rss", kind="rss", url=f"{b}/rss.xml"),
        Source(name="index", kind="sitemap", url=f"{b}/index.xml"),
        Source(name="listing", kind="html", url=f"{b}/section", link_pattern=r"/section/\d{4}/"),
        Source(name="empty", kind="rss", url=f"{b}/empty.xml"),
        Source(name="html", kind="rss", url=f"{b}/page.xml"),
        Source(name="gone", kind="atom", url=f"{b}/gone.xml"),
        Source(name="down", kind="rss", url=f"http://127.0.0.1:{port}/rss.xml"),
    ]


def test_check_gives_a_verdict_per_source(server: FaultServer) -> None:
    results = {r.source: r for r in check_sources(sources(server), timeout=5)}
    assert [(n, r.verdict, r.items) for n, r in results.items()] == [
        ("rss", "ok", 2),
        ("index", "ok", 4),
        ("listing", "ok", 3),
        ("empty", "empty", 0),
        ("html", "not-a-feed", 0),
        ("gone", "http-error", 0),
        ("down", "unreachable", 0),
    ]
    assert results["index"].detail == "4 child sitemaps (a sitemap index)"
    assert results["html"].detail == "not a feed: the feed URL returned an HTML page"
    assert results["gone"].detail.startswith("HTTP 404")
    assert "refused" in results["down"].detail.lower()
    # One plain request per source, nothing more (no robots.txt, no articles).
    assert sorted(server.paths()) == sorted(
        ["/rss.xml", "/index.xml", "/section", "/empty.xml", "/page.xml", "/gone.xml"]
    )


def test_cli_check_prints_a_table_and_exits_non_zero_on_a_bad_source(
    server: FaultServer, tmp_path: Path
) -> None:
    path = tmp_path / "sources.yaml"
    entries = [s.model_dump(exclude_defaults=True) for s in sources(server)[:2]]
    path.write_text(yaml.safe_dump({"sources": entries}))
    result = CliRunner().invoke(sources_app, ["check", "--sources", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 of 2 sources ok" in result.output
    entries.append({"name": "gone", "kind": "rss", "url": f"{server.base}/gone.xml"})
    path.write_text(yaml.safe_dump({"sources": entries}))
    result = CliRunner().invoke(sources_app, ["check", "--sources", str(path)])
    assert result.exit_code == 1 and "http-error" in result.output
    listing = CliRunner().invoke(sources_app, ["list", "--sources", str(path)])
    assert listing.exit_code == 0 and "gone" in listing.output


def test_the_shipped_sources_file_has_every_outlet_of_the_issue() -> None:
    shipped = load_sources(Path(__file__).parent.parent / "crawlers" / "sources.yaml")
    assert {s.name for s in shipped} == {
        "trt-world", "anadolu-en", "daily-sabah", "hurriyet-daily-news", "reuters",
        "al-jazeera-en", "middle-east-eye", "the-new-arab", "asharq-al-awsat-en",
        "arab-news", "libya-observer", "libya-herald", "libya-review",
    }  # fmt: skip
    assert all(s.language and s.enabled for s in shipped)
    assert {s.kind for s in shipped if s.name == "reuters"} == {"sitemap"}
