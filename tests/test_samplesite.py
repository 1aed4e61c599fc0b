"""Specification of the bundled sample site: real HTTP on 127.0.0.1, feeds, faults, sources.

Also checks that ``expected.json`` (the ground truth other tests rely on) is consistent
with the pages and with the record contract in pipeline/records.py.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.records import ExtractedEvent
from pipeline.samplesite import SITE_DIR, SampleSite, load_expected, serve, write_sources_file

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS: dict[str, str] = {
    "/trt/feed.xml": "application/rss+xml",
    "/wire/atom.xml": "application/atom+xml",
    "/observer/rss.xml": "application/rss+xml",
    "/aa/rss.xml": "application/rss+xml",
}
EXPECTED: dict[str, Any] = load_expected()


@pytest.fixture(scope="module")
def site() -> Iterator[SampleSite]:
    with serve() as running:
        yield running


def get(url: str) -> tuple[int, str, bytes]:
    """(status, Content-Type, body) of a GET; HTTP errors are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def feed_links(body: bytes) -> list[str]:
    """Item links of an RSS 2.0 or Atom feed."""
    root = ET.fromstring(body)
    if root.tag == "rss":
        return [item.findtext("link", "") for item in root.iter("item")]
    return [
        link.get("href", "") for link in root.iter(f"{ATOM}link") if link.get("rel") == "alternate"
    ][1:]


# --- Serving -----------------------------------------------------------------------------


def test_base_url_is_localhost_with_a_real_port(site: SampleSite) -> None:
    assert site.base_url.startswith("http://127.0.0.1:")
    assert int(site.base_url.rsplit(":", 1)[1]) > 0
    assert not site.base_url.endswith("/")


@pytest.mark.parametrize(("feed", "content_type"), FEEDS.items())
def test_feeds_parse_and_link_to_pages_on_this_server(
    site: SampleSite, feed: str, content_type: str
) -> None:
    status, ctype, body = get(site.url(feed))
    assert status == 200
    assert ctype.startswith(content_type)
    links = feed_links(body)
    assert links, f"{feed} has no items"
    for link in links:
        assert link.startswith(f"{site.base_url}/")
        assert link.removeprefix(f"{site.base_url}/") in EXPECTED


def test_rss_items_have_publication_dates(site: SampleSite) -> None:
    for feed in ("/trt/feed.xml", "/observer/rss.xml", "/aa/rss.xml"):
        root = ET.fromstring(get(site.url(feed))[2])
        assert all(item.findtext("pubDate") for item in root.iter("item"))


def test_every_sample_page_is_in_exactly_one_feed(site: SampleSite) -> None:
    linked = [link for feed in FEEDS for link in feed_links(get(site.url(feed))[2])]
    assert sorted(linked) == sorted(site.url(path) for path in EXPECTED)


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_pages_are_html_with_the_placeholder_replaced(site: SampleSite, path: str) -> None:
    status, ctype, body = get(site.url(path))
    assert status == 200
    assert ctype == "text/html; charset=utf-8"
    text = body.decode("utf-8")
    assert "{{BASE_URL}}" not in text
    assert f'href="{site.base_url}/{path}"' in text  # the canonical link


def test_fault_500(site: SampleSite) -> None:
    assert get(site.url("/fault/500"))[0] == 500


def test_fault_malformed_feed_is_served_as_a_feed_but_does_not_parse(site: SampleSite) -> None:
    status, ctype, body = get(site.url("/fault/malformed.xml"))
    assert status == 200
    assert ctype.startswith("application/rss+xml")
    with pytest.raises(ET.ParseError):
        ET.fromstring(body)


@pytest.mark.parametrize("path", ["/fault/notfound", "/no/such/page.html", "/../pyproject.toml"])
def test_missing_files_are_404(site: SampleSite, path: str) -> None:
    assert get(site.url(path))[0] == 404


