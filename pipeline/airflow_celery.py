"""``ltwatch airflow --executor celery --workers N``: the scale-out setup on one machine.

Airflow's scheduler, DAG processor, triggerer and API server, and N ``airflow celery worker``
processes, each a process of its own, with the environment ``pipeline.airflow_local``
builds (CeleryExecutor, Redis broker ``LTWATCH_CELERY_BROKER_URL``, metadata database and
Celery results on the project's PostgreSQL, one set of shared secrets). It is what
docker-compose.yml runs as services, without containers: the same settings, checked
against each other by tests/test_compose.py.

Several workers on one host need what workers on separate hosts get for free:

- a Celery node name of their own (``worker1@host``, ``worker2@host``…), or Celery sees one
  node twice;
- a log-server port of their own (``log_port``, ``log_port + 1``…; the triggerer's is
  ``log_port + N``): each serves task logs over HTTP and would fail to bind a shared one.
  On one host the API server reads the logs from the shared log folder anyway;
- a host name of their own for Airflow (``[core] hostname_callable`` →
  :func:`worker_hostname`), so the UI's *Hostname* of a task instance says which worker ran
  it, as it would across machines.

Only the standard library at module level: :func:`worker_hostname` is imported by every
task process on a worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

WORKER_HOSTNAME = "LTWATCH_WORKER_HOSTNAME"
# `[celery] celery_config_options`: Airflow's Celery configuration plus our preload.
CELERY_CONFIG_OPTIONS = "pipeline.airflow_celery.CELERY_CONFIG"
PRELOAD_MODULE = "pipeline.preload"
HOSTNAME_CALLABLE = "pipeline.airflow_celery.worker_hostname"
# Generous: the first start migrates nothing (done before) but imports Airflow in five
# processes at once, which takes a minute on a loaded 2-core machine.
START_TIMEOUT = 300
# Seconds a component other than a worker gets to stop after SIGTERM.
STOP_GRACE = 30


def worker_hostname() -> str:
    """Airflow's host name for this process: the worker's Celery node name, if it has one."""
    return os.environ.get(WORKER_HOSTNAME) or socket.getfqdn()


def __getattr__(name: str) -> object:
    """``CELERY_CONFIG``, built when Airflow asks for it (this module never imports Airflow
    otherwise): Airflow's default Celery configuration, with :mod:`pipeline.preload` in
    Celery's ``imports``, which a worker imports once before it forks its pool.
    """
    if name != "CELERY_CONFIG":
        raise AttributeError(name)
    from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG

    imports = [*DEFAULT_CELERY_CONFIG.get("imports", ()), PRELOAD_MODULE]
    return {**DEFAULT_CELERY_CONFIG, "imports": imports}


def worker_names(workers: int, host: str | None = None) -> list[str]:
    """The Celery node names of ``workers`` workers on this host: ``worker1@host``…"""
    host = host or socket.getfqdn()
    return [f"worker{i}@{host}" for i in range(1, workers + 1)]


@dataclass
class Component:
    name: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None


def components(env: dict[str, str], *, workers: int, log_port: int) -> list[Component]:
    """What runs, in start order, each with the variables it adds to ``env``."""
    ports = {
        # What the API server asks when it fetches a running task's log.
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(log_port),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(log_port + workers),
    }
    common = {**env, **ports}
    out = [
        Component("api-server", ["api-server"], common),
        Component("scheduler", ["scheduler"], common),
        Component("dag-processor", ["dag-processor"], common),
        Component("triggerer", ["triggerer"], common),
    ]
    for i, name in enumerate(worker_names(workers)):
        worker_env = {
            **common,
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(log_port + i),
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": HOSTNAME_CALLABLE,
            WORKER_HOSTNAME: name,
        }
        out.append(Component(name, ["celery", "worker", "--celery-hostname", name], worker_env))
    return out


def redacted(url: str) -> str:
    """``url`` without its password, for printing."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


def broker_problem(broker_url: str) -> str | None:
    """Why the broker can't be used, in a sentence; None when it answers."""
    parts = urlsplit(broker_url)
    if parts.scheme not in {"redis", "rediss"}:
        return f"LTWATCH_CELERY_BROKER_URL must be a redis:// URL, not {redacted(broker_url)!r}"
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    try:
        with socket.create_connection((host, port), timeout=5):
            return None
    except OSError as error:
        return (
            f"Redis at {host}:{port} (LTWATCH_CELERY_BROKER_URL) does not answer ({error}). "
            "Start one (Debian: apt-get install redis-server) or point the setting at yours."
        )


