"""A local development Airflow for this project: ``ltwatch airflow``.

Runs ``airflow standalone`` as a subprocess with an environment built here, rather than the
separate components (scheduler, dag-processor, triggerer, api-server): standalone migrates
the metadata database, creates the simple-auth-manager admin user and prints its password
once, starts all four components with the LocalExecutor and stops them together on Ctrl-C —
exactly what one developer on a laptop needs, in one terminal. Production-shaped setups are
``docker-compose.yml``, which runs the components as separate services.

This module never imports Airflow: the pipeline must work (and its tests run) without
loading it, and Airflow must read its configuration from the environment we build, which
only a fresh process does reliably.

``ltwatch airflow --executor celery --workers N`` runs the components separately instead,
with N Celery workers (pipeline/airflow_celery.py): the scale-out setup on one machine.

Metadata database: ``LTWATCH_AIRFLOW_DATABASE_URL``, or a database ``airflow`` next to the
project's database on the same PostgreSQL server (the embedded one when
``LTWATCH_DATABASE_URL`` is unset), created on first use. Airflow's own files (airflow.cfg,
logs, the admin password file, the shared secrets) live in ``<data_dir>/airflow``.
"""

from __future__ import annotations

import base64
import configparser
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path

from pipeline.airflow_celery import CELERY_CONFIG_OPTIONS
from pipeline.settings import PROJECT_ROOT, Settings

AIRFLOW_DATABASE = "airflow"
DAGS_FOLDER = PROJECT_ROOT / "dags"
SIMPLE_AUTH_MANAGER = (
    "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
)
HOST = "127.0.0.1"
# The pool that bounds concurrent crawl tasks (dags/_common.py: CRAWL_POOL). Tasks in a pool
# that does not exist are never scheduled, so it is created before Airflow starts.
CRAWL_POOL = "ltwatch_crawl"
CRAWL_POOL_SLOTS = 4
CRAWL_POOL_DESCRIPTION = "libya-turkiye-watch: concurrent per-source crawls"


def airflow_home(settings: Settings) -> Path:
    return settings.data_dir / "airflow"


def airflow_database_url(project_url: str, name: str = AIRFLOW_DATABASE) -> str:
    """The metadata database's URL: the project's server, database ``airflow``, psycopg 3.

    psycopg 3 (not psycopg2, which the project does not install) serves both Airflow's sync
    and async engines; SQLAlchemy picks its async variant for ``create_async_engine``.
    """
    from sqlalchemy.engine import make_url

    from pipeline import db

    url = make_url(db.sqlalchemy_url(project_url)).set(database=name)
    return url.render_as_string(hide_password=False)