def test_request_log_counts_every_request(site: SampleSite) -> None:
    site.clear_requests()
    page = "/wire/world/africa/erdogan-menfi-phone-call.html"
    get(site.url(page))
    get(site.url(page))
    get(site.url("/fault/notfound"))
    assert site.requests == [page, page, "/fault/notfound"]


def test_request_log_is_thread_safe(site: SampleSite) -> None:
    site.clear_requests()
    threads = [threading.Thread(target=get, args=(site.url("/trt/feed.xml"),)) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert site.requests == ["/trt/feed.xml"] * 16


def test_requests_is_a_copy(site: SampleSite) -> None:
    site.requests.append("/tampered")
    assert "/tampered" not in site.requests


def test_close_stops_serving() -> None:
    with serve() as running:
        url = running.url("/trt/feed.xml")
        assert get(url)[0] == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)
    running.close()  # closing twice is harmless


# --- Sources file ----------------------------------------------------------------------------


def load_sources(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources: list[dict[str, Any]] = data["sources"]
    return sources


def test_sources_file_lists_the_four_outlets(tmp_path: Path) -> None:
    base = "http://127.0.0.1:41234"
    path = write_sources_file(base, tmp_path / "sources.yaml")
    sources = load_sources(path)
    assert [(s["name"], s["kind"], s["url"]) for s in sources] == [
        ("trt-sample", "rss", f"{base}/trt/feed.xml"),
        ("wire-sample", "atom", f"{base}/wire/atom.xml"),
        ("observer-sample", "rss", f"{base}/observer/rss.xml"),
        ("aa-sample", "rss", f"{base}/aa/rss.xml"),
    ]
    assert all(s["allowed_domains"] == ["127.0.0.1"] and s["language"] == "en" for s in sources)


def test_sources_file_with_broken_sources(site: SampleSite, tmp_path: Path) -> None:
    sources = load_sources(
        write_sources_file(site.base_url, tmp_path / "s.yaml", include_broken=True)
    )
    names = [s["name"] for s in sources]
    assert len(names) == len(set(names)) == 7
    broken = {s["name"]: s["url"] for s in sources[4:]}
    assert broken["broken-http-500"] == site.url("/fault/500")
    assert broken["broken-malformed"] == site.url("/fault/malformed.xml")
    unreachable = broken["broken-unreachable"]
    assert unreachable.startswith("http://127.0.0.1:")
    assert not unreachable.startswith(site.base_url)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(unreachable, timeout=5)


def test_sources_urls_fetch_from_a_running_site(site: SampleSite, tmp_path: Path) -> None:
    for source in load_sources(write_sources_file(site.base_url, tmp_path / "s.yaml")):
        assert get(source["url"])[0] == 200


# --- Ground truth (expected.json) ------------------------------------------------------------


def test_expected_pages_exist() -> None:
    for path in EXPECTED:
        assert (SITE_DIR / path).is_file(), path


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_expected_paragraphs_appear_in_the_html(path: str) -> None:
    html = (SITE_DIR / path).read_text(encoding="utf-8").replace("&amp;", "&")
    for paragraph in EXPECTED[path]["paragraphs"]:
        assert f">{paragraph}</p>" in html


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_expected_events_follow_the_record_contract(path: str) -> None:
    page = EXPECTED[path]
    assert bool(page["events"]) == page["relevant"]
    for event in page["events"]:
        fields = {k: v for k, v in event.items() if k != "same_event_as"}
        ExtractedEvent(**fields, evidence="(ground truth)", confidence=1.0)


def test_same_event_links_are_mutual() -> None:
    for path, page in EXPECTED.items():
        for index, event in enumerate(page["events"]):
            for ref in event.get("same_event_as", []):
                other = EXPECTED[ref["path"]]["events"][ref["index"]]
                assert {"path": path, "index": index} in other["same_event_as"]
                assert (other["type"], other["date"]) == (event["type"], event["date"])
