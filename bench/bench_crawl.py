"""Crawl benchmark: a generated local site, a first run, then a second run over it unchanged.

    uv run python bench/bench_crawl.py [--sources 10] [--articles 200]

Serves ``sources × articles`` article pages (default 10 × 200 = 2,000) from the tests'
fault server on 127.0.0.1 — RSS feeds, Google News sitemaps behind a sitemap index, and
HTML listing pages — crawls them into a throw-away embedded PostgreSQL (or into the
database at ``LTWATCH_DATABASE_URL``: a scratch one, since the pages stay), and prints:

- first run: pages stored, wall time, pages per second, crawler CPU seconds per page;
- second run over the unchanged site: requests sent and wall time, and the ratio of the
  two runs' requests (target: under 2 %).

Not a timed test: figures depend on the machine. Politeness is off (it is our own server).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import db
from pipeline.crawl import crawl
from pipeline.settings import Settings
from tests.faultserver import FaultServer

SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "LTWATCH_MAX_PAGES_PER_SOURCE": 100_000,
    "LOG_LEVEL": "WARNING",
}

PARAGRAPH = (
    "<p>Turkish and Libyan officials met in Tripoli on Tuesday to discuss maritime "
    "boundaries, energy exploration and the training of security forces, according to a "
    "statement released after the talks.</p>"
)


def article(source: str, number: int) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{source} {number}</title>"
        "</head><body><nav>Home · World · Türkiye · Libya</nav><article>"
        f"<h1>{source} story {number}</h1>{PARAGRAPH * 12}</article>"
        "<footer>© outlet</footer></body></html>"
    ).encode()


def build(server: FaultServer, sources: int, articles: int) -> list[dict[str, object]]:
    b = server.base
    now = dt.datetime.now(dt.UTC)
    entries: list[dict[str, object]] = []
    for s in range(sources):
        name = f"bench-{s:02d}"
        links = [f"/{name}/{dt.date.today():%Y/%m/%d}/story-{i}.html" for i in range(articles)]
        for i, link in enumerate(links):
            server.add(link, article(name, i))
        kind = ("rss", "rss", "rss", "rss", "rss", "sitemap", "sitemap", "sitemap", "html")[s % 9]
        if kind == "rss":
            items = "".join(
                f"<item><title>{i}</title><link>{b}{u}</link></item>" for i, u in enumerate(links)
            )
            server.add(
                f"/{name}/rss.xml",
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
                f"{items}</channel></rss>",
                content_type="application/rss+xml",
            )
            entries.append({"name": name, "kind": "rss", "url": f"{b}/{name}/rss.xml"})
        elif kind == "sitemap":
            stamp = (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            half = len(links) // 2
            for part, chunk in enumerate((links[:half], links[half:])):
                urls = "".join(
                    f"<url><loc>{b}{u}</loc><news:news><news:publication_date>{stamp}"
                    f"</news:publication_date><news:title>{u}</news:title></news:news></url>"
                    for u in chunk
                )
                server.add(
                    f"/{name}/news-{part}.xml",
                    '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                    'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                    f"{urls}</urlset>",
                    content_type="application/xml",
                )
            children = "".join(
                f"<sitemap><loc>{b}/{name}/news-{p}.xml</loc><lastmod>{stamp}</lastmod></sitemap>"
                for p in (0, 1)
            )
            server.add(
                f"/{name}/sitemap.xml",
                '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">{children}</sitemapindex>',
                content_type="application/xml",
            )
            entries.append({"name": name, "kind": "sitemap", "url": f"{b}/{name}/sitemap.xml"})
        else:
            anchors = "".join(f'<li><a href="{u}">story {i}</a></li>' for i, u in enumerate(links))
            server.add(f"/{name}/", f"<html><body><ul>{anchors}</ul></body></html>")
            entries.append(
                {
                    "name": name,
                    "kind": "html",
                    "url": f"{b}/{name}/",
                    "link_pattern": r"/story-\d+\.html$",
                }
            )
    return entries


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=10)
    parser.add_argument("--articles", type=int, default=200, help="per source")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="ltwatch-bench-"))
    url = db.resolve_database_url(
        Settings(database_url=os.environ.get("LTWATCH_DATABASE_URL"), data_dir=data_dir),
        keep_running=False,
    )
    db.upgrade(url)
    server = FaultServer()
    try:
        entries = build(server, args.sources, args.articles)
        path = data_dir / "sources.yaml"
        path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False))
        total = args.sources * args.articles

        cpu, started = child_cpu(), time.monotonic()
        first = crawl(path, url, run_id=f"bench-1-{os.getpid()}", scrapy_settings=SETTINGS)
        wall1, cpu1 = time.monotonic() - started, child_cpu() - cpu
        requests1 = server.count()
        stored = sum(r.pages_new for r in first)
        failed = [r for r in first if r.status != "ok"]

        server.reset_hits()
        started = time.monotonic()
        second = crawl(path, url, run_id=f"bench-2-{os.getpid()}", scrapy_settings=SETTINGS)
        wall2 = time.monotonic() - started
        requests2 = server.count()
    finally:
        server.close()
        if not os.environ.get("LTWATCH_DATABASE_URL"):
            db.stop_embedded(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)

    print(f"site: {args.sources} sources, {total} articles ({len(server.routes)} URLs)")
    print(
        f"first run:  {stored} pages stored, {requests1} requests, {wall1:.1f} s wall, "
        f"{stored / wall1:.1f} pages/s, {cpu1 / max(stored, 1) * 1000:.2f} ms CPU/page "
        f"(crawler process, {cpu1:.1f} s CPU)"
    )
    print(
        f"second run: {requests2} requests (feeds, sitemaps, listing pages, robots.txt), "
        f"{wall2:.1f} s wall, "
        f"{sum(r.not_modified for r in second)}/{len(second)} sources not modified"
    )
    print(f"second/first requests: {requests2 / requests1:.2%} (target < 2%)")
    if failed:
        print("not ok:", ", ".join(f"{r.source}: {r.message}" for r in failed))
        sys.exit(1)


if __name__ == "__main__":
    main()
