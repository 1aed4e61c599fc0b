"""The four DAGs (crawl, process, alert, maintenance), the local Airflow environment and the
docker-compose stack.

Everything that loads Airflow runs in a subprocess with its own ``AIRFLOW_HOME``: Airflow
reads its configuration and sets up logging and its ORM when first imported, so importing
it into the pytest process would tie every later test to one Airflow configuration and
Airflow's logging setup. The pytest process itself never imports ``airflow``.

Extra fixtures (this file only): ``airflow_env`` (session: a temporary AIRFLOW_HOME with
a migrated SQLite metadata database — dag.test() runs tasks in-process, for which SQLite
is enough) and ``site`` (module: the sample site on 127.0.0.1).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import check_jsonschema
import psycopg
import pytest
import sqlalchemy as sa
import yaml

from pipeline import db
from pipeline.settings import PROJECT_ROOT, Settings
from tests.conftest import empty_database

DAGS_FOLDER = PROJECT_ROOT / "dags"
DAG_FILES = {
    "crawl": DAGS_FOLDER / "crawl.py",
    "process": DAGS_FOLDER / "process.py",
    "alert": DAGS_FOLDER / "alert.py",
    "maintenance": DAGS_FOLDER / "maintenance.py",
}
PAGES_URI = "postgres://ltwatch:5432/ltwatch/public/pages"
EVENTS_URI = "postgres://ltwatch:5432/ltwatch/public/events"
# Printed by the helper scripts before their JSON result, so Airflow's own log lines on
# stdout don't get in the way of parsing it.
MARKER = "@@RESULT@@"


def airflow_python(
    code: str, env: dict[str, str], *, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=PROJECT_ROOT,
    )


def result_of(proc: subprocess.CompletedProcess[str]) -> Any:
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-5000:]
    _, _, payload = proc.stdout.rpartition(MARKER)
    assert payload, proc.stdout[-5000:] + proc.stderr[-5000:]
    return json.loads(payload)


@pytest.fixture(scope="session")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for an Airflow subprocess: temp AIRFLOW_HOME, SQLite metadata DB, migrated."""
    home = tmp_path_factory.mktemp("airflow-home")
    # Inherited AIRFLOW__* settings (a developer's or CI's) must not leak into the tests.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "LTWATCH_"))}
    env |= {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        # Empty: the DAGs' default schedule, whatever the developer's shell has set.
        "LTWATCH_SCHEDULE": "",
        # dag.test() waits out retry delays; the tests can't wait minutes.
        "LTWATCH_RETRY_DELAY": "1s",
        # Nor the crawler's back-off (2 s, then 4 s) before retrying an outlet that is down.
        "LTWATCH_RETRY_BACKOFF_BASE": "0.05",
    }
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    print(f"airflow db migrate: {time.perf_counter() - started:.1f} s")
    return env


# --- (a) the DAG folder parses, fast, and every DAG has the intended shape --------------------

STRUCTURE_SCRIPT = f"""
    import json, sys, time
    # What Airflow's bundle DagBag does for the DAG processor and the workers: the DAGs
    # import their shared _common module as a sibling.
    sys.path.insert(0, {str(DAGS_FOLDER)!r})
    from airflow.dag_processing.dagbag import DagBag

    started = time.perf_counter()
    bag = DagBag(dag_folder={str(DAGS_FOLDER)!r})
    parse_seconds = time.perf_counter() - started

    def timetable(dag):
        t = dag.timetable
        out = {{"type": type(t).__name__, "summary": repr(t)}}
        cond = getattr(t, "asset_condition", None)
        if cond is not None:
            out["assets"] = sorted(a.uri for a in cond.iter_assets().values()) if hasattr(
                cond, "iter_assets") else [cond.uri]
        inner = getattr(t, "timetable", None)
        if inner is not None:
            out["timer"] = repr(inner)
        return out

    def callbacks(t):
        return [getattr(c, "__name__", repr(c)) for c in (t.on_failure_callback or [])] if (
            isinstance(t.on_failure_callback, list)) else (
            [getattr(t.on_failure_callback, "__name__", "?")] if t.on_failure_callback else [])

    out = {{
        "import_errors": bag.import_errors,
        "dag_ids": sorted(bag.dag_ids),
        "parse_seconds": parse_seconds,
        "files": sorted({{d.fileloc.rsplit("/", 1)[-1] for d in bag.dags.values()}}),
        "dags": {{}},
    }}
    for dag in bag.dags.values():
        out["dags"][dag.dag_id] = {{
            "timetable": timetable(dag),
            "max_active_runs": dag.max_active_runs,
            "catchup": dag.catchup,
            "tags": sorted(dag.tags),
            "doc_md": dag.doc_md or "",
            "tasks": {{
                t.task_id: {{
                    "mapped": bool(getattr(t, "is_mapped", False)),
                    "downstream": sorted(t.downstream_task_ids),
                    "upstream": sorted(t.upstream_task_ids),
                    "trigger_rule": str(t.trigger_rule.value if hasattr(t.trigger_rule, "value")
                                        else t.trigger_rule),
                    "retries": t.retries,
                    "pool": t.pool,
                    "timeout": t.execution_timeout.total_seconds() if t.execution_timeout else None,
                    "outlets": sorted(getattr(o, "uri", str(o)) for o in t.outlets),
                    "on_failure": callbacks(t),
                    "on_retry": bool(t.on_retry_callback),
                }}
                for t in dag.tasks
            }},
        }}
    # LTWATCH_SCHEDULE as _common parses it (the same interpreter: one Airflow import).
    import _common
    cases = [None, "", "  ", "@hourly", "0 * * * *", "15m", "2h", "45", "90s", "1d", "none"]
    out["schedule"] = {{repr(c): repr(_common.schedule_from_env(c)) for c in cases}}
    print({MARKER!r} + json.dumps(out))
"""


