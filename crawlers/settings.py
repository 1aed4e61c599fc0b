"""Scrapy settings of the libya-turkiye-watch crawler.

Behaviour is changed here (or with ``scrapy crawl feeds -s NAME=VALUE``), never in the
spider. Values that differ between deployments come from the ``LTWATCH_`` environment via
``pipeline.settings`` so that the crawler and the rest of the pipeline agree on them.
"""

from __future__ import annotations

import os

from pipeline.settings import get_settings

_ltwatch = get_settings()

BOT_NAME = "ltwatch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# Outlets should see who is crawling them and where to complain: the project name and a
# contact URL (LTWATCH_USER_AGENT overrides it per deployment).
USER_AGENT = _ltwatch.user_agent

# The PostgreSQL the pipeline stores into. pipeline.crawl always passes a concrete URL in the
# environment; there is no embedded-server fallback in the crawler (see crawlers.pipelines).
# Read straight from the environment first so that a URL passed by the parent process wins
# over any .env file.
LTWATCH_DATABASE_URL = os.environ.get("LTWATCH_DATABASE_URL") or _ltwatch.database_url

# Query parameters dropped from article URLs before they are requested, compared with stored
# pages and stored, so an article reached via a newsletter or an ad is stored once.
# A trailing "*" makes a prefix.
LTWATCH_TRACKING_PARAMS = [
    "utm_*",
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
]

# Politeness: respect robots.txt, at most two parallel requests per outlet, and let
# AutoThrottle slow down further when an outlet answers slowly. A pass fetches one feed and
# a handful of new articles per outlet, so this costs seconds, not minutes.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
# Scrapy's default start delay (5 s) would make every pass wait before its first article;
# 1 s is still gentle, and AutoThrottle raises it for slow sites.
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# A news page or feed that takes longer than this is not coming; retry transient failures
# (connection errors, 5xx, 429) twice, then report them.
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2

# Articles are a few hundred kB; anything over 10 MB is not an article (a video, a dump)
# and would only bloat the pages table.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

# Feeds and articles need no session; cookies would only make requests less reproducible.
COOKIES_ENABLED = False

DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
}

# Conditional requests (If-None-Match / If-Modified-Since from the stored ETag and
# Last-Modified) are Scrapy's HTTP cache with the RFC 2616 policy. It is off by default:
# article pages are never requested twice anyway (the spider skips stored URLs), feeds are
# small, the cache needs a writable directory, and this policy serves the cached copy when
# a feed answers 5xx, which would hide a broken feed from the crawl report. Turn it on with
# `-s HTTPCACHE_ENABLED=True` where bandwidth matters more than that.
HTTPCACHE_ENABLED = False
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_DIR = str(_ltwatch.data_dir / "httpcache")

# No interactive consoles on a scheduled job: both open a local port, and Scrapy's remote
# control (on by default since 2.19) executes Python sent to it.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

LOG_LEVEL = "INFO"

# REQUEST_FINGERPRINTER_IMPLEMENTATION is not set: current Scrapy (2.19) has a single request
# fingerprinting implementation (the former "2.7") and no longer reads that setting.

ITEM_PIPELINES = {
    "crawlers.pipelines.PostgresPagePipeline": 300,
}

FEED_EXPORT_ENCODING = "utf-8"
