"""crawl: every 5 minutes, one mapped task per enabled source → the ``pages`` asset.

```
enabled_sources ──▶ crawl_source ×N (mapped, pool ltwatch_crawl) ──▶ publish_pages ─▶ [pages]
                                                                 └──▶ watcher
```
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from _common import (
    CRAWL_POOL,
    DEFAULT_ARGS,
    PAGES,
    START_DATE,
    TAGS,
    log,
    reported,
    retry_delay,
    schedule_from_env,
    settings,
)
from airflow.sdk import TriggerRule, dag, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

DOC_MD = """
### crawl — one task per enabled source

1. **enabled_sources** reads the sources file (`LTWATCH_SOURCES`, or the Airflow variable
   `ltwatch_sources`) *when the run starts* and lists the enabled sources' names.
2. **crawl_source** is mapped over them: each crawls one source with Scrapy in a process of
   its own and stores new raw pages in PostgreSQL. At most `ltwatch_crawl` pool slots
   (4 by default: *Admin → Pools*) crawl at once, however many workers there are. An
   outlet that is down or serves garbage is reported in the task's summary and in
   `source_health` (one operator alert after three bad runs in a row), not as a failed
   task; the task fails only when the crawl itself could not run (crawler killed or timed
   out, database unreachable) — it is retried, and pages already stored are never fetched
   or stored again.
3. **publish_pages** adds up the summaries and updates the **pages** asset, which starts
   the `process` DAG, only when at least one new page was stored (skipped otherwise).
4. **watcher** fails the run if a crawl task failed for good (publishing still happens).

Schedule: every 5 minutes, or `LTWATCH_SCHEDULE` (cron, a duration such as `15m`, or
`none`).
"""


@dag(
    dag_id="crawl",
    schedule=schedule_from_env(os.environ.get("LTWATCH_SCHEDULE")),
    start_date=START_DATE,
    catchup=False,
    # Overlapping crawls of the same source would fetch the same new pages twice (stored
    # once, thanks to pages.url UNIQUE, but fetched twice): one run at a time.
    max_active_runs=1,
    # A stuck run holds back the next ones; after an hour the next run, which re-does
    # everything this one would, is worth more.
    dagrun_timeout=timedelta(hours=1),
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "crawl"],
    doc_md=DOC_MD,
)
def crawl() -> None:
    @task(retries=1, retry_delay=retry_delay(timedelta(minutes=1)))
    def enabled_sources() -> list[str]:
        # Read here, at run time: parsing the DAG file must not depend on the sources file.
        from pipeline.sources import load_sources, select_sources

        names = [source.name for source in select_sources(load_sources(settings().sources))]
        if not names:
            raise AirflowSkipException("no enabled source in the sources file")
        return names

    @task(
        pool=CRAWL_POOL,
        # Feeds and the network fail transiently; two retries a few minutes apart ride it out.
        retries=2,
        retry_delay=retry_delay(timedelta(minutes=3)),
        # Above Settings.crawl_timeout (900 s), which bounds the Scrapy subprocess itself;
        # this only catches a task that hangs outside Scrapy.
        execution_timeout=timedelta(minutes=20),
        # The grid shows each mapped task by its source's name, not by its index.
        map_index_template="{{ source_name }}",
    )
    def crawl_source(source: str) -> dict[str, Any]:
        from airflow.sdk import get_current_context

        from pipeline.runner import crawl_stage

        get_current_context()["source_name"] = source  # type: ignore[typeddict-unknown-key]

        # crawl_stage runs Scrapy in a child process and raises when the crawl as a whole
        # did not run (killed, timed out, database down): the task fails and is retried.
        return reported(crawl_stage(settings(), only=[source]))

    @task(
        outlets=[PAGES],
        # Publish what the sources that did work stored, even if another crawl failed.
        trigger_rule=TriggerRule.ALL_DONE,
        retries=0,
    )
    def publish_pages(summaries: list[dict[str, Any]]) -> dict[str, Any]:
        # Only successful crawl tasks have a return value; failed ones are simply absent.
        totals = {"sources": 0, "pages_fetched": 0, "pages_new": 0, "sources_failed": 0}
        for summary in summaries:
            for figures in summary["sources"].values():
                totals["sources"] += 1
                totals["pages_fetched"] += figures["pages_fetched"]
                totals["pages_new"] += figures["pages_new"]
                totals["sources_failed"] += figures["status"] == "failed"
        line = (
            f"crawl: {totals['sources']} sources, {totals['pages_fetched']} pages fetched, "
            f"{totals['pages_new']} new, {totals['sources_failed']} sources failed"
        )
        if totals["pages_new"] == 0:
            # A skipped task emits no asset event: process is not started for nothing.
            raise AirflowSkipException(f"{line}; no new page, pages asset not updated")
        log.info("%s; pages asset updated", line)
        return {**totals, "summary": line}

    @task(trigger_rule=TriggerRule.ONE_FAILED, retries=0, on_failure_callback=None)
    def watcher() -> None:
        # publish_pages runs after failures too (ALL_DONE) and would make the run green;
        # this leaf runs only when a crawl task failed for good, and fails the run. The
        # operators were told by that task's own failure callback: none here.
        raise AirflowFailException("a crawl task failed; see its log")

    crawled = crawl_source.expand(source=enabled_sources())
    publish_pages(crawled)
    crawled >> watcher()


crawl()
