"""Scale-out for real: ``ltwatch airflow --executor celery --workers 2`` — the project's own
command — against the machine's Redis (a database number of the test's own) and the test
PostgreSQL, over the sample site, driven through the REST API.

- The crawl DAG is triggered through the API; its mapped crawl tasks must have run on both
  Celery workers (the UI's *Hostname* of each task instance names its worker), ``process``
  and ``alert`` must follow through the assets, events must land in Postgres, and every
  alert must reach a real webhook receiver exactly once.
- SIGTERM (what a service manager sends) while crawl tasks run stops the whole cluster
  cleanly: the running crawls finish (the workers' warm shutdown), exit status 0, and no
  Airflow or Celery process is left behind.

Each worker takes at most two tasks at a time (``AIRFLOW__CELERY__WORKER_CONCURRENCY=2``),
so the four crawl tasks, queued together, can't all land on one worker.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import psycopg
import pytest
import redis

from pipeline import db
from pipeline.airflow_celery import worker_names
from pipeline.airflow_local import airflow_database_url, ensure_database
from tests.airflow_api import (
    LocalAirflow,
    admin_token,
    by_task,
    count_rows,
    free_port,
    wait_until_up,
)
from tests.conftest import WebhookReceiver, empty_database

pytestmark = pytest.mark.slow

REDIS = "redis://127.0.0.1:6379"
WORKERS = 2


@dataclass
class Cluster:
    airflow: LocalAirflow
    process: subprocess.Popen[bytes]


def _free_port_run(length: int) -> int:
    """A first port of ``length`` consecutive free ones (the workers' and triggerer's logs)."""
    for _ in range(50):
        first = free_port()
        if first + length < 65535 and all(_is_free(first + i) for i in range(length)):
            return first
    raise AssertionError("no run of free ports on 127.0.0.1")


def _is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
        return True


def _family(process: subprocess.Popen[bytes]) -> list[psutil.Process]:
    with contextlib.suppress(psutil.NoSuchProcess):
        return psutil.Process(process.pid).children(recursive=True)
    return []


def _kill(family: list[psutil.Process]) -> None:
    for member in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.kill()


def _stop(process: subprocess.Popen[bytes], timeout: float) -> int | None:
    """SIGTERM as a service manager would; SIGKILL everything if it is not done by then."""
    family = _family(process)
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        _kill(family)
        return None


@pytest.fixture(scope="module")
def cluster(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    from pipeline.samplesite import serve, write_sources_file

    started = time.perf_counter()
    home = tmp_path_factory.mktemp("celery-cluster")
    url = empty_database(database_url)
    metadata = f"ltwatch_test_airflow_{uuid.uuid4().hex[:8]}"
    ensure_database(url, metadata)
    # A Redis database of the test's own (0 stays the operators' default), emptied.
    broker = f"{REDIS}/{4 + uuid.uuid4().int % 12}"
    redis.Redis.from_url(broker).flushdb()
    site = serve()
    webhook = WebhookReceiver()
    sources = write_sources_file(site.base_url, home / "sources.yaml")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "LTWATCH_"))}
    env |= {
        "LTWATCH_DATABASE_URL": url,
        "LTWATCH_AIRFLOW_DATABASE_URL": airflow_database_url(url, metadata),
        "LTWATCH_DATA_DIR": str(home / "data"),
        "LTWATCH_SOURCES": str(sources),
        "LTWATCH_ALERT_URLS": webhook.url,
        "LTWATCH_CELERY_BROKER_URL": broker,
        # Crawl only when the test triggers it; retries seconds apart, not minutes.
        "LTWATCH_SCHEDULE": "none",
        "LTWATCH_RETRY_DELAY": "3s",
        # The operator's opt-in to start the DAGs unpaused.
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
    }
    log = home / "ltwatch-airflow.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "pipeline.cli", "airflow", "--executor", "celery"),
                *("--workers", str(WORKERS), "--port", str(port)),
                *("--log-port", str(_free_port_run(WORKERS + 1))),
            ],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=home,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process, log)
        token = admin_token(base_url, home / "data" / "airflow")
        airflow = LocalAirflow(base_url, token, env, log, sources, url, webhook, site.base_url)
        dags = airflow.wait_for_dags()
        assert not any(d["is_paused"] for d in dags.values())
        print(f"Celery cluster up in {time.perf_counter() - started:.1f} s")
        yield Cluster(airflow, process)
    finally:
        _stop(process, timeout=120)
        webhook.close()
        site.close()
        redis.Redis.from_url(broker).flushdb()
        with psycopg.connect(db.libpq_url(url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{metadata}" WITH (FORCE)')


def test_a_crawl_run_is_spread_over_both_workers_and_alerts_arrive_once(
    cluster: Cluster,
) -> None:
    airflow = cluster.airflow
    started = time.perf_counter()
    run_id = airflow.trigger("crawl")
    crawl = airflow.wait_for_run("crawl", run_id=run_id, timeout=420)
    process = airflow.wait_for_run("process", run_type="asset_triggered", timeout=420)
    alert = airflow.wait_for_run("alert", run_type="asset_triggered", timeout=420)
    print(f"crawl → process → alert on two workers: {time.perf_counter() - started:.1f} s")
    assert crawl["state"] == "success", airflow.tail()
    assert process["state"] == "success", airflow.tail()
    assert alert["state"] == "success", airflow.tail()

    tis = by_task(airflow.task_instances("crawl", run_id))
    crawls = [ti for key, ti in tis.items() if key.startswith("crawl_source[")]
    assert len(crawls) == 4 and {ti["state"] for ti in crawls} == {"success"}
    # Each task instance names the Celery worker that ran it: both took crawls.
    assert {ti["hostname"] for ti in crawls} == set(worker_names(WORKERS))

    url = airflow.database_url
    events = count_rows(url, "events")
    assert events > 0
    processed = airflow.xcom("process", process["dag_run_id"], "process_pages")
    assert sum(f["events_new"] for f in processed["sources"].values()) == events
    # Every event's alert reached the receiver, once: no message twice, none missing.
    messages: list[dict[str, Any]] = airflow.webhook.messages
    assert len(messages) == events == count_rows(url, "alert_outbox", "status = 'sent'")
    bodies = [(m.get("title"), m.get("message")) for m in messages]
    assert len(set(bodies)) == len(bodies)


def test_sigterm_lets_running_crawls_finish_and_stops_the_whole_cluster(
    cluster: Cluster,
) -> None:
    airflow = cluster.airflow
    # Stop while crawl tasks run (each spends seconds starting Scrapy): a warm shutdown.
    run_id = airflow.trigger("crawl")
    deadline = time.monotonic() + 300
    running: list[int] = []
    while not running and time.monotonic() < deadline:
        tis = airflow.task_instances("crawl", run_id)
        running = [
            ti["map_index"]
            for ti in tis
            if ti["task_id"] == "crawl_source" and ti["state"] == "running"
        ]
        time.sleep(0.5)
    assert running, airflow.tail()
    family = _family(cluster.process)
    assert len([p for p in family if "celery" in _cmdline(p)]) >= WORKERS
    assert _stop(cluster.process, timeout=300) == 0, airflow.tail()
    # The crawls that were running finished and reported success (no killed pool process).
    metadata = db.libpq_url(airflow.env["LTWATCH_AIRFLOW_DATABASE_URL"])
    with psycopg.connect(metadata) as conn:
        states = conn.execute(
            "SELECT map_index, state FROM task_instance WHERE dag_id = 'crawl' "
            "AND run_id = %s AND task_id = 'crawl_source' AND map_index = ANY(%s)",
            (run_id, running),
        ).fetchall()
    assert sorted(states) == [(i, "success") for i in sorted(running)]
    # Nothing orphaned: every component (and the workers' pool processes) has exited.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(p) for p in family):
        time.sleep(0.5)
    alive = [p for p in family if _alive(p)]
    _kill(alive)
    assert not alive, [_cmdline(p) for p in alive]
    said = Path(cluster.airflow.log).read_text()
    assert "Stopping" in said
    # No component had to be killed after its grace period.
    assert "did not stop" not in said, said


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _cmdline(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:  # exited meanwhile, or a zombie not yet reaped
        return ""