@pytest.fixture(scope="module")
def structure(airflow_env: dict[str, str]) -> dict[str, Any]:
    return result_of(airflow_python(STRUCTURE_SCRIPT, airflow_env))


def test_the_dag_folder_imports_without_errors_in_under_a_second(
    structure: dict[str, Any],
) -> None:
    assert structure["import_errors"] == {}
    assert structure["dag_ids"] == ["alert", "crawl", "maintenance", "process"]
    # One file per DAG; _common.py is .airflowignore'd, not parsed as a DAG file.
    assert structure["files"] == ["alert.py", "crawl.py", "maintenance.py", "process.py"]
    assert structure["parse_seconds"] < 1.0, structure["parse_seconds"]


def test_crawl_is_mapped_over_the_sources_in_a_pool_and_publishes_pages(
    structure: dict[str, Any],
) -> None:
    dag = structure["dags"]["crawl"]
    tasks = dag["tasks"]
    assert set(tasks) == {"enabled_sources", "crawl_source", "publish_pages", "watcher"}
    crawl = tasks["crawl_source"]
    assert crawl["mapped"] is True
    assert crawl["upstream"] == ["enabled_sources"]
    assert crawl["pool"] == "ltwatch_crawl"
    assert crawl["retries"] == 2 and crawl["timeout"]
    assert tasks["publish_pages"]["upstream"] == ["crawl_source"]
    assert tasks["publish_pages"]["outlets"] == [PAGES_URI]
    assert tasks["publish_pages"]["trigger_rule"] == "all_done"
    assert tasks["watcher"]["trigger_rule"] == "one_failed"
    assert tasks["watcher"]["upstream"] == ["crawl_source"]
    assert dag["timetable"]["type"] == "CronTriggerTimetable"
    assert "*/5 * * * *" in dag["timetable"]["summary"]


def test_process_and_alert_are_scheduled_on_the_assets(structure: dict[str, Any]) -> None:
    process, alert = structure["dags"]["process"], structure["dags"]["alert"]
    assert process["timetable"]["type"] == "AssetTriggeredTimetable"
    assert process["timetable"]["assets"] == [PAGES_URI]
    assert process["tasks"]["publish_events"]["outlets"] == [EVENTS_URI]
    assert process["tasks"]["publish_events"]["upstream"] == ["process_pages"]
    # alert: the events asset, or an hourly timer as a safety net for deferred retries.
    assert alert["timetable"]["type"] == "AssetOrTimeSchedule"
    assert alert["timetable"]["assets"] == [EVENTS_URI]
    assert "15 * * * *" in alert["timetable"]["timer"]
    assert set(alert["tasks"]) == {"send_alerts"}
    maintenance = structure["dags"]["maintenance"]
    assert maintenance["timetable"]["type"] == "CronTriggerTimetable"
    assert list(maintenance["tasks"]) == ["source_health", "drop_old_html", "vacuum_analyze"]
    assert maintenance["tasks"]["drop_old_html"]["upstream"] == ["source_health"]


def test_one_run_at_a_time_no_catchup_and_documented(structure: dict[str, Any]) -> None:
    for dag_id, dag in structure["dags"].items():
        assert dag["max_active_runs"] == 1, dag_id
        assert dag["catchup"] is False, dag_id
        assert "libya-turkiye-watch" in dag["tags"], dag_id
        assert dag["doc_md"].strip(), dag_id


def test_failure_callbacks_alert_once_after_the_last_retry(structure: dict[str, Any]) -> None:
    for dag_id, dag in structure["dags"].items():
        for task_id, task in dag["tasks"].items():
            # No retry callback: a try that will be retried sends nothing.
            assert task["on_retry"] is False, (dag_id, task_id)
            if task_id == "watcher":  # fails the run on purpose; the failed task alerted
                assert task["on_failure"] == [], task_id
            else:
                assert task["on_failure"] == ["notify_failure"], (dag_id, task_id)
            assert (
                task["timeout"]
                or task_id in {"publish_pages", "publish_events", "watcher"}
                or (dag_id == "crawl" and task_id == "enabled_sources")
            ), (dag_id, task_id)


