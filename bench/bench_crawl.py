"""Crawl benchmark: a generated local site, a first run, then a second run over it unchanged.

    uv run python bench/bench_crawl.py [--sources 10] [--articles 200] [--repeat 3]

Serves ``sources × articles`` article pages (default 10 × 200 = 2,000) from the tests'
fault server on 127.0.0.1 — RSS feeds, Google News sitemaps behind a sitemap index, and
HTML listing pages — crawls them into a throw-away embedded PostgreSQL (or into the
database at ``LTWATCH_DATABASE_URL``: a scratch one, since the pages stay), and prints:

- first run: pages stored, wall time, pages per second, crawler CPU seconds per page;
- second run over the unchanged site: requests sent and wall time, and the ratio of the
  two runs' requests (target: under 2 %);
- a plain Scrapy spider (:class:`PlainSpider`, below: Scrapy's defaults, the same
  concurrency, no database) over the same site in the same process: its pages per second,
  and the project crawler's rate as a ratio of it (target: at least 0.8).

``--repeat N`` runs each first crawl N times (a fresh database each time) and prints medians.

Not a timed test: figures depend on the machine. Politeness is off (it is our own server).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import db
from pipeline.crawl import crawl
from pipeline.settings import Settings
from tests.faultserver import FaultServer

PLAIN_SPIDER = Path(__file__).resolve().parent / "plain_spider.py"

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


def plain_scrapy(sources: Path, workdir: Path) -> tuple[float, float]:
    """Run the plain spider over the site; (wall seconds, CPU seconds) of its process."""
    settings = {**SETTINGS, "ROBOTSTXT_OBEY": True}
    settings.pop("LTWATCH_MAX_PAGES_PER_SOURCE")
    command = [sys.executable, "-m", "scrapy", "runspider", str(PLAIN_SPIDER)]
    command += ["-a", f"sources={sources}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    cpu, started = child_cpu(), time.monotonic()
    # From a directory without scrapy.cfg: Scrapy's own defaults, not the project's settings.
    subprocess.run(command, cwd=workdir, env=env, check=True)
    return time.monotonic() - started, child_cpu() - cpu


def empty(url: str) -> None:
    with db.get_engine(url).begin() as conn:
        conn.execute(sa.text("TRUNCATE pages, feed_state, crawl_reports RESTART IDENTITY CASCADE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=10)
    parser.add_argument("--articles", type=int, default=200, help="per source")
    parser.add_argument("--repeat", type=int, default=3, help="first runs of each crawler")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="ltwatch-bench-"))
    url = db.resolve_database_url(
        Settings(database_url=os.environ.get("LTWATCH_DATABASE_URL"), data_dir=data_dir),
        keep_running=False,
    )
    db.upgrade(url)
    server = FaultServer()
    ours: list[tuple[float, float, int, int]] = []  # wall, cpu, pages stored, requests
    plain: list[tuple[float, float, int]] = []  # wall, cpu, pages fetched
    try:
        entries = build(server, args.sources, args.articles)
        path = data_dir / "sources.yaml"
        path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False))
        total = args.sources * args.articles

        # Interleaved, so that a machine busy with something else slows both alike.
        for attempt in range(args.repeat):
            empty(url)
            server.reset_hits()
            cpu, started = child_cpu(), time.monotonic()
            first = crawl(
                path, url, run_id=f"bench-1-{os.getpid()}-{attempt}", scrapy_settings=SETTINGS
            )
            wall, used = time.monotonic() - started, child_cpu() - cpu
            stored = sum(r.pages_new for r in first)
            ours.append((wall, used, stored, server.count()))
            failed = [r for r in first if r.status != "ok"]

            server.reset_hits()
            wall, used = plain_scrapy(path, data_dir)
            plain.append((wall, used, server.count()))

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

    wall1 = statistics.median(w for w, _, _, _ in ours)
    cpu1 = statistics.median(c for _, c, _, _ in ours)
    stored = ours[-1][2]
    requests1 = ours[-1][3]
    rate = statistics.median(s / w for w, _, s, _ in ours)
    plain_rate = statistics.median(total / w for w, _, _ in plain)
    plain_cpu = statistics.median(c for _, c, _ in plain)
    print(f"site: {args.sources} sources, {total} articles ({len(server.routes)} URLs)")
    print(f"first runs, median of {args.repeat}:")
    print(
        f"  ltwatch crawler: {stored} pages stored, {requests1} requests, {wall1:.1f} s wall, "
        f"{rate:.1f} pages/s, {cpu1 / max(stored, 1) * 1000:.2f} ms CPU/page "
        f"(crawler process, {cpu1:.1f} s CPU)"
    )
    print(
        f"  plain Scrapy:    {plain[-1][2]} requests, "
        f"{statistics.median(w for w, _, _ in plain):.1f} s wall, {plain_rate:.1f} pages/s, "
        f"{plain_cpu / total * 1000:.2f} ms CPU/page"
    )
    print(f"  ltwatch / plain Scrapy: {rate / plain_rate:.2f}x (target >= 0.8x)")
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
