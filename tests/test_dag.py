"""The Airflow DAG, the local Airflow environment and the docker-compose stack.

Everything that loads Airflow runs in a subprocess with its own ``AIRFLOW_HOME``: Airflow
reads its configuration and sets up logging and its ORM when first imported, so importing
it into the pytest process would tie every later test to one Airflow configuration and
Airflow's logging setup. The pytest process itself never imports ``airflow``.

Extra fixtures (this file only): ``airflow_env`` (session: a temporary AIRFLOW_HOME with
a migrated SQLite metadata database) and ``site`` (module: the sample site on 127.0.0.1).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
import yaml

from pipeline import db
from pipeline.settings import PROJECT_ROOT, Settings

DAGS_FOLDER = PROJECT_ROOT / "dags"
DAG_FILE = DAGS_FOLDER / "libya_turkiye_watch.py"
DAG_ID = "libya_turkiye_watch"
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
    """Environment for an Airflow subprocess: temp AIRFLOW_HOME, SQLite metadata DB, migrated.

    SQLite rather than a database on the test PostgreSQL: dag.test() runs the tasks in one
    process, for which SQLite is enough, and it needs no CREATEDB right on a shared server.
    ``airflow db migrate`` runs once per session (about 6 s here).
    """
    home = tmp_path_factory.mktemp("airflow-home")
    # Inherited AIRFLOW__* settings (a developer's or CI's) must not leak into the tests.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "LTWATCH_"))}
    env |= {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        # Empty: the DAG's default schedule, whatever the developer's shell has set.
        "LTWATCH_SCHEDULE": "",
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
    # Visible with -rA / -s: how much of the suite's time the metadata DB costs.
    print(f"airflow db migrate: {time.perf_counter() - started:.1f} s")
    return env


# --- (a) the DAG file parses and has the intended shape ------------------------------------

STRUCTURE_SCRIPT = f"""
    import json
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder={str(DAGS_FOLDER)!r})
    dag = bag.dags.get({DAG_ID!r})
    out = {{"import_errors": bag.import_errors, "dag_ids": bag.dag_ids}}
    if dag is not None:
        out |= {{
            "schedule": str(dag.timetable),
            "max_active_runs": dag.max_active_runs,
            "catchup": dag.catchup,
            "tags": sorted(dag.tags),
            "doc_md": dag.doc_md or "",
            "tasks": {{
                t.task_id: {{
                    "downstream": sorted(t.downstream_task_ids),
                    "upstream": sorted(t.upstream_task_ids),
                    "trigger_rule": str(t.trigger_rule.value),
                    "retries": t.retries,
                    "retry_delay": t.retry_delay.total_seconds(),
                    "backoff": float(t.retry_exponential_backoff),
                    "timeout": t.execution_timeout.total_seconds() if t.execution_timeout else None,
                }}
                for t in dag.tasks
            }},
        }}
    print({MARKER!r} + json.dumps(out))
"""


@pytest.fixture(scope="module")
def dag_structure(airflow_env: dict[str, str]) -> dict[str, Any]:
    return result_of(airflow_python(STRUCTURE_SCRIPT, airflow_env))


def test_the_dag_folder_imports_without_errors(dag_structure: dict[str, Any]) -> None:
    assert dag_structure["import_errors"] == {}
    assert dag_structure["dag_ids"] == [DAG_ID]


def test_crawl_then_process_then_alert_with_a_watcher_for_failures(
    dag_structure: dict[str, Any],
) -> None:
    tasks = dag_structure["tasks"]
    assert set(tasks) == {"crawl", "process", "alert", "watcher"}
    assert tasks["crawl"]["upstream"] == []
    assert tasks["process"]["upstream"] == ["crawl"]
    assert tasks["alert"]["upstream"] == ["process"]
    assert tasks["watcher"]["upstream"] == ["alert", "crawl", "process"]
    assert tasks["watcher"]["downstream"] == []
    # process and alert run after an upstream failure; the watcher then fails the run.
    assert tasks["crawl"]["trigger_rule"] == "all_success"
    assert tasks["process"]["trigger_rule"] == "all_done"
    assert tasks["alert"]["trigger_rule"] == "all_done"
    assert tasks["watcher"]["trigger_rule"] == "one_failed"


def test_retries_back_off_and_every_task_has_a_timeout(dag_structure: dict[str, Any]) -> None:
    tasks = dag_structure["tasks"]
    assert tasks["crawl"]["retries"] == 2 and tasks["crawl"]["retry_delay"] > 0
    assert tasks["process"]["retries"] == 1
    assert tasks["alert"]["retries"] == 3 and tasks["alert"]["backoff"] > 1
    assert tasks["watcher"]["retries"] == 0
    for name in ("crawl", "process", "alert"):
        assert tasks[name]["timeout"], name


def test_every_30_minutes_one_run_at_a_time_no_catchup(dag_structure: dict[str, Any]) -> None:
    assert "*/30 * * * *" in dag_structure["schedule"]
    assert dag_structure["max_active_runs"] == 1
    assert dag_structure["catchup"] is False
    assert "libya-turkiye-watch" in dag_structure["tags"]
    assert "crawl" in dag_structure["doc_md"] and "alert" in dag_structure["doc_md"]


SCHEDULE_SCRIPT = f"""
    import importlib.util, json
    spec = importlib.util.spec_from_file_location("ltw_dag", {str(DAG_FILE)!r})
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    parse = module.schedule_from_env
    cases = [None, "", "  ", "@hourly", "0 * * * *", "15m", "2h", "45", "90s", "1d", "none"]
    print({MARKER!r} + json.dumps({{repr(c): repr(parse(c)) for c in cases}}))
