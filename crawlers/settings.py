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
    # Seen in real feeds' links: Al Jazeera (?traffic_source=rss), CNN (?eref=rss_…),
    # Microsoft/MSN syndication (ocid), Reuters and Twitter shares (taid), BBC/Nielsen
    # (at_medium, at_campaign, ns_source, ns_mchannel, ns_campaign, ns_linkname), NYT
    # (smid), Yahoo/Guardian (cmpid, CMP), Mailchimp-style (mkt_tok), HubSpot (_hsenc,
    # _hsmi), Piano/Vero (vero_id), Google (srsltid).
    "traffic_source",
    "traffic_medium",
    "eref",
    "ocid",
    "taid",
    "at_*",
    "ns_source",
    "ns_mchannel",
    "ns_campaign",
    "ns_linkname",
    "smid",
    "cmpid",
    "cmp",
    "mkt_tok",
    "_hsenc",
    "_hsmi",
    "vero_id",
    "srsltid",
]

# Polling across runs (see crawlers/crawl_state.py). A source's feed is not polled again
# before its `min_interval` (minutes, sources file) or LTWATCH_MIN_POLL_INTERVAL (seconds)
# has passed, nor before what the feed itself asks (<ttl> in RSS, Cache-Control: max-age)
# when that is longer, capped at LTWATCH_MAX_POLL_INTERVAL so that no feed can silence
# itself for a day. A run that starts a little early (schedulers jitter) still polls:
# LTWATCH_POLL_GRACE seconds, at most a fifth of the interval.
LTWATCH_MIN_POLL_INTERVAL = 0
LTWATCH_MAX_POLL_INTERVAL = 3600
LTWATCH_POLL_GRACE = 60

# Circuit breaker. A run in which every article requested from a source was refused (HTTP
# 401/403 or a bot-wall page) is a refused run; after this many in a row the source is
# paused, reported once to the operators, and tried again (one article) after
# LTWATCH_PAUSE_RETRY_HOURS, doubling after each failed try up to LTWATCH_PAUSE_MAX_HOURS.
# Refused article URLs are remembered and not requested again except by those tries.
LTWATCH_REFUSED_RUNS_TO_PAUSE = 3
LTWATCH_PAUSE_RETRY_HOURS = 24.0
LTWATCH_PAUSE_MAX_HOURS = 7 * 24.0
LTWATCH_PAUSE_PROBE_PAGES = 1
# A 200 answer that is a bot-protection challenge, not the article, counts as refused (and
# is not stored). Matched case-insensitively in pages under 64 kB.
LTWATCH_BOT_WALL_MARKERS = [
    "<title>Just a moment...</title>",  # Cloudflare challenge
    "Attention Required! | Cloudflare",
    "cf-browser-verification",
    "captcha-delivery.com",  # DataDome (Reuters)
    "Please enable JS and disable any ad blocker",  # DataDome's no-JS text
    "px-captcha",  # HUMAN / PerimeterX
    "_Incapsula_Resource",  # Imperva
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
# (connection errors, 5xx, 429) twice, then report them. DOWNLOAD_TIMEOUT bounds the whole
# download, so a server that drips a byte a second times out too.
DOWNLOAD_TIMEOUT = int(os.environ.get("LTWATCH_DOWNLOAD_TIMEOUT", "30"))
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Retries wait base·2^(n-1) seconds (capped), or what Retry-After asks when longer
# (crawlers.middlewares.BackoffMiddleware); a Retry-After over LTWATCH_RETRY_AFTER_MAX is
# not waited for in this run. The environment may shorten the base, as LTWATCH_RETRY_DELAY
# does Airflow's retries (the scheduler's tests, which crawl outlets that are down).
LTWATCH_RETRY_BACKOFF_BASE = float(os.environ.get("LTWATCH_RETRY_BACKOFF_BASE", "2.0"))
LTWATCH_RETRY_BACKOFF_MAX = 60.0
LTWATCH_RETRY_AFTER_MAX = 120.0
# After this many 429 answers in a run a source is not asked again until the next run.
LTWATCH_MAX_429_PER_SOURCE = 10

# A redirect chain longer than this is a loop (or as good as one).
REDIRECT_MAX_TIMES = 5

# Articles are a few hundred kB; anything over 10 MB is not an article (a video, a dump)
# and would only bloat the pages table. The limit applies to the decompressed body too
# (HttpCompressionMiddleware), which stops gzip bombs. Sitemaps may legitimately be up to
# 50 MB uncompressed (sitemaps.org), so they get their own limit.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
LTWATCH_SITEMAP_MAXSIZE = 50 * 1024 * 1024
# Article pages fetched per source per run at most (a source's max_pages overrides it):
# a site that suddenly lists thousands of URLs costs a bounded crawl, the rest comes later.
LTWATCH_MAX_PAGES_PER_SOURCE = 200

# Feeds and articles need no session; cookies would only make requests less reproducible.
COOKIES_ENABLED = False

DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
}

# Conditional requests for feeds, sitemaps and listing pages are made by the spider itself
# from the validators in the feed_state table (shared by every worker, unlike a cache
# directory); Scrapy's HTTP cache stays off: it would serve a cached copy when a feed
# answers 5xx, hiding a broken feed from the crawl report. Article pages are never
# requested twice anyway (the spider skips stored URLs).
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

DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt (100): an off-domain redirect must not even fetch that robots.txt.
    "crawlers.middlewares.SourceGuardMiddleware": 50,
    # After everything else, just before the download: counts what is really sent, and sees
    # a 429/503 before RetryMiddleware (550) decides to retry it.
    "crawlers.middlewares.BackoffMiddleware": 960,
}

ITEM_PIPELINES = {
    "crawlers.pipelines.PostgresPagePipeline": 300,
}
# Pages are stored this many at a time (or what waited LTWATCH_STORE_FLUSH_SECONDS), one
# transaction per batch; a lost database connection is retried this long before the pages
# count as not stored and the crawl stops (crawlers.pipelines).
LTWATCH_STORE_BATCH = 100
LTWATCH_STORE_FLUSH_SECONDS = 1.0
LTWATCH_DB_RETRY_SECONDS = 30.0
# `scrapy crawl` whose exit status says whether the pages were stored (crawlers.commands).
COMMANDS_MODULE = "crawlers.commands"

FEED_EXPORT_ENCODING = "utf-8"
