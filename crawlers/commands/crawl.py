"""``scrapy crawl``, but its exit status says whether what was fetched was stored.

Scrapy's own ``crawl`` exits 0 whenever the spider could be started: a crawl whose pages
could not be stored (the database went away for longer than the crawler waits for it) or
whose reports could not be written would look like a success to whoever started it. This
command, which replaces the built-in one for this project (``COMMANDS_MODULE``), exits with
``EXIT_NOT_STORED`` then, and ends its output with one line that names what happened::

    crawl failed: database connection lost: terminating connection due to administrator
    command (12 pages not stored)

which ``pipeline.crawl`` reads as the run's reason.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawlers.pipelines import DATABASE_LOST_STAT, NOT_STORED_STAT

# Kept in step with pipeline.crawl (the crawler does not import the pipeline's runner).
EXIT_NOT_STORED = 3
FAILURE_PREFIX = "crawl failed: "
REPORTS_NOT_WRITTEN_STAT = "ltwatch/reports_not_written"


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("expected exactly one spider name")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        stats = crawler.stats
        if stats is None:
            return
        not_stored = int(stats.get_value(NOT_STORED_STAT, 0))
        lost = stats.get_value(DATABASE_LOST_STAT)
        unwritten = stats.get_value(REPORTS_NOT_WRITTEN_STAT)
        if not (lost or unwritten):
            return  # pages refused one by one are in their sources' reports
        self.exitcode = EXIT_NOT_STORED
        what = []
        if not_stored:
            what.append(f"{not_stored} pages not stored")
        if unwritten:
            what.append("crawl reports not written")
        reason = lost or unwritten
        print(f"{FAILURE_PREFIX}{reason} ({', '.join(what)})", file=sys.stderr, flush=True)