"""


def test_the_schedule_comes_from_ltwatch_schedule(airflow_env: dict[str, str]) -> None:
    got = result_of(airflow_python(SCHEDULE_SCRIPT, airflow_env))
    assert got == {
        "None": "'*/30 * * * *'",
        "''": "'*/30 * * * *'",
        "'  '": "'*/30 * * * *'",
        "'@hourly'": "'@hourly'",
        "'0 * * * *'": "'0 * * * *'",
        "'15m'": "datetime.timedelta(seconds=900)",
        "'2h'": "datetime.timedelta(seconds=7200)",
        "'45'": "datetime.timedelta(seconds=2700)",
        "'90s'": "datetime.timedelta(seconds=90)",
        "'1d'": "datetime.timedelta(days=1)",
        "'none'": "None",
    }


# --- (b) parsing the DAG file loads no pipeline code ----------------------------------------

HEAVY = ("pipeline", "crawlers", "scrapy", "spacy", "trafilatura", "apprise", "psycopg")

IMPORT_SCRIPT = f"""
    import importlib.util, json, sys
    import airflow.sdk  # what any DAG file costs; Airflow itself brings in sqlalchemy

    before = set(sys.modules)
    spec = importlib.util.spec_from_file_location("ltw_dag", {str(DAG_FILE)!r})
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    new = sorted(set(sys.modules) - before)
    print({MARKER!r} + json.dumps({{
        "new": new,
        "loaded": sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r}),
    }}))
"""


def test_parsing_the_dag_file_imports_no_pipeline_scrapy_spacy_or_sqlalchemy(
    airflow_env: dict[str, str],
) -> None:
    # Not timed (timings flake on a busy CI machine): what makes parsing slow is importing
    # the pipeline's stack, so assert that none of it is imported.
    got = result_of(airflow_python(IMPORT_SCRIPT, airflow_env))
    assert got["loaded"] == []
    heavy_new = [m for m in got["new"] if m.split(".")[0] in {*HEAVY, "sqlalchemy", "alembic"}]
    assert heavy_new == []


# --- (c) a whole run with dag.test(): sample site → Postgres → webhook ----------------------

DAG_TEST_SCRIPT = f"""
    import json
    import os
    import sqlalchemy as sa
    from airflow.dag_processing.dagbag import DagBag
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    dag = DagBag(dag_folder={str(DAGS_FOLDER)!r}).dags[{DAG_ID!r}]
    if os.environ.get("LTW_TEST_NO_RETRIES"):
        # dag.test() honours retry delays; a test of failure handling can't wait minutes.
        for task in dag.tasks:
            task.retries = 0
    run = dag.test()
    with create_session() as session:
        tis = run.get_task_instances(session=session)
        states = {{ti.task_id: str(ti.state) for ti in tis}}
        durations = {{ti.task_id: ti.duration for ti in tis}}
        xcoms = {{
            x.task_id: XComModel.deserialize_value(x)
            for x in session.scalars(
                XComModel.get_many(run_id=run.run_id, dag_ids={DAG_ID!r}, key="return_value")
            )
        }}
    result = {{"state": str(run.state), "tasks": states, "durations": durations, "xcoms": xcoms}}
    print({MARKER!r} + json.dumps(result))
