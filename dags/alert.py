"""alert: on every update of the ``events`` asset, and hourly as a safety net → send alerts.

```
[events] or hourly ──▶ send_alerts
```
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from _common import DEFAULT_ARGS, EVENTS, START_DATE, TAGS, reported, retry_delay, settings
from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, dag, task
from airflow.sdk.exceptions import AirflowFailException

DOC_MD = """
### alert — drain the alert outbox

Runs when `process` created or changed events (the **events** asset), and at minute 15 of
every hour as a safety net: alerts whose channel was down are retried by the outbox with
exponential back-off (2, 4, 8… minutes), and the hourly run sends them when they are due
even if no new event comes along.

Every alert is sent exactly once: a row is claimed before the send and marked sent after
it. When a channel refuses a message the rows stay in the outbox (`ltwatch alerts list`)
and the task fails at once — without Airflow retries, which would come before the outbox's
back-off and do nothing — so the operators hear about it once.
"""


@dag(
    dag_id="alert",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("15 * * * *", timezone="UTC"), assets=EVENTS
    ),
    start_date=START_DATE,
    catchup=False,
    # Overlap would be harmless (each row is claimed before it is sent) but pointless.
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "alert"],
    doc_md=DOC_MD,
)
def alert() -> None:
    @task(
        # Retries cover the database, not the channels (see DOC_MD).
        retries=2,
        retry_delay=retry_delay(timedelta(minutes=1)),
        execution_timeout=timedelta(minutes=10),
    )
    def send_alerts() -> dict[str, Any]:
        from pipeline.runner import alert_stage

        summary = alert_stage(settings())
        data = reported(summary)
        if summary.alerts_failed:
            # Not retried by Airflow: the outbox decides when to try these rows again.
            raise AirflowFailException(
                f"{summary.line()} — unsent alerts stay in the outbox and are retried "
                "with back-off by the next runs"
            )
        return data

    send_alerts()


alert()
