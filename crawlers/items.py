"""What the crawler hands to the item pipeline: one fetched page, uninterpreted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(slots=True)
class PageItem:
    """One article page as fetched, mirroring the columns of the ``pages`` table.

    A dataclass rather than a ``scrapy.Item``: Scrapy accepts both (via itemadapter), and
    a dataclass gives type checking and a constructor that rejects misspelt fields.
    """

    source: str
    url: str  # the feed's link, canonicalised (no fragment, no tracking parameters)
    canonical_url: str | None  # from <link rel="canonical">, canonicalised the same way
    http_status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    feed_title: str | None
    feed_published: dt.datetime | None
    html: str  # the decoded response body, untouched
