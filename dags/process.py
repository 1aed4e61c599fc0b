"""process: on every update of the ``pages`` asset → clean, extract, merge → ``events``.

```
[pages] ──▶ process_pages ──▶ publish_events ─▶ [events]
```
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from _common import DEFAULT_ARGS, EVENTS, PAGES, START_DATE, TAGS, reported, retry_delay, settings
from airflow.sdk import dag, task
from airflow.sdk.exceptions import AirflowSkipException

DOC_MD = """
### process — stored pages → articles → events → alert outbox

Runs whenever `crawl` stored new pages (the **pages** asset). **process_pages** cleans every
stored page that has no article yet (or whose article an older cleaner/extractor made),
extracts Libya–Türkiye official contacts, merges them with known events and queues one
alert per new or changed event and channel — in batches of 100 pages, one transaction per
page, so a failure loses at most the page in hand and the next run resumes where this one
stopped. Running it twice changes nothing the second time.

**publish_events** updates the **events** asset, which starts `alert`, only when events
were created or changed (skipped otherwise).

If PostgreSQL goes away mid-run the task fails and is retried; a page is never half-stored.
"""


@dag(
    dag_id="process",
    schedule=PAGES,
    start_date=START_DATE,
    catchup=False,
    # Two runs at once would be harmless (process_pending holds an advisory lock, so the
    # second waits and then finds nothing to do) but pointless: asset events that arrive
    # meanwhile are folded into the next run.
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "process"],
    doc_md=DOC_MD,
)
def process() -> None:
    @task(
        # Processing is deterministic; retries cover a dropped database connection (a
        # PostgreSQL restart), more would only repeat a real bug.
        retries=2,
        retry_delay=retry_delay(timedelta(minutes=2)),
        execution_timeout=timedelta(minutes=45),
    )
    def process_pages() -> dict[str, Any]:
        from pipeline.runner import process_stage

        return reported(process_stage(settings()))

    @task(outlets=[EVENTS], retries=0)
    def publish_events(summary: dict[str, Any]) -> dict[str, Any]:
        created = sum(f["events_new"] for f in summary["sources"].values())
        updated = sum(f["events_updated"] for f in summary["sources"].values())
        line = f"process: {created} events created, {updated} updated"
        if not created and not updated:
            # Skipped: no asset event, so alert is not started for nothing.
            raise AirflowSkipException(f"{line}; events asset not updated")
        return {"events_new": created, "events_updated": updated, "summary": line}

    publish_events(process_pages())


process()
