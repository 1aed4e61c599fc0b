"""libya_turkiye_watch: crawl → process → alert, every 30 minutes by default.

Thin on purpose: every task calls one function of ``pipeline.runner`` — the same functions
``ltwatch crawl|process|alert`` call, so anything this DAG does can be done by hand. Nothing
but the standard library and ``airflow.sdk`` is imported at module level, so the DAG
processor parses this file without touching the database or loading Scrapy/spaCy; the
pipeline is imported inside the task functions, on the worker.
"""

from __future__ import annotations

import logging
import os
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import TriggerRule, dag, task
from airflow.sdk.exceptions import AirflowFailException

# A stable name: Airflow imports DAG files under a generated module name.
log = logging.getLogger("ltwatch.dag")

DEFAULT_SCHEDULE = "*/30 * * * *"
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "": "minutes"}


def schedule_from_env(value: str | None) -> str | timedelta | None:
    """``LTWATCH_SCHEDULE``: a cron expression or preset, a duration, or ``none``.

    ``"*/30 * * * *"`` or ``"@hourly"`` → cron; ``"30m"``, ``"2h"``, ``"45"`` (minutes) →
    a fixed interval; ``"none"`` → manual runs only (useful on a laptop).
    """
    if value is None or not value.strip():
        return DEFAULT_SCHEDULE
    if value.strip().lower() in {"none", "manual", "off"}:
        return None
    if match := _DURATION.match(value):
        amount, unit = match.groups()
        return timedelta(**{_UNITS[unit]: int(amount)})
    return value.strip()


DOC_MD = """
### Libya–Türkiye watch

```
crawl ──▶ process ──▶ alert
  └──────────┴──────────┴──▶ watcher (fails the run if any of them failed)
```

1. **crawl** — fetches every enabled source in `LTWATCH_SOURCES` with Scrapy and stores new
   raw pages in PostgreSQL (`LTWATCH_DATABASE_URL`). A broken outlet is reported in the
   task's summary (XCom) and does not fail the task; the task fails only when the crawl as a
   whole cannot run (sources file, database).
2. **process** — cleans stored pages, extracts Libya–Türkiye official contacts as events,
   merges them with known events and queues one alert per new event and channel.
3. **alert** — sends queued alerts through Apprise (`LTWATCH_ALERT_URLS`), each exactly once.

`process` and `alert` run even when the task before them failed: pages already stored and
alerts already queued must not wait for one broken outlet or a crawl timeout. `watcher`
then marks the run failed so the failure is still visible.

Each task returns its summary as XCom; the log has a one-line version. Everything here can
be run by hand with `ltwatch crawl`, `ltwatch process` and `ltwatch alert`.
"""


def _reported(stage: str, summary: Any) -> dict[str, Any]:
    """Log a stage's one-line summary (and each error) and return it for XCom."""
    log.info("%s", summary.line())
    for error in summary.errors:
        log.warning("%s: %s", stage, error)
    return summary.as_dict()


@dag(
    dag_id="libya_turkiye_watch",
    schedule=schedule_from_env(os.environ.get("LTWATCH_SCHEDULE")),
    # Fixed, in the past: with catchup=False only the latest interval runs after a pause.
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    # Runs share the database and the alert outbox; two at once would only race each other.
    max_active_runs=1,
    # With max_active_runs=1 a stuck run holds back the next ones. After an hour the next
    # run, which re-does everything this one would, is worth more than its remaining
    # retries (a crawl that times out three times alone could take over an hour).
    dagrun_timeout=timedelta(hours=1),
    tags=["libya-turkiye-watch", "news", "alerts"],
    doc_md=DOC_MD,
    default_args={"owner": "ltwatch"},
)
def libya_turkiye_watch() -> None:
    @task(
        # Feeds and the network fail transiently; two retries a few minutes apart ride it out.
        retries=2,
        retry_delay=timedelta(minutes=3),
        # Above Settings.crawl_timeout (900 s by default), which bounds the Scrapy subprocess
        # itself; this only catches a crawl that hangs outside Scrapy.
        execution_timeout=timedelta(minutes=20),
    )
    def crawl() -> dict[str, Any]:
        # Imported here, not at the top: the DAG processor must not import the pipeline.
        from pipeline.runner import crawl_stage
        from pipeline.settings import Settings

        # Settings() rather than get_settings(): read the environment of this run, not a
        # copy cached by an earlier task in the same process (dag.test() runs in-process).
        summary = crawl_stage(Settings())
        return _reported("crawl", summary)

    @task(
        # Run after a failed crawl too: pages stored by earlier runs, or by the outlets that
        # did answer, still need processing.
        trigger_rule=TriggerRule.ALL_DONE,
        # Processing is deterministic; one retry covers a dropped database connection, more
        # would only repeat a real bug.
        retries=1,
        retry_delay=timedelta(minutes=2),
        execution_timeout=timedelta(minutes=30),
    )
    def process() -> dict[str, Any]:
        from pipeline.runner import process_stage
        from pipeline.settings import Settings

        summary = process_stage(Settings())
        return _reported("process", summary)

    @task(
        # Run after a failed crawl or process too: alerts queued earlier must not be held back.
        trigger_rule=TriggerRule.ALL_DONE,
        # Alert channels (webhooks, chat APIs) are down for minutes at a time: back off
        # exponentially, 1 → 2 → 4 minutes, capped. The outbox guarantees no alert is sent
        # twice on a retry.
        retries=3,
        retry_delay=timedelta(minutes=1),
        retry_exponential_backoff=2.0,
        max_retry_delay=timedelta(minutes=10),
        execution_timeout=timedelta(minutes=5),
    )
    def alert() -> dict[str, Any]:
        from pipeline.runner import alert_stage
        from pipeline.settings import Settings

        summary = alert_stage(Settings())
        return _reported("alert", summary)

    @task(trigger_rule=TriggerRule.ONE_FAILED, retries=0)
    def watcher() -> None:
        # With ALL_DONE on process and alert, a successful alert task would make the run
        # green even though crawl failed (Airflow judges a run by its leaf tasks). This leaf
        # runs only when something upstream failed, and fails the run; otherwise it is
        # skipped and the run succeeds.
        raise AirflowFailException("an upstream task failed; see crawl/process/alert logs")

    crawled = crawl()
    processed = process()
    alerted = alert()
    crawled >> processed >> alerted
    [crawled, processed, alerted] >> watcher()


libya_turkiye_watch()