def test_the_crawl_schedule_comes_from_ltwatch_schedule(structure: dict[str, Any]) -> None:
    # Parsed in the structure script's interpreter (an Airflow import costs seconds).
    got = structure["schedule"]
    assert got == {
        "None": "'*/5 * * * *'",
        "''": "'*/5 * * * *'",
        "'  '": "'*/5 * * * *'",
        "'@hourly'": "'@hourly'",
        "'0 * * * *'": "'0 * * * *'",
        "'15m'": "datetime.timedelta(seconds=900)",
        "'2h'": "datetime.timedelta(seconds=7200)",
        "'45'": "datetime.timedelta(seconds=2700)",
        "'90s'": "datetime.timedelta(seconds=90)",
        "'1d'": "datetime.timedelta(days=1)",
        "'none'": "None",
    }


# --- (b) parsing a DAG file touches no database and loads no pipeline code --------------------

HEAVY = ("pipeline", "crawlers", "scrapy", "spacy", "trafilatura", "apprise", "psycopg")

IMPORT_SCRIPT = f"""
    import importlib.util, json, os, sys, traceback
    sys.path.insert(0, {str(DAGS_FOLDER)!r})
    import airflow.sdk  # what any DAG file costs; Airflow itself brings in sqlalchemy

    # Each DAG file in a forked child of this interpreter: every one starts from the same
    # modules (airflow.sdk and what it brings), as a fresh process of its own would, but
    # Airflow is imported once, not once per file.
    for path in sys.argv[1:]:
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                before = set(sys.modules)
                spec = importlib.util.spec_from_file_location("ltw_dag", path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                new = sorted(set(sys.modules) - before)
                print({MARKER!r} + json.dumps({{
                    "path": path,
                    "new": new,
                    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r}),
                }}))
                sys.stdout.flush()
                os._exit(0)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"importing {{path}} failed")
"""