def _child_setup() -> None:
    # A shell that starts us in the background leaves SIGINT ignored in children: restore it
    # so that Airflow's own handlers work. And if we die (even by SIGKILL), the kernel sends
    # the component SIGTERM, so that no orphaned scheduler or worker keeps running.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Cluster:
    def __init__(self, parts: list[Component], log_dir: Path) -> None:
        self.parts = parts
        self.log_dir = log_dir
        self.stop_requests = 0
        self.wake = threading.Event()

    def log_of(self, part: Component) -> Path:
        return self.log_dir / f"{part.name.split('@')[0]}.log"

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for part in self.parts:
            with self.log_of(part).open("ab") as sink:
                part.process = subprocess.Popen(
                    [sys.executable, "-m", "airflow", *part.args],
                    env={**os.environ, **part.env},
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    # Its own process group: our signal handler decides what each gets, in
                    # which order, and a kill reaches the component's own children.
                    start_new_session=True,
                    preexec_fn=_child_setup,
                )

    def exited(self) -> Component | None:
        for part in self.parts:
            if part.process is not None and part.process.poll() is not None:
                return part
        return None

    def request_stop(self, signum: int, frame: object) -> None:
        self.stop_requests += 1
        self.wake.set()
        if self.stop_requests > 1:  # asked twice: no more waiting for running tasks
            self.signal_all(signal.SIGKILL)

    def signal_all(self, sig: int, parts: list[Component] | None = None) -> None:
        """``sig`` to each component's main process — SIGKILL to its whole process group.

        A Celery worker's warm shutdown needs SIGTERM in its main process only: sent to
        the group, it would also reach the pool processes and the tasks they run, and
        kill them mid-crawl.
        """
        for part in parts if parts is not None else self.parts:
            if part.process is not None and part.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    if sig == signal.SIGKILL:
                        os.killpg(part.process.pid, sig)
                    else:
                        part.process.send_signal(sig)

    def stop(self) -> None:
        """The scheduler first, then the workers, warm (they finish their running tasks),
        then the rest.

        The scheduler stops first so nothing new is queued; the API server last, because a
        finishing task reports its state through it. Only the workers may take as long as
        their tasks do (a second Ctrl-C kills them); any other component that has not
        stopped after ``STOP_GRACE`` seconds is killed, saying so.
        """
        first = [p for p in self.parts if p.name in {"scheduler", "dag-processor"}]
        workers = [p for p in self.parts if p.args[0] == "celery"]
        rest = [p for p in self.parts if p not in first and p not in workers]
        for group, grace in ((first, STOP_GRACE), (workers, None), (rest, STOP_GRACE)):
            self.signal_all(signal.SIGTERM, group)
            deadline = None if grace is None else time.monotonic() + grace
            for part in group:
                if part.process is None:
                    continue
                try:
                    left = None if deadline is None else max(0.1, deadline - time.monotonic())
                    part.process.wait(timeout=left)
                except subprocess.TimeoutExpired:
                    print(f"{part.name} did not stop in {grace} s: killed.", flush=True)
                    self.signal_all(signal.SIGKILL, [part])
                    part.process.wait()

    def tail(self, part: Component, lines: int = 40) -> str:
        text = self.log_of(part).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def _api_up(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/api/v2/version", timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def run_celery_cluster(env: dict[str, str], *, workers: int, log_port: int) -> int:
    """Start the cluster, say where its UI is, and run it until Ctrl-C or a component dies."""
    try:
        metadata.version("apache-airflow-providers-celery")
    except metadata.PackageNotFoundError:
        print("The CeleryExecutor is not installed: run `uv sync --extra celery`.", flush=True)
        return 1
    if problem := broker_problem(env["AIRFLOW__CELERY__BROKER_URL"]):
        print(problem, flush=True)
        return 1
    home = Path(env["AIRFLOW_HOME"])
    cluster = Cluster(components(env, workers=workers, log_port=log_port), home / "logs/ltwatch")
    previous = {
        sig: signal.signal(sig, cluster.request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        cluster.start()
        names = ", ".join(p.name for p in cluster.parts)
        print(f"Started {names}; their output is in {cluster.log_dir}/", flush=True)
        base_url = env["AIRFLOW__API__BASE_URL"]
        deadline = time.monotonic() + START_TIMEOUT
        announced = False
        while not cluster.stop_requests:
            if (dead := cluster.exited()) is not None:
                print(f"{dead.name} exited ({dead.process.returncode if dead.process else '?'}):")
                print(cluster.tail(dead), flush=True)
                return 1
            if not announced and _api_up(base_url):
                announced = True
                _announce(env, base_url, workers)
            elif not announced and time.monotonic() > deadline:
                print(f"The API server did not answer in {START_TIMEOUT} s; see its log.")
                return 1
            cluster.wake.wait(1)
        print("Stopping: workers finish their running tasks (Ctrl-C again to kill)…", flush=True)
        return 0
    finally:
        cluster.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _announce(env: dict[str, str], base_url: str, workers: int) -> None:
    passwords = Path(
        env.get("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE")
        or Path(env["AIRFLOW_HOME"]) / "simple_auth_manager_passwords.json.generated"
    )
    password = "?"
    with contextlib.suppress(OSError, ValueError, KeyError):
        password = json.loads(passwords.read_text())["admin"]
    print(
        f"UI: {base_url} — user 'admin', password {password} (kept in {passwords})\n"
        f"{workers} Celery worker(s): {', '.join(worker_names(workers))}; broker "
        f"{redacted(env['AIRFLOW__CELERY__BROKER_URL'])}\n"
        f"DAGs paused at creation: {env['AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION']}. "
        "Ctrl-C stops everything.",
        flush=True,
    )
