"""``ltwatch db …``: the schema, raw-HTML retention, and the database itself.

Registered in ``pipeline.cli`` with ``app.add_typer(db_app, name="db")``.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console

from pipeline import db, runner
from pipeline.settings import get_settings

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
console = Console()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply migrations (``run`` does this on start too)."""
    url = runner.database(get_settings())
    console.print(f"Database at revision {db.current_revision(url)}.")


@db_app.command("prune-html")
def db_prune_html(
    older_than: Annotated[
        int | None,
        typer.Option(
            "--older-than", min=1, help="Days (default: LTWATCH_HTML_RETENTION_DAYS, 180)."
        ),
    ] = None,
) -> None:
    """Drop raw HTML older than N days; clean text, events and known URLs are kept."""
    summary = runner.retention_stage(get_settings(), older_than_days=older_than)
    console.print(summary.line())


@db_app.command("url")
def db_url() -> None:
    """Print the database URL (starting the embedded server if that is the one in use)."""
    console.print(db.libpq_url(runner.database(get_settings())), soft_wrap=True)


@db_app.command("psql")
def db_psql() -> None:
    """Open psql on the database (the embedded server ships its own psql)."""
    import shutil

    url = db.libpq_url(runner.database(get_settings()))
    psql = shutil.which("psql") or db.embedded_psql()
    os.execv(psql, [psql, url])


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL (it keeps running between commands for analysts)."""
    settings = get_settings()
    if settings.database_url:
        raise typer.BadParameter("LTWATCH_DATABASE_URL is set: that server is not ours to stop.")
    db.stop_embedded(settings.data_dir)
    console.print("Embedded PostgreSQL stopped.")
