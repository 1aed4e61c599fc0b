"""The baseline of ``bench_crawl.py``: a plain Scrapy spider over the same generated site.

    scrapy runspider bench/plain_spider.py -a sources=SOURCES.yaml

What anyone would write first with Scrapy alone: it reads each source's RSS feed, sitemap
index (and its sitemaps) or listing page, requests every article once and yields it as an
item, with Scrapy's default settings and middlewares. No database, no conditional requests,
no per-source reports: the rate the project's crawler is measured against. Run from a
directory without ``scrapy.cfg`` so that the project's settings do not apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import scrapy
import yaml
from scrapy.http import Response


class PlainSpider(scrapy.Spider):
    name = "plain"

    def __init__(self, sources: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with open(sources, encoding="utf-8") as file:
            self.sources = yaml.safe_load(file)["sources"]

    async def start(self) -> Any:
        for source in self.sources:
            yield scrapy.Request(
                source["url"], callback=self.parse_listing, cb_kwargs={"source": source}
            )

    def parse_listing(self, response: Response, source: dict[str, Any]) -> Iterator[Any]:
        if source["kind"] == "rss":
            links = response.xpath("//item/link/text()").getall()
        elif source["kind"] == "sitemap":
            response.selector.remove_namespaces()
            for loc in response.xpath("//sitemap/loc/text()").getall():
                yield scrapy.Request(loc, callback=self.parse_listing, cb_kwargs={"source": source})
            links = response.xpath("//url/loc/text()").getall()
        else:
            pattern = re.compile(source["link_pattern"])
            links = [
                response.urljoin(href)
                for href in response.xpath("//a/@href").getall()
                if pattern.search(response.urljoin(href))
            ]
        for link in links:
            yield response.follow(link.strip(), callback=self.parse_page)

    def parse_page(self, response: Response) -> Iterator[dict[str, Any]]:
        yield {"url": response.url, "status": response.status, "html": response.text}