def ensure_database(project_url: str, name: str = AIRFLOW_DATABASE) -> None:
    """Create database ``name`` on the project's server if it does not exist yet.

    Connects to the project's own database (the role we have) and needs CREATEDB there; the
    embedded server's role is a superuser. CREATE DATABASE can't run in a transaction, hence
    autocommit.
    """
    import psycopg
    from psycopg import sql

    from pipeline import db

    with psycopg.connect(db.libpq_url(project_url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# The secrets every Airflow component must share (Airflow 3): the Fernet key encrypts
# connections and variables in the metadata database, the JWT secret signs the tokens tasks
# use on the Execution API, and [api] secret_key signs the api-server's requests for live
# logs to workers and triggerers. Each `airflow.cfg` Airflow writes gets random ones of its
# own, so components configured from different files (or machines) can't talk to each other.
SHARED_SECRETS = {
    "AIRFLOW__CORE__FERNET_KEY": ("core", "fernet_key"),
    "AIRFLOW__API_AUTH__JWT_SECRET": ("api_auth", "jwt_secret"),
    "AIRFLOW__API__SECRET_KEY": ("api", "secret_key"),
}
SECRETS_FILE = "ltwatch-shared-secrets.json"
# Paused at creation unless the operator opts in with this variable set to "False": a fresh
# deployment must not start crawling, vacuuming and alerting before anyone looked at it.
PAUSED_AT_CREATION = "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"
EXECUTORS = {"local": "LocalExecutor", "celery": "CeleryExecutor"}
CONCURRENCY = "AIRFLOW__CELERY__WORKER_CONCURRENCY"
CELERY_CONFIG_VARIABLE = "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"
WORKER_CONCURRENCY = 8


def _new_secret(variable: str) -> str:
    if variable == "AIRFLOW__CORE__FERNET_KEY":
        return base64.urlsafe_b64encode(os.urandom(32)).decode()  # what Fernet expects
    return secrets.token_urlsafe(32)


def shared_secrets(home: Path, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The Fernet key, JWT secret and ``[api] secret_key`` for every component.

    From the environment when set there (an operator sharing them across machines);
    otherwise from ``<home>/ltwatch-shared-secrets.json``, written on first use (mode 0600)
    and seeded from an existing ``airflow.cfg``, so that connections encrypted by an earlier
    ``ltwatch airflow`` stay readable.
    """
    environ = dict(os.environ) if environ is None else environ
    path = home / SECRETS_FILE
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    if not all(stored.get(name) for name in SHARED_SECRETS):
        config = configparser.ConfigParser(interpolation=None)
        config.read(home / "airflow.cfg")
        for name, (section, key) in SHARED_SECRETS.items():
            if not stored.get(name):
                stored[name] = config.get(section, key, fallback="") or _new_secret(name)
        home.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(json.dumps(stored, indent=2) + "\n")
    return {name: environ.get(name) or stored[name] for name in SHARED_SECRETS}


def airflow_environment(
    settings: Settings,
    *,
    port: int = 8080,
    project_url: str | None = None,
    metadata_database: str = AIRFLOW_DATABASE,
    executor: str = "local",
) -> dict[str, str]:
    """The variables a local Airflow and its tasks need (to merge over ``os.environ``).

    ``project_url``: the project's resolved database URL; by default resolved from
    ``settings``, which starts the embedded server when no URL is configured.
    ``metadata_database``: the metadata database's name on that server (tests use their own),
    unless ``settings.airflow_database_url`` names one.
    ``executor``: ``local`` (LocalExecutor, ``airflow standalone``) or ``celery``.
    """
    from pipeline import db

    if project_url is None:
        project_url = db.resolve_database_url(settings)
    if settings.airflow_database_url:
        metadata_url = db.sqlalchemy_url(settings.airflow_database_url)
    else:
        metadata_url = airflow_database_url(project_url, metadata_database)
    api_url = f"http://{HOST}:{port}"
    home = airflow_home(settings)
    env = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        # crawl → process → alert follow each other through assets, so unpause all four
        # together (or opt in with this variable set to False, as the tests do).
        PAUSED_AT_CREATION: os.environ.get(PAUSED_AT_CREATION, "True"),
        "AIRFLOW__CORE__EXECUTOR": EXECUTORS[executor],
        "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
        # Exactly "admin:admin": the value for which `airflow standalone` generates and
        # prints the admin's password (once; it is kept in AIRFLOW_HOME afterwards).
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
        # Derived by Airflow as postgresql+asyncpg otherwise, and asyncpg isn't installed.
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": metadata_url,
        # Loopback only: the UI of a development Airflow has no business on the network.
        "AIRFLOW__API__HOST": HOST,
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": api_url,
        # Task processes talk to the API server; the default assumes port 8080.
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{api_url}/execution/",
        # The tasks' pipeline settings, resolved once here so every task uses the same
        # database (the embedded server's socket URL included) and data directory.
        "LTWATCH_DATABASE_URL": project_url,
        "LTWATCH_DATA_DIR": str(settings.data_dir),
        "LTWATCH_SOURCES": str(settings.sources),
        **shared_secrets(home),
    }
    if executor == "celery":
        env |= {
            "AIRFLOW__CELERY__BROKER_URL": settings.celery_broker_url,
            # Task states come back through the metadata database, as in Airflow's
            # reference setup (psycopg 3, like the metadata connection itself).
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+{metadata_url}",
            # Workers import the pipeline (and load spaCy) once, so tasks start warm; an
            # operator's own Celery configuration wins.
            CELERY_CONFIG_VARIABLE: os.environ.get(CELERY_CONFIG_VARIABLE, CELERY_CONFIG_OPTIONS),
            # Tasks one worker runs at once (compose's default too); crawls are bounded
            # across all workers by the pool.
            CONCURRENCY: os.environ.get(CONCURRENCY, str(WORKER_CONCURRENCY)),
        }
    if settings.alert_urls:
        # Passed in the environment of the child only (settings may have come from .env).
        env["LTWATCH_ALERT_URLS"] = " ".join(settings.alert_urls)
    return env


def airflow_command(env: dict[str, str], *args: str, timeout: float = 300) -> None:
    """Run ``airflow ARGS…`` with ``env`` (merged over ``os.environ``); raise if it fails."""
    proc = subprocess.run(
        [sys.executable, "-m", "airflow", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"airflow {' '.join(args)} failed ({proc.returncode}):\n"
            f"{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        )


def prepare_metadata(env: dict[str, str], *, crawl_slots: int = CRAWL_POOL_SLOTS) -> None:
    """Migrate the metadata database and create the crawl pool (both idempotent).

    Before the components start: standalone would migrate too, but the pool needs the
    migrated database, and a crawl task whose pool is missing would wait forever.
    """
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    airflow_command(env, "db", "migrate")
    airflow_command(env, "pools", "set", CRAWL_POOL, str(crawl_slots), CRAWL_POOL_DESCRIPTION)


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex((HOST, port)) == 0


def prepared_environment(settings: Settings, *, port: int, executor: str) -> dict[str, str]:
    """The project's and Airflow's databases migrated, the pool created: the environment."""
    from pipeline import db

    # Resolving the URL starts the embedded server if needed (and leaves it running after we
    # exit, like every other ltwatch command: `ltwatch db stop` stops it).
    project_url = db.resolve_database_url(settings)
    db.upgrade(project_url)  # tasks migrate too; doing it first surfaces errors here
    if not settings.airflow_database_url:
        ensure_database(project_url)
    env = airflow_environment(settings, port=port, project_url=project_url, executor=executor)
    print("Preparing Airflow's metadata database and the ltwatch_crawl pool…", flush=True)
    prepare_metadata(env)
    return env


def run_local_airflow(
    settings: Settings,
    port: int = 8080,
    *,
    executor: str = "local",
    workers: int = 2,
    log_port: int = 8793,
) -> int:
    """Run Airflow for this project until Ctrl-C; return its exit status.

    ``local``: ``airflow standalone``. ``celery``: the components and ``workers`` Celery
    workers as separate processes (pipeline/airflow_celery.py), the workers serving their
    logs on ``log_port``, ``log_port + 1``…
    """
    if _port_in_use(port):
        print(f"Port {port} on {HOST} is already in use; pick another with --port.", flush=True)
        return 1
    if executor == "celery":
        from pipeline.airflow_celery import run_celery_cluster

        env = prepared_environment(settings, port=port, executor=executor)
        return run_celery_cluster(env, workers=workers, log_port=log_port)
    env = prepared_environment(settings, port=port, executor=executor)
    # standalone starts its components as `airflow …` found on PATH: make that this venv's.
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    password_file = Path(env["AIRFLOW_HOME"]) / "simple_auth_manager_passwords.json.generated"
    print(
        f"Airflow home: {env['AIRFLOW_HOME']}\n"
        f"DAGs: {env['AIRFLOW__CORE__DAGS_FOLDER']}\n"
        f"UI: http://{HOST}:{port} — user 'admin'; the password is printed below on the first "
        f"start only, and kept in {password_file}",
        flush=True,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "airflow", "standalone"],
        env={**os.environ, **env},
        # Its own process group: the terminal's Ctrl-C reaches only us, and we pass exactly
        # one SIGINT on (a second one would interrupt standalone while it stops its
        # components and orphan them). SIGINT is reset to the default in the child because
        # a shell starting us in the background makes it ignored, and Python then never
        # raises KeyboardInterrupt — standalone's only way to shut down cleanly.
        start_new_session=True,
        preexec_fn=_default_sigint,
    )
    stopping = False

    def forward(signum: int, frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            process.send_signal(signal.SIGINT)
        else:  # asked twice: stop the whole group now
            os.killpg(process.pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
