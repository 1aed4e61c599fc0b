"""docker-compose.yml and ``ltwatch airflow --executor celery`` configure the same cluster.

No Docker engine is needed: the compose file is parsed as YAML, its ``${VAR:-default}``
interpolations resolved to their defaults (``${VAR:?…}``, a value the operator must supply,
to a marker), and compared with the environment ``ltwatch airflow`` builds.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.airflow_celery import CELERY_CONFIG_OPTIONS
from pipeline.airflow_local import (
    CONCURRENCY,
    CRAWL_POOL,
    CRAWL_POOL_DESCRIPTION,
    CRAWL_POOL_SLOTS,
    PAUSED_AT_CREATION,
    SHARED_SECRETS,
    WORKER_CONCURRENCY,
    airflow_environment,
)
from pipeline.settings import PROJECT_ROOT, Settings

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
REQUIRED = "<required>"
_INTERPOLATION = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")


def interpolate(value: str) -> str:
    """A compose value as it is with an empty ``.env``: defaults, and markers for ``:?``."""

    def one(match: re.Match[str]) -> str:
        _name, kind, rest = match.groups()
        return REQUIRED if kind == "?" else (rest or "")

    return _INTERPOLATION.sub(one, value)


def required_variable(value: str) -> str | None:
    """The ``.env`` variable a value requires (``${NAME:?…}``), if that is all it is."""
    match = re.fullmatch(r"\$\{(\w+):\?[^}]*\}", value)
    return match.group(1) if match else None


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    parsed: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return parsed


@pytest.fixture(scope="module")
def compose_env(compose: dict[str, Any]) -> dict[str, str]:
    env: dict[str, str] = compose["x-airflow-common"]["environment"]
    return env


@pytest.fixture
def local_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name in [*SHARED_SECRETS, PAUSED_AT_CREATION, CONCURRENCY]:
        monkeypatch.delenv(name, raising=False)
    settings = Settings(database_url=None, data_dir=tmp_path)
    return airflow_environment(
        settings, project_url="postgresql://u@127.0.0.1:5432/ltwatch", executor="celery"
    )


def _driver(url: str) -> str:
    return url.split("://", 1)[0]


def test_both_run_the_celery_executor_with_redis_and_results_in_postgres(
    compose_env: dict[str, str], local_env: dict[str, str]
) -> None:
    for env in (compose_env, local_env):
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert interpolate(env["AIRFLOW__CELERY__BROKER_URL"]).startswith("redis://")
        backend = interpolate(env["AIRFLOW__CELERY__RESULT_BACKEND"])
        assert _driver(backend) == "db+postgresql+psycopg"
        assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith(".SimpleAuthManager")
        assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"] == "admin:admin"
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"].lower() == "false"
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].endswith("/execution/")
        # Workers preload the pipeline, so that tasks forked from them start warm.
        assert env["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"] == CELERY_CONFIG_OPTIONS


def test_both_give_the_async_engine_the_installed_driver(
    compose_env: dict[str, str], local_env: dict[str, str]
) -> None:
    # Airflow derives postgresql+asyncpg otherwise, and asyncpg is not installed.
    for env in (compose_env, local_env):
        sync = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"] == sync
        assert _driver(sync) == "postgresql+psycopg"


def test_both_share_every_secret_the_components_need(
    compose_env: dict[str, str], local_env: dict[str, str]
) -> None:
    required = {name: required_variable(compose_env.get(name, "")) for name in SHARED_SECRETS}
    # Compose: each from a .env variable it refuses to start without (no empty Fernet key).
    assert all(required.values()), required
    assert len(set(required.values())) == len(SHARED_SECRETS)
    # …and the recipe in its header writes every one of them.
    header = COMPOSE.read_text().split("x-airflow-common")[0]
    for variable in required.values():
        assert f"{variable}=%s" in header, variable
    assert all(local_env[name] for name in SHARED_SECRETS)


def test_both_create_the_dags_paused_unless_the_operator_opts_in(
    compose_env: dict[str, str], local_env: dict[str, str]
) -> None:
    # Same variable in both: compose reads it from .env, ltwatch airflow from the environment.
    assert compose_env[PAUSED_AT_CREATION] == "${" + PAUSED_AT_CREATION + ":-true}"
    assert local_env[PAUSED_AT_CREATION].lower() == "true"


def test_both_default_to_the_same_worker_concurrency_and_crawl_schedule(
    compose: dict[str, Any], compose_env: dict[str, str], local_env: dict[str, str]
) -> None:
    worker_env = compose["services"]["airflow-worker"]["environment"]
    assert interpolate(worker_env[CONCURRENCY]) == local_env[CONCURRENCY]
    assert local_env[CONCURRENCY] == str(WORKER_CONCURRENCY)
    # The DAGs' own default (read without importing Airflow), which `ltwatch airflow` uses.
    tree = ast.parse((PROJECT_ROOT / "dags" / "_common.py").read_text())
    constants = {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
    }
    assert interpolate(compose_env["LTWATCH_SCHEDULE"]) == constants["DEFAULT_CRAWL_SCHEDULE"]
    assert (constants["CRAWL_POOL"], constants["CRAWL_POOL_SLOTS"]) == (
        CRAWL_POOL,
        CRAWL_POOL_SLOTS,
    )


def test_compose_creates_the_crawl_pool_at_init_as_ltwatch_airflow_does(
    compose: dict[str, Any],
) -> None:
    init = compose["services"]["airflow-init"]
    script = "\n".join(init["command"])
    assert "airflow db migrate" in script
    pool = re.search(r"airflow pools set (\S+) (\S+) \"([^\"]+)\"", script)
    assert pool, script
    name, slots, description = pool.groups()
    assert name == CRAWL_POOL and description == CRAWL_POOL_DESCRIPTION
    assert "LTWATCH_CRAWL_POOL_SLOTS" in slots
    assert interpolate(init["environment"]["LTWATCH_CRAWL_POOL_SLOTS"]) == str(CRAWL_POOL_SLOTS)
    # Every Airflow service starts only once init has succeeded.
    for name, service in compose["services"].items():
        if name.startswith("airflow-") and name not in {"airflow-init", "airflow-cli"}:
            condition = service["depends_on"]["airflow-init"]["condition"]
            assert condition == "service_completed_successfully", name


def _seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+)(s|m)", value)
    assert match, value
    return int(match.group(1)) * (60 if match.group(2) == "m" else 1)


def test_healthchecks_leave_headroom_on_a_loaded_machine(compose: dict[str, Any]) -> None:
    # `airflow jobs check` and `celery inspect ping` took up to 9.8 s on a busy 2-core box;
    # Docker's default timeout is 30 s.
    checked = {n: s["healthcheck"] for n, s in compose["services"].items() if "healthcheck" in s}
    assert {"airflow-worker", "airflow-scheduler", "airflow-triggerer"} <= set(checked)
    for name, check in checked.items():
        assert _seconds(check.get("timeout", "30s")) >= 30, name


def test_celery_workers_preload_the_pipeline_before_they_fork() -> None:
    import importlib

    from pipeline import airflow_celery

    config: dict[str, Any] = airflow_celery.CELERY_CONFIG  # type: ignore[attr-defined]
    # Airflow's own Celery configuration, plus the preload module in Celery's `imports`.
    assert config["task_acks_late"] is True
    assert airflow_celery.PRELOAD_MODULE in config["imports"]
    preload = importlib.import_module(airflow_celery.PRELOAD_MODULE)
    from pipeline.nlp import load_nlp

    assert load_nlp.cache_info().currsize == 1  # the model is loaded: forks inherit it
    assert preload.pipeline.process is not None