@pytest.fixture(scope="module")
def dag_imports(airflow_env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """What importing each DAG file adds to a fresh interpreter that has airflow.sdk."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(IMPORT_SCRIPT), *map(str, DAG_FILES.values())],
        env=airflow_env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-5000:]
    found = {}
    for chunk in proc.stdout.split(MARKER)[1:]:
        got = json.loads(chunk.strip().splitlines()[0])
        found[got["path"]] = got
    return {dag_id: found[str(path)] for dag_id, path in DAG_FILES.items()}


@pytest.mark.parametrize("dag_id", sorted(DAG_FILES))
def test_parsing_a_dag_file_imports_no_pipeline_database_driver_or_orm(
    dag_imports: dict[str, dict[str, Any]], dag_id: str
) -> None:
    # What makes parsing slow (and touch the database) is importing the pipeline's stack:
    # assert that none of it is imported. (The wall-clock bound is asserted above.)
    got = dag_imports[dag_id]
    assert got["loaded"] == []
    heavy_new = [m for m in got["new"] if m.split(".")[0] in {*HEAVY, "sqlalchemy", "alembic"}]
    assert heavy_new == []


# --- (c) the DAGs run with dag.test(): sample site → Postgres → webhook -----------------------

DAG_TEST_SCRIPT = f"""
    import json, os, sys
    sys.path.insert(0, {str(DAGS_FOLDER)!r})
    from airflow.dag_processing.dagbag import DagBag
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    import sqlalchemy as sa

    bag = DagBag(dag_folder={str(DAGS_FOLDER)!r})
    results = {{}}
    for dag_id in sys.argv[1:]:
        dag = bag.dags[dag_id]
        if os.environ.get("LTW_TEST_NO_RETRIES"):
            for task in dag.tasks:
                task.retries = 0
        run = dag.test()
        with create_session() as session:
            tis = run.get_task_instances(session=session)
            def key(ti):
                return ti.task_id if ti.map_index < 0 else f"{{ti.task_id}}[{{ti.map_index}}]"
            states = {{key(ti): str(ti.state) for ti in tis}}
            tries = {{key(ti): ti.try_number for ti in tis}}
            xcoms = {{
                (x.task_id if x.map_index < 0 else f"{{x.task_id}}[{{x.map_index}}]"):
                    XComModel.deserialize_value(x)
                for x in session.scalars(
                    XComModel.get_many(run_id=run.run_id, dag_ids=dag_id, key="return_value",
                                       map_indexes=None)
                )
            }}
            events = {{
                uri: n for uri, n in session.execute(
                    sa.select(AssetModel.uri, sa.func.count(AssetEvent.id))
                    .join(AssetEvent, AssetEvent.asset_id == AssetModel.id)
                    .group_by(AssetModel.uri)
                )
            }}
        results[dag_id] = {{"state": str(run.state), "tasks": states, "tries": tries,
                           "xcoms": xcoms, "asset_events": events}}
    print({MARKER!r} + json.dumps(results))
"""


def run_dags(env: dict[str, str], *dag_ids: str, timeout: float = 480) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(DAG_TEST_SCRIPT), *dag_ids],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=PROJECT_ROOT,
    )
    result: dict[str, Any] = result_of(proc)
    return result


@pytest.fixture(scope="module")
def site() -> Iterator[Any]:
    from pipeline.samplesite import serve

    with serve() as sample_site:
        yield sample_site


def stored_count(url: str, table: str, where: str = "true") -> int:
    with db.get_engine(url).connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {where}")).scalar_one()


def dag_env(
    airflow_env: dict[str, str], url: str, sources: Path, alert_urls: str, tmp_path: Path
) -> dict[str, str]:
    return airflow_env | {
        "LTWATCH_DATABASE_URL": url,
        "LTWATCH_SOURCES": str(sources),
        "LTWATCH_ALERT_URLS": alert_urls,
        "LTWATCH_DATA_DIR": str(tmp_path / "data"),
    }


@pytest.mark.slow
def test_crawl_process_alert_store_events_and_alert_each_once_and_the_channel_may_be_down(
    airflow_env: dict[str, str], site: Any, clean_db: str, webhook: Any, tmp_path: Path
) -> None:
    """The three DAGs in order, with the webhook down for the first alert run.

    Fault: the alert channel is down during ``alert`` → the task fails (once: no Airflow
    retries), every message stays in the outbox; when the channel is back and the
    outbox's back-off has passed, the next run sends each exactly once, and a third run
    sends nothing.
    """
    from pipeline.samplesite import write_sources_file

    # A broken outlet included: it is reported, and does not fail its crawl task.
    sources = write_sources_file(site.base_url, tmp_path / "sources.yaml", include_broken=True)
    env = dag_env(airflow_env, clean_db, sources, webhook.url, tmp_path)

    webhook.down = True
    started = time.perf_counter()
    first = run_dags(env, "crawl", "process", "alert")
    print(f"dag.test() crawl+process+alert: {time.perf_counter() - started:.1f} s")
    crawl, process, alert = first["crawl"], first["process"], first["alert"]

    # crawl: one mapped task per enabled source, all succeeded (broken outlets included).
    mapped = {k: v for k, v in crawl["tasks"].items() if k.startswith("crawl_source[")}
    assert len(mapped) == 7 and set(mapped.values()) == {"success"}, crawl["tasks"]
    assert crawl["tasks"]["publish_pages"] == "success"
    assert crawl["tasks"]["watcher"] == "skipped"
    assert crawl["state"] == "success"
    failed = {
        name
        for key, summary in crawl["xcoms"].items()
        if key.startswith("crawl_source[")
        for name, figures in summary["sources"].items()
        if figures["status"] == "failed"
    }
    assert failed >= {"broken-unreachable", "broken-http-500"}
    pages = stored_count(clean_db, "pages")
    assert crawl["xcoms"]["publish_pages"]["pages_new"] == pages > 0
    assert "pages fetched" in crawl["xcoms"]["publish_pages"]["summary"]
    assert crawl["asset_events"][PAGES_URI] == 1

    # process: every page, the events in Postgres, the events asset published.
    assert process["state"] == "success", process
    summary = process["xcoms"]["process_pages"]
    events = stored_count(clean_db, "events")
    assert events > 0
    assert summary["pages_processed"] == stored_count(clean_db, "articles")
    assert sum(f["events_new"] for f in summary["sources"].values()) == events
    assert process["xcoms"]["publish_events"]["events_new"] == events
    assert process["asset_events"][EVENTS_URI] == 1
    assert "events created" in summary["summary"]

    # alert with the channel down: failed once, nothing lost, nothing received.
    assert alert["tasks"] == {"send_alerts": "failed"}
    assert alert["tries"]["send_alerts"] == 1  # AirflowFailException: no Airflow retries
    assert webhook.messages == []
    assert stored_count(clean_db, "alert_outbox", "status = 'failed'") == events

    # The channel is back; let the outbox's back-off pass (as the hourly run would).
    webhook.down = False
    with db.get_engine(clean_db).begin() as conn:
        conn.execute(sa.text("UPDATE alert_outbox SET next_attempt_at = now()"))
    # Two alert runs, then a second crawl: one interpreter (Airflow starts in seconds).
    later = run_dags(env, "alert", "alert", "crawl")
    again = later["alert"]
    assert again["state"] == "success"
    assert len(webhook.messages) == events
    assert stored_count(clean_db, "alert_outbox", "status = 'sent'") == events
    # (Only the last run's XCom is in the result: the second run had nothing left.)
    assert again["xcoms"]["send_alerts"]["alerts_sent"] == 0

    # A second crawl stores nothing new: publish_pages is skipped, no new pages event.
    second = later["crawl"]
    assert second["tasks"]["publish_pages"] == "skipped"
    assert second["asset_events"][PAGES_URI] == 1
    assert stored_count(clean_db, "pages") == pages


@pytest.fixture(scope="module")
def failing_crawl_then_maintenance(
    airflow_env: dict[str, str],
    database_url: str,
    module_webhook: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    """A crawl whose sources file is missing, then maintenance: one dag.test() interpreter.

    Both read the same (missing) sources file and alert to the same receiver; everything
    the tests check is read here, before any other test can empty the database.
    """
    url = empty_database(database_url)
    with db.get_engine(url).begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO pages (source, url, http_status, html, fetched_at) VALUES "
                "('old', 'https://example.org/old', 200, '<p>old</p>', "
                " now() - interval '400 days'),"
                "('new', 'https://example.org/new', 200, '<p>new</p>', now())"
            )
        )
    tmp = tmp_path_factory.mktemp("failing-crawl")
    module_webhook.messages.clear()
    env = dag_env(airflow_env, url, tmp / "missing.yaml", module_webhook.url, tmp)
    got = run_dags(env, "crawl", "maintenance", timeout=300)
    return {
        **got,
        "messages": list(module_webhook.messages),
        "html_dropped": stored_count(url, "pages", "html_dropped_at IS NOT NULL"),
    }


@pytest.mark.slow
def test_a_task_that_fails_for_good_alerts_the_operators_once_not_per_retry(
    failing_crawl_then_maintenance: dict[str, Any],
) -> None:
    # The sources file is missing: enabled_sources fails, is retried once, fails again.
    got = failing_crawl_then_maintenance["crawl"]
    messages = failing_crawl_then_maintenance["messages"]
    assert got["tasks"]["enabled_sources"] == "failed"
    assert got["tries"]["enabled_sources"] == 2
    assert got["state"] == "failed"
    # (maintenance, which ran next with the same channel, had nothing to tell.)
    titles = [m.get("title", "") for m in messages]
    assert titles == ["ltwatch: task crawl.enabled_sources failed"], messages
    assert "Try: 2" in messages[0]["message"]


@pytest.mark.slow
def test_maintenance_reports_health_drops_old_html_and_vacuums(
    failing_crawl_then_maintenance: dict[str, Any],
) -> None:
    got = failing_crawl_then_maintenance["maintenance"]
    assert got["state"] == "success", got
    xcoms = got["xcoms"]
    assert xcoms["drop_old_html"]["html_dropped"] == 1
    assert "raw HTML dropped from 1 pages" in xcoms["drop_old_html"]["summary"]
    assert "pages" in xcoms["vacuum_analyze"]["tables_vacuumed"]
    assert xcoms["source_health"]["summary"].startswith("health:")
    assert failing_crawl_then_maintenance["html_dropped"] == 1


# --- faults: PostgreSQL restarted during process; overlapping runs ----------------------------


def _restart_postgres(url: str) -> None:
    """Restart the embedded test server (pg_ctl restart -m fast), or, on an external server,
    terminate every other connection to the test database (what clients see of a restart)."""
    with psycopg.connect(db.libpq_url(url), autocommit=True) as conn:
        data_dir = conn.execute("SHOW data_directory").fetchone()[0]
        if os.environ.get("LTWATCH_TEST_DATABASE_URL"):
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return
    import pgserver
    from pgserver._commands import pg_ctl

    server = pgserver.get_server(Path(data_dir), cleanup_mode=None)
    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=Path(data_dir), user=server.system_user)


@pytest.mark.slow
def test_postgres_restarted_during_process_fails_cleanly_and_the_next_run_completes(
    airflow_env: dict[str, str], site: Any, clean_db: str, tmp_path: Path
) -> None:
    from pipeline.runner import crawl_stage
    from pipeline.samplesite import write_sources_file

    sources = write_sources_file(site.base_url, tmp_path / "sources.yaml")
    settings = Settings(database_url=clean_db, sources=sources, data_dir=tmp_path / "d")
    crawl_stage(settings)
    # More pages to process, so that the restart lands mid-run: copies under other URLs.
    with db.get_engine(clean_db).begin() as conn:
        for n in range(4):
            conn.execute(
                sa.text(
                    "INSERT INTO pages "
                    "(source, url, http_status, html, fetched_at, feed_published) "
                    "SELECT source, url || '?copy=' || :n, http_status, html, fetched_at, "
                    "feed_published FROM pages WHERE url NOT LIKE '%?copy=%'"
                ),
                {"n": n},
            )
    pages = stored_count(clean_db, "pages", "http_status = 200")
    env = dag_env(airflow_env, clean_db, sources, "", tmp_path) | {"LTW_TEST_NO_RETRIES": "1"}

    results: dict[str, Any] = {}
    runner = threading.Thread(target=lambda: results.update(run_dags(env, "process")))
    runner.start()
    deadline = time.monotonic() + 240
    while stored_count(clean_db, "articles") < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    done_before = stored_count(clean_db, "articles")
    assert 0 < done_before < pages, "the restart must land in the middle of the run"
    _restart_postgres(clean_db)
    db.dispose_engines()
    runner.join(timeout=300)
    first = results["process"]
    assert first["tasks"]["process_pages"] == "failed", first
    assert first["tasks"]["publish_events"] == "upstream_failed"
    kept = stored_count(clean_db, "articles")
    assert done_before <= kept < pages  # committed pages were kept, one per transaction

    second = run_dags(env, "process")["process"]
    assert second["state"] == "success", second
    assert stored_count(clean_db, "articles") == pages
    assert second["xcoms"]["process_pages"]["pages_processed"] == pages - kept
    # No page processed twice, no event stored twice.
    with db.get_engine(clean_db).connect() as conn:
        dupes = conn.execute(
            sa.text("SELECT count(*) - count(DISTINCT page_id) FROM articles")
        ).scalar_one()
    assert dupes == 0


@pytest.mark.slow
def test_two_overlapping_process_runs_are_harmless(
    site: Any, clean_db: str, tmp_path: Path
) -> None:
    """max_active_runs=1 keeps runs of one DAG apart (asserted above); across DAGs, or if
    someone runs ``ltwatch process`` by hand meanwhile, the advisory lock serialises them."""
    from pipeline.runner import crawl_stage
    from pipeline.samplesite import write_sources_file

    sources = write_sources_file(site.base_url, tmp_path / "sources.yaml")
    settings = Settings(
        database_url=clean_db, sources=sources, data_dir=tmp_path / "d", alert_urls=[]
    )
    crawl_stage(settings)
    # Two processes, as two task processes would be (Alembic, which every stage runs first,
    # is not thread-safe, so threads in one process would not be a faithful overlap).
    script = (
        "import json, sys; from pipeline.runner import process_stage; "
        "from pipeline.settings import Settings; "
        f"s = process_stage(Settings(database_url={clean_db!r}, sources={str(sources)!r}, "
        "alert_urls=[])); "
        f"print({MARKER!r} + json.dumps(s.as_dict()))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LTWATCH_")}
    env["LTWATCH_DATA_DIR"] = str(tmp_path / "d")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    summaries = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        summaries.append(
            result_of(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
        )
    assert len(summaries) == 2
    pages = stored_count(clean_db, "pages", "http_status = 200")
    assert sorted(s["pages_processed"] for s in summaries) == [0, pages]
    events = stored_count(clean_db, "events")
    created = sum(f["events_new"] for s in summaries for f in s["sources"].values())
    assert created == events > 0
    assert stored_count(clean_db, "alert_outbox") == events  # one channel: the terminal
    with db.get_engine(clean_db).connect() as conn:
        dupes = conn.execute(
            sa.text("SELECT count(*) - count(DISTINCT page_id) FROM articles")
        ).scalar_one()
    assert dupes == 0


# --- local Airflow environment (pipeline/airflow_local.py) ----------------------------------


def test_local_airflow_environment_points_airflow_at_this_project(tmp_path: Path) -> None:
    from pipeline.airflow_local import airflow_environment

    settings = Settings(
        database_url=None, data_dir=tmp_path, alert_urls=["json://127.0.0.1:9/", "mailto://x"]
    )
    project = "postgresql+psycopg://postgres:@/ltwatch?host=%2Ftmp%2Fpg"
    env = airflow_environment(settings, port=8099, project_url=project)

    assert env["AIRFLOW_HOME"] == str(tmp_path / "airflow")
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == str(DAGS_FOLDER)
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
    # Paused until an operator opts in: a fresh deployment must not crawl, vacuum and alert
    # before anyone looked at it.
    assert env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "True"
    assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    # Every airflow command fails on `import asyncpg` without it.
    assert (
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"]
        == env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    )
    assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith("SimpleAuthManager")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == (
        "postgresql+psycopg://postgres:@/airflow?host=%2Ftmp%2Fpg"
    )
    assert env["AIRFLOW__API__HOST"] == "127.0.0.1"
    assert env["AIRFLOW__API__PORT"] == "8099"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:8099/execution/"
    assert env["LTWATCH_DATABASE_URL"] == project
    assert env["LTWATCH_ALERT_URLS"] == "json://127.0.0.1:9/ mailto://x"
    assert all(isinstance(v, str) for v in env.values())


def test_local_airflow_shares_one_set_of_secrets_and_honours_the_operators(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography.fernet import Fernet

    from pipeline.airflow_local import SHARED_SECRETS, airflow_environment

    for name in SHARED_SECRETS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION", "False")
    settings = Settings(database_url=None, data_dir=tmp_path, celery_broker_url="redis://r:1/3")
    project = "postgresql://postgres@127.0.0.1:5432/x"
    first = airflow_environment(settings, project_url=project, executor="celery")
    again = airflow_environment(settings, project_url=project, executor="celery")
    secrets = {name: first[name] for name in SHARED_SECRETS}
    # Generated once, kept, and the same for every component started from this home.
    assert all(secrets.values()) and len(set(secrets.values())) == 3
    assert {name: again[name] for name in SHARED_SECRETS} == secrets
    Fernet(secrets["AIRFLOW__CORE__FERNET_KEY"].encode())  # a usable key
    assert first["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "False"  # opted in
    assert first["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert first["AIRFLOW__CELERY__BROKER_URL"] == "redis://r:1/3"
    assert first["AIRFLOW__CELERY__RESULT_BACKEND"] == (
        "db+" + first["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    )
    # Another machine's operator passes the shared values in the environment: they win.
    monkeypatch.setenv("AIRFLOW__API__SECRET_KEY", "from-the-operator")
    shared = airflow_environment(settings, project_url=project, executor="celery")
    assert shared["AIRFLOW__API__SECRET_KEY"] == "from-the-operator"
    assert shared["AIRFLOW__CORE__FERNET_KEY"] == secrets["AIRFLOW__CORE__FERNET_KEY"]


def test_local_airflow_keeps_the_fernet_key_of_an_existing_airflow_cfg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.airflow_local import SHARED_SECRETS, airflow_environment

    for name in SHARED_SECRETS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "airflow"
    home.mkdir()
    (home / "airflow.cfg").write_text("[core]\nfernet_key = an-earlier-key\n")
    settings = Settings(database_url=None, data_dir=tmp_path)
    env = airflow_environment(settings, project_url="postgresql://p@127.0.0.1/x")
    # Connections an earlier `ltwatch airflow` encrypted stay readable.
    assert env["AIRFLOW__CORE__FERNET_KEY"] == "an-earlier-key"


def test_celery_workers_on_one_host_get_their_own_names_and_log_ports(tmp_path: Path) -> None:
    from pipeline.airflow_celery import components

    parts = components({"AIRFLOW_HOME": str(tmp_path)}, workers=3, log_port=9000)
    names = [p.name for p in parts]
    assert names[:4] == ["api-server", "scheduler", "dag-processor", "triggerer"]
    workers = [p for p in parts if p.args[:2] == ["celery", "worker"]]
    assert len(workers) == 3
    node_names = [w.args[w.args.index("--celery-hostname") + 1] for w in workers]
    assert len(set(node_names)) == 3
    ports = [w.env["AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"] for w in workers]
    assert ports == ["9000", "9001", "9002"]
    assert parts[3].env["AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT"] == "9003"
    # The UI's Hostname of a task instance names the worker that ran it.
    assert [w.env["LTWATCH_WORKER_HOSTNAME"] for w in workers] == node_names


def test_celery_broker_problems_are_one_sentence_without_the_password() -> None:
    import socket

    from pipeline.airflow_celery import broker_problem, redacted

    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        unused = sock.getsockname()[1]

    assert redacted("redis://:s3cret@example.org:6379/0") == "redis://:***@example.org:6379/0"
    assert redacted("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    problem = broker_problem("amqp://user:s3cret@example.org//")
    assert problem is not None and "s3cret" not in problem and "redis://" in problem
    closed = broker_problem(f"redis://127.0.0.1:{unused}/0")
    assert closed is not None and "does not answer" in closed
    assert broker_problem("redis://127.0.0.1:6379/0") is None  # the machine's Redis


def test_local_airflow_creates_its_metadata_database_once(database_url: str) -> None:
    from pipeline.airflow_local import ensure_database

    name = f"ltwatch_test_airflow_{uuid.uuid4().hex[:8]}"
    admin = db.libpq_url(database_url)
    try:
        ensure_database(database_url, name)
        ensure_database(database_url, name)  # idempotent
        with psycopg.connect(admin) as conn:
            found = conn.execute(
                "SELECT count(*) FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
        assert found == (1,)
    finally:
        # Nobody is connected to it (ensure_database closes its connection): no FORCE needed.
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_pipeline_does_not_import_airflow() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, pipeline.airflow_local, pipeline.runner; "
            "print([m for m in sys.modules if m.split('.')[0] == 'airflow'])",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_local_airflow_creates_the_crawl_pool_the_dags_use() -> None:
    from pipeline import airflow_local

    common = (DAGS_FOLDER / "_common.py").read_text()
    assert f'CRAWL_POOL = "{airflow_local.CRAWL_POOL}"' in common
    assert airflow_local.CRAWL_POOL_SLOTS >= 1


# --- (d) docker-compose.yml -----------------------------------------------------------------

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
# The Compose specification's JSON schema, as the check-jsonschema package vendors it (a dev
# dependency), so validating needs no network.
COMPOSE_SCHEMA = Path(check_jsonschema.__file__).parent / "builtin_schemas/vendor/compose-spec.json"
AIRFLOW_SERVICES = {
    "airflow-init": None,  # a bash script: migrate, create the pool
    "airflow-apiserver": "api-server",
    "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor",
    "airflow-triggerer": "triggerer",
    "airflow-worker": "celery worker",
}
# A reference to a variable from the environment/.env, with no default or an empty one.
NO_INLINE_VALUE = re.compile(r"^\$\{[A-Z0-9_]+(:\?[^}]*|:-)?\}$")
SERVICE_NAME = re.compile(r"^[a-zA-Z0-9._-]+$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    # safe_load resolves the `<<: *airflow-common` merge keys, so services are seen merged.
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def test_compose_file_is_valid_against_the_compose_specification(
    compose: dict[str, Any],
) -> None:
    # What the schema cannot say: references between services and volumes resolve.
    allowed_top = {
        "version",
        "name",
        "include",
        "services",
        "networks",
        "volumes",
        "secrets",
        "configs",
        "models",
    }
    assert {k for k in compose if not k.startswith("x-")} <= allowed_top
    volumes = set(compose.get("volumes") or {})
    services = compose["services"]
    for name, service in services.items():
        assert SERVICE_NAME.match(name), name
        assert "image" in service or "build" in service, name
        assert isinstance(service.get("environment", {}), dict), name
        for dependency in service.get("depends_on") or {}:
            assert dependency in services, (name, dependency)
            condition = service["depends_on"][dependency]["condition"]
            assert condition in {
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            }, (name, condition)
            if condition == "service_healthy":
                assert "healthcheck" in services[dependency], dependency
        for volume in service.get("volumes") or []:
            source = volume.split(":", 1)[0]
            assert source.startswith((".", "/")) or source in volumes, (name, volume)
        for key in ("ports", "expose"):
            assert isinstance(service.get(key, []), list), (name, key)
        if "healthcheck" in service:
            test = service["healthcheck"]["test"]
            assert isinstance(test, str) or test[0] in {"CMD", "CMD-SHELL", "NONE"}, name
    import jsonschema

    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(compose, schema)


def test_compose_runs_airflow_3_with_the_celery_executor_as_airflow_documents(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert set(AIRFLOW_SERVICES) | {"postgres", "redis"} <= set(services)
    common = compose["x-airflow-common"]
    text = COMPOSE.read_text(encoding="utf-8")
    assert "x-airflow-common: &airflow-common" in text
    for name, command in AIRFLOW_SERVICES.items():
        service = services[name]
        assert service["image"] == common["image"], name  # merged from the anchor
        if command is not None:
            assert service["command"] == command, name
        env = service["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://:@redis:6379/0", name
        # psycopg 3, like the metadata connection (psycopg2 is not installed).
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql+psycopg://"), name
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy", name
        assert service["depends_on"]["redis"]["condition"] == "service_healthy", name
        if name != "airflow-init":
            assert "healthcheck" in service, name
            init = service["depends_on"]["airflow-init"]["condition"]
            assert init == "service_completed_successfully", name
    # Workers scale with `--scale airflow-worker=3`: nothing that would collide.
    worker = services["airflow-worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert worker["environment"]["DUMB_INIT_SETSID"] == "0"  # warm shutdown
    assert "inspect ping" in " ".join(worker["healthcheck"]["test"])
    assert worker["depends_on"]["airflow-apiserver"]["condition"] == "service_healthy"
    assert services["airflow-apiserver"]["ports"] == ["127.0.0.1:8080:8080"]
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]
    # init migrates and creates the crawl pool before anything runs.
    script = " ".join(services["airflow-init"]["command"])
    assert "airflow db migrate" in script
    assert "airflow pools set ltwatch_crawl" in script


def test_compose_configures_airflow_3_and_the_pipeline(compose: dict[str, Any]) -> None:
    env = compose["x-airflow-common"]["environment"]
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false"
    assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith("SimpleAuthManager")
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == (
        "http://airflow-apiserver:8080/execution/"
    )
    assert "AIRFLOW__API_AUTH__JWT_SECRET" in env
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("@postgres/airflow")
    assert env["LTWATCH_DATABASE_URL"].endswith("@postgres/ltwatch")
    assert env["LTWATCH_ALERT_URLS"] == "${LTWATCH_ALERT_URLS:-}"
    build = compose["x-airflow-common"]["build"]
    assert build["dockerfile"] == "docker/Dockerfile"
    init_sql = "".join(
        p.read_text() for p in (PROJECT_ROOT / "docker" / "postgres-init").glob("*.sql")
    )
    assert "CREATE DATABASE ltwatch" in init_sql
    assert any(
        "docker-entrypoint-initdb.d" in v for v in compose["services"]["postgres"]["volumes"]
    )


def test_compose_and_image_hold_no_secrets(compose: dict[str, Any]) -> None:
    for name, service in {
        "x-airflow-common": compose["x-airflow-common"],
        **compose["services"],
    }.items():
        for key, value in (service.get("environment") or {}).items():
            value = str(value)
            # (…_FILE settings name a path where a secret is kept, not the secret.)
            if re.search(r"PASSWORD|SECRET|FERNET|TOKEN|_KEY$", key) and not key.endswith("_FILE"):
                assert NO_INLINE_VALUE.match(value), f"{name}: {key}={value}"
            if "://" in value and "@" in value:
                # user:password@host — the password must be a variable (or empty), never a
                # literal.
                password = value.split("://", 1)[1].split("@", 1)[0].partition(":")[2]
                assert not password or NO_INLINE_VALUE.match(password), f"{name}: {key}"
    ignored = (PROJECT_ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".git" in ignored and ".venv" in ignored


def test_the_image_is_airflow_3_3_2_with_the_locked_dependencies_and_celery() -> None:
    dockerfile = (PROJECT_ROOT / "docker" / "Dockerfile").read_text()
    assert "apache/airflow:3.3.2-python3.11" in dockerfile
    # The lock's versions, its `celery` extra (the CeleryExecutor) included.
    assert "uv export --frozen --no-dev --extra celery --no-hashes" in dockerfile
    assert "COPY --chown=airflow:0 dags /opt/airflow/dags" in dockerfile
    assert "airflow.providers.celery" in dockerfile
    # Everything the Dockerfile copies exists (a rename would break only the image build).
    for source in re.findall(r"^COPY (?!--from)(?:--chown=\S+ )?(.+) \S+$", dockerfile, re.M):
        for part in source.split():
            assert (PROJECT_ROOT / part).exists(), part
