"""maintenance: daily → source health report, raw-HTML retention, VACUUM ANALYZE.

```
source_health ──▶ drop_old_html ──▶ vacuum_analyze
```
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from _common import DEFAULT_ARGS, START_DATE, TAGS, reported, retry_delay, settings
from airflow.sdk import CronTriggerTimetable, dag, task

DOC_MD = """
### maintenance — daily housekeeping

1. **source_health**: every enabled source's last status and whether it is unhealthy
   (failed or listed nothing three crawls in a row; the operators were alerted once, by
   the crawl that noticed). Read the summary in the task's XCom or log.
2. **drop_old_html**: empties the raw HTML of pages older than
   `LTWATCH_HTML_RETENTION_DAYS` (180); articles, events and evidence stay.
3. **vacuum_analyze**: plain `VACUUM (ANALYZE)` of the busy tables, so the space freed by
   retention is reused and query plans follow the data's growth.
"""


@dag(
    dag_id="maintenance",
    # 03:40 UTC: away from the crawls on the hour and half-hour.
    schedule=CronTriggerTimetable("40 3 * * *", timezone="UTC"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "maintenance"],
    doc_md=DOC_MD,
)
def maintenance() -> None:
    common: dict[str, Any] = {
        "retries": 1,
        "retry_delay": retry_delay(timedelta(minutes=10)),
        "execution_timeout": timedelta(hours=1),
    }

    @task(**common)
    def source_health() -> dict[str, Any]:
        from pipeline.runner import health_stage

        return reported(health_stage(settings()))

    @task(**common)
    def drop_old_html() -> dict[str, Any]:
        from pipeline.runner import retention_stage

        return reported(retention_stage(settings()))

    @task(**common)
    def vacuum_analyze() -> dict[str, Any]:
        from pipeline.runner import vacuum_stage

        return reported(vacuum_stage(settings()))

    source_health() >> drop_old_html() >> vacuum_analyze()


maintenance()
