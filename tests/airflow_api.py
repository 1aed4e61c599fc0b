"""Driving a real Airflow through its REST API, for the tests that start one
(tests/test_airflow_rest.py: ``airflow standalone``; tests/test_celery_cluster.py: the
CeleryExecutor cluster of ``ltwatch airflow --executor celery``).

Every wait polls observable state (the API, the database) against a generous overall
deadline, never a sleep tuned to how fast something starts.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from pipeline import db
from tests.conftest import WebhookReceiver

TERMINAL = {"success", "failed", "upstream_failed", "skipped", "removed"}
RUN_TERMINAL = {"success", "failed"}
DAG_IDS = {"crawl", "process", "alert", "maintenance"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def count_rows(url: str, table: str, where: str = "true", **params: Any) -> int:
    with db.get_engine(url).connect() as conn:
        query = sa.text(f"SELECT count(*) FROM {table} WHERE {where}")
        count: int = conn.execute(query, params).scalar_one()
        return count


@dataclass
class LocalAirflow:
    base_url: str
    token: str
    env: dict[str, str]
    log: Path
    sources: Path
    database_url: str
    webhook: WebhookReceiver
    site_url: str

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        response = httpx.request(
            method,
            f"{self.base_url}/api/v2{path}",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
            **kwargs,
        )
        assert response.status_code < 300, f"{method} {path}: {response.text}"
        return response.json()

    def trigger(self, dag_id: str) -> str:
        run = self.api("POST", f"/dags/{dag_id}/dagRuns", json={"logical_date": None})
        run_id: str = run["dag_run_id"]
        return run_id

    def runs(self, dag_id: str) -> list[dict[str, Any]]:
        runs: list[dict[str, Any]] = self.api(
            "GET", f"/dags/{dag_id}/dagRuns", params={"order_by": "run_after"}
        )["dag_runs"]
        return runs

    def wait_for_run(
        self,
        dag_id: str,
        *,
        run_id: str | None = None,
        run_type: str | None = None,
        timeout: float = 240,
    ) -> dict[str, Any]:
        """The run ``run_id`` — or the first run of ``run_type`` — once it has finished."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            runs = self.runs(dag_id)
            candidates = [
                r
                for r in runs
                if (run_id is None or r["dag_run_id"] == run_id)
                and (run_type is None or r["run_type"] == run_type)
            ]
            if candidates and candidates[0]["state"] in RUN_TERMINAL:
                return candidates[0]
            time.sleep(0.5)
        raise AssertionError(f"{dag_id} run did not finish in {timeout} s:\n{self.tail()}")

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        tis: list[dict[str, Any]] = self.api(
            "GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances"
        )["task_instances"]
        return tis

    def xcom(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> Any:
        entry = self.api(
            "GET",
            f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/xcomEntries/return_value",
            params={"map_index": map_index, "deserialize": True},
        )
        value = entry["value"]
        return json.loads(value) if isinstance(value, str) else value

    def wait_for_dags(self, timeout: float = 120) -> dict[str, dict[str, Any]]:
        """The project's four DAGs, once the DAG processor has parsed them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dags = {d["dag_id"]: d for d in self.api("GET", "/dags")["dags"]}
            if set(dags) >= DAG_IDS:
                return dags
            time.sleep(0.5)
        raise AssertionError(f"the DAGs were not parsed in {timeout} s:\n{self.tail()}")

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def wait_until_up(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")[-5000:]
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/api/v2/version", timeout=5).status_code == 200:
                return
        time.sleep(1)
    raise AssertionError("the API server did not come up:\n" + log.read_text()[-5000:])


def admin_token(base_url: str, airflow_home: Path) -> str:
    """A JWT for the simple auth manager's ``admin``, whose password the API server wrote."""
    passwords = airflow_home / "simple_auth_manager_passwords.json.generated"
    deadline = time.monotonic() + 60
    while not passwords.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    password = json.loads(passwords.read_text())["admin"]
    token: str = httpx.post(
        f"{base_url}/auth/token",
        json={"username": "admin", "password": password},
        timeout=30,
    ).json()["access_token"]
    return token


def by_task(tis: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for ti in tis:
        key = ti["task_id"] if ti["map_index"] < 0 else f"{ti['task_id']}[{ti['map_index']}]"
        out[key] = ti
    return out