"""


@pytest.fixture(scope="module")
def site() -> Iterator[Any]:
    from pipeline.samplesite import serve

    with serve() as sample_site:
        yield sample_site


def stored_count(url: str, table: str) -> int:
    with db.get_engine(url).connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


@pytest.mark.slow
def test_a_dag_run_stores_events_and_alerts_each_once_and_a_second_run_sends_nothing(
    airflow_env: dict[str, str], site: Any, clean_db: str, webhook: Any, tmp_path: Path
) -> None:
    from pipeline.samplesite import write_sources_file

    # Broken outlets included: a partly failed crawl must not hold back processing/alerts.
    sources = write_sources_file(site.base_url, tmp_path / "sources.yaml", include_broken=True)
    env = airflow_env | {
        "LTWATCH_DATABASE_URL": clean_db,
        "LTWATCH_SOURCES": str(sources),
        "LTWATCH_ALERT_URLS": webhook.url,
        "LTWATCH_DATA_DIR": str(tmp_path / "data"),
    }

    started = time.perf_counter()
    first = result_of(airflow_python(DAG_TEST_SCRIPT, env, timeout=480))
    print(f"dag.test() first run: {time.perf_counter() - started:.1f} s {first['durations']}")
    assert first["state"] == "success", first
    assert first["tasks"] == {
        "crawl": "success",
        "process": "success",
        "alert": "success",
        "watcher": "skipped",
    }
    crawl, process, alert = (first["xcoms"][t] for t in ("crawl", "process", "alert"))
    assert crawl["stage"] == "crawl"
    assert {name for name, s in crawl["sources"].items() if s["status"] == "failed"} >= {
        "broken-unreachable",
        "broken-http-500",
    }
    assert process["pages_processed"] > 0

    events = stored_count(clean_db, "events")
    assert events > 0
    assert alert["alerts_sent"] == events
    assert len(webhook.messages) == events
    pages = stored_count(clean_db, "pages")

    started = time.perf_counter()
    second = result_of(airflow_python(DAG_TEST_SCRIPT, env, timeout=480))
    print(f"dag.test() second run: {time.perf_counter() - started:.1f} s {second['durations']}")
    assert second["state"] == "success", second
    assert second["xcoms"]["alert"]["alerts_sent"] == 0
    assert len(webhook.messages) == events
    assert stored_count(clean_db, "events") == events
    assert stored_count(clean_db, "pages") == pages


@pytest.mark.slow
def test_a_failed_crawl_still_processes_and_alerts_and_the_run_is_marked_failed(
    airflow_env: dict[str, str], clean_db: str, webhook: Any, tmp_path: Path
) -> None:
    env = airflow_env | {
        "LTWATCH_DATABASE_URL": clean_db,
        "LTWATCH_SOURCES": str(tmp_path / "missing-sources.yaml"),  # crawl fails outright
        "LTWATCH_ALERT_URLS": webhook.url,
        "LTWATCH_DATA_DIR": str(tmp_path / "data"),
        "LTW_TEST_NO_RETRIES": "1",
    }
    got = result_of(airflow_python(DAG_TEST_SCRIPT, env, timeout=300))
    assert got["tasks"] == {
        "crawl": "failed",
        "process": "success",
        "alert": "success",
        "watcher": "failed",
    }
    assert got["state"] == "failed"


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


# --- (d) docker-compose.yml -----------------------------------------------------------------

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
AIRFLOW_SERVICES = {
    "airflow-init": "version",
    "airflow-apiserver": "api-server",
    "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor",
    "airflow-triggerer": "triggerer",
}
# A reference to a variable from the environment/.env, with no default or an empty one.
NO_INLINE_VALUE = re.compile(r"^\$\{[A-Z0-9_]+(:\?[^}]*|:-)?\}$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    # safe_load resolves the `<<: *airflow-common` merge keys, so services are seen merged.
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def test_compose_has_the_airflow_3_services_on_one_common_definition(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert set(AIRFLOW_SERVICES) | {"postgres"} <= set(services)
    common = compose["x-airflow-common"]
    text = COMPOSE.read_text(encoding="utf-8")
    assert "x-airflow-common: &airflow-common" in text
    for name, command in AIRFLOW_SERVICES.items():
        service = services[name]
        assert service["image"] == common["image"], name  # merged from the anchor
        assert service["command"] == command, name
        assert service["environment"]["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor", name
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy", name
        if name != "airflow-init":
            assert "healthcheck" in service, name
            init = service["depends_on"]["airflow-init"]["condition"]
            assert init == "service_completed_successfully", name
    assert text.count("<<: *airflow-common\n") >= len(AIRFLOW_SERVICES)
    assert services["airflow-apiserver"]["ports"] == ["127.0.0.1:8080:8080"]
    assert services["airflow-init"]["environment"]["_AIRFLOW_DB_MIGRATE"] == "true"
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]


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
                # user:password@host — the password must be a variable, never a literal.
                password = value.split("://", 1)[1].split("@", 1)[0].partition(":")[2]
                assert NO_INLINE_VALUE.match(password), f"{name}: {key}"
    ignored = (PROJECT_ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".git" in ignored and ".venv" in ignored


def test_the_image_is_airflow_3_3_2_with_the_locked_dependencies() -> None:
    dockerfile = (PROJECT_ROOT / "docker" / "Dockerfile").read_text()
    assert "apache/airflow:3.3.2-python3.11" in dockerfile
    assert "uv export --frozen --no-dev --no-hashes" in dockerfile
    assert "COPY --chown=airflow:0 dags /opt/airflow/dags" in dockerfile
    # Everything the Dockerfile copies exists (a rename would break only the image build).
    for source in re.findall(r"^COPY (?!--from)(?:--chown=\S+ )?(.+) \S+$", dockerfile, re.M):
        for part in source.split():
            assert (PROJECT_ROOT / part).exists(), part
