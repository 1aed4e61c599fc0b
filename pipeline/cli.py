"""The ``ltwatch`` command line: everything a DAG does, by hand, plus the demo."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import tempfile
import warnings
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from pipeline import db, runner
from pipeline.cli_alerts import alerts_app, print_alert
from pipeline.cli_db import db_app
from pipeline.cli_output import analyse_file, events_table
from pipeline.cli_sources import sources_app
from pipeline.settings import Settings, get_settings

app = typer.Typer(
    help="libya-turkiye-watch: find Libya–Türkiye official contacts in the news, keep them "
    "in Postgres, alert once per event.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(db_app, name="db")
app.add_typer(alerts_app, name="alerts")
app.add_typer(sources_app, name="sources")

console = Console()
err_console = Console(stderr=True)


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details.")] = False,
) -> None:
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # On the handler too: Apprise raises its own logger's level while it sends, and its
    # DEBUG lines would otherwise reach the terminal.
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)
    # platformdirs warns about XDG_RUNTIME_DIR inside pgserver; it says nothing actionable.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def _settings(sources: Path | None = None) -> Settings:
    settings = get_settings()
    if sources is not None:
        settings = settings.model_copy(update={"sources": sources})
    return settings


def _summary_table(summary: runner.StageSummary) -> Table:
    table = Table(title="Pass summary", title_justify="left")
    table.add_column("source", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for column in ("pages fetched", "new articles", "relevant", "new events"):
        table.add_column(column, justify="right")
    for figures in summary.sources.values():
        status = "[green]ok" if figures.status == "ok" else f"[red]{figures.status}"
        table.add_row(
            figures.source,
            status,
            str(figures.pages_fetched),
            str(figures.articles_new),
            str(figures.articles_relevant),
            str(figures.events_new),
        )
    return table


def _run_with_progress(settings: Settings, sources: Path | None) -> runner.StageSummary:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("Starting", total=None)
        labels = {
            "crawl": "Crawling sources",
            "process": "Cleaning and extracting",
            "alert": "Sending alerts",
        }

        def report(stage: str, done: int, total: int) -> None:
            progress.update(task, description=labels[stage], completed=done, total=total or None)

        return runner.run_pass(settings, sources_path=sources, progress=report, printer=print_alert)


def _report_pass(summary: runner.StageSummary) -> None:
    console.print(_summary_table(summary))
    for figures in summary.failed_sources:
        console.print(f"[red]✗ {figures.source}:[/red] {figures.message}")
    other_errors = [
        e
        for e in summary.errors
        if not any(e.startswith(f.source + ":") for f in summary.failed_sources)
    ]
    for error in other_errors:
        console.print(f"[yellow]! {error}")
    console.print(
        f"Alerts: {summary.alerts_sent} sent, {summary.alerts_failed} failed"
        + (f", {summary.alerts_uncertain} uncertain" if summary.alerts_uncertain else "")
    )
    for failure in summary.failures:
        console.print(f"[red]✗ {escape(failure)}")


@app.command()
def run(
    sources: Annotated[
        Path | None, typer.Option(help="Sources YAML file (default: LTWATCH_SOURCES).")
    ] = None,
) -> None:
    """One full pass: crawl every enabled source, clean, extract, store events, send alerts."""
    settings = _settings(sources)
    summary = _run_with_progress(settings, sources)
    _report_pass(summary)
    if summary.failures:  # the crawl did not complete: not a success, whatever it stored
        raise typer.Exit(1)


@app.command()
def crawl(
    sources: Annotated[Path | None, typer.Option(help="Sources YAML file.")] = None,
    only: Annotated[
        list[str] | None, typer.Option(help="Crawl only this source (repeatable).")
    ] = None,
) -> None:
    """Crawl stage only: fetch feeds and store new pages."""
    summary = runner.crawl_stage(
        _settings(sources), sources_path=sources, only=only, keep_going=True
    )
    console.print(summary.line())
    if summary.failures:  # the crawl did not complete (time-out, killed, database lost)
        raise typer.Exit(1)


@app.command()
def process() -> None:
    """Process stage only: clean and extract stored pages that need it (no crawling)."""
    summary = runner.process_stage(_settings())
    console.print(summary.line())


@app.command()
def reprocess(
    since: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Only pages fetched since (YYYY-MM-DD)."),
    ] = None,
) -> None:
    """Clean and extract stored pages again with the current code, without crawling.

    Events are updated in place; only events that are really new are alerted.
    """
    summary = runner.process_stage(_settings(), since=since.date() if since else None, force=True)
    console.print(summary.line())


@app.command()
def query(
    name: Annotated[
        str | None, typer.Argument(help="A query in sql/queries/ (its number is enough).")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Rows to show.")] = 50,
) -> None:
    """List the analysts' worked queries, or run one with its defaults or your parameters."""
    import sqlalchemy as sa

    from pipeline.queries import find_query, load_queries

    if name is None:
        table = Table(title="sql/queries/", title_justify="left")
        table.add_column("query", no_wrap=True)
        table.add_column("question")
        table.add_column("parameters (defaults)")
        for worked in load_queries():
            defaults = ", ".join(f"{k}={v}" for k, v in worked.defaults.items())
            table.add_row(worked.name, worked.question, defaults)
        console.print(table)
        return
    try:
        worked = find_query(name)
        overrides = dict(item.split("=", 1) for item in param or [])
        params = worked.params(overrides)
    except ValueError as exc:  # an unknown query or parameter, a malformed NAME=VALUE
        raise typer.BadParameter(str(exc)) from None
    with db.get_engine(runner.database(_settings())).connect() as conn:
        result = conn.execute(sa.text(worked.sql), params)
        columns, rows = list(result.keys()), result.fetchmany(limit)
    table = Table(title=f"{worked.name}: {worked.question}", title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(escape("" if value is None else str(value)) for value in row))
    console.print(table)


@app.command()
def maintenance() -> None:
    """What the daily DAG does: source health report, raw-HTML retention, VACUUM ANALYZE."""
    summary = runner.maintenance_stage(_settings())
    console.print(summary.line())


@app.command("eval")
def evaluate(
    dataset: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Annotated JSONL dataset.")
    ] = Path("eval/devset.jsonl"),
    summary: Annotated[
        bool, typer.Option("--summary", help="Figures only, without the items not matched.")
    ] = False,
) -> None:
    """Precision, recall and F1 of event extraction, per language and event type.

    DATASET is any file in the corpus format (one JSON object per line: text, published,
    language, events), e.g. ../shared/corpus/realnews/test.jsonl.
    """
    from pipeline.evaluate import DatasetError, eval_command

    try:
        eval_command(dataset, failures=not summary)
    except DatasetError as exc:
        raise typer.BadParameter(str(exc), param_hint="DATASET") from None


@app.command()
def alert() -> None:
    """Alert stage only: send queued alerts."""
    summary = runner.alert_stage(_settings(), printer=print_alert)
    console.print(summary.line())


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="HTML or plain text.")],
    url: Annotated[str | None, typer.Option(help="The page's URL.")] = None,
    published: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Publication date (YYYY-MM-DD)."),
    ] = None,
) -> None:
    """Print, as JSON, what the pipeline makes of one page (HTML) or article text (plain)."""
    analysis = analyse_file(file, url=url, published=published.date() if published else None)
    sys.stdout.write(
        json.dumps(
            analysis.model_dump(mode="json"),
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


@app.command()
def events(limit: Annotated[int, typer.Option(min=1, help="How many events.")] = 20) -> None:
    """The latest events, as a table."""
    url = runner.database(_settings())
    console.print(events_table(url, limit))


@app.command()
def demo(
    keep: Annotated[
        bool, typer.Option(help="Keep the demo database directory afterwards.")
    ] = False,
) -> None:
    """Serve the bundled sample site on 127.0.0.1 and run a full pass over it, offline."""
    from pipeline.samplesite import serve, write_sources_file

    workdir = Path(tempfile.mkdtemp(prefix="ltwatch-demo-"))
    # A database of its own: the demo never mixes sample events into a real one.
    settings = Settings(database_url=None, data_dir=workdir, alert_urls=[])
    with serve() as site:
        sources = write_sources_file(site.base_url, workdir / "sources.yaml", include_broken=True)
        console.print(
            f"Sample site on [bold]{site.base_url}[/bold]; embedded PostgreSQL in {workdir}\n"
            "Three sources in the sample sources file are broken on purpose (down, HTTP 500, "
            "malformed feed), to show how faults are reported.\n"
            "The alerts below are what the configured channels would receive.\n"
        )
        summary = _run_with_progress(settings.model_copy(update={"sources": sources}), sources)
    _report_pass(summary)
    console.print(events_table(runner.database(settings), 20))
    console.print(
        "\nNext: point [bold]LTWATCH_SOURCES[/bold] at real feeds and run [bold]ltwatch run[/bold]."
    )
    if keep:
        console.print(f"Demo data kept in {workdir}")
    else:
        import shutil

        db.stop_embedded(workdir)
        shutil.rmtree(workdir, ignore_errors=True)


class Executor(StrEnum):
    local = "local"
    celery = "celery"


@app.command()
def airflow(
    port: Annotated[int, typer.Option(help="API server / UI port.")] = 8080,
    executor: Annotated[
        Executor,
        typer.Option(
            help="local: `airflow standalone` (LocalExecutor). celery: separate components "
            "and Celery workers, brokered by LTWATCH_CELERY_BROKER_URL (needs `uv sync "
            "--extra celery`)."
        ),
    ] = Executor.local,
    workers: Annotated[
        int, typer.Option(min=1, help="Celery workers to start (--executor celery).")
    ] = 2,
    log_port: Annotated[
        int,
        typer.Option(
            help="First worker's log-server port; worker i serves on this + i, the "
            "triggerer on this + workers (--executor celery)."
        ),
    ] = 8793,
) -> None:
    """Start a local Airflow (scheduler, DAG processor, triggerer, API server) with the DAGs.

    With --executor celery, also N Celery workers: the scale-out setup on one machine.
    The DAGs are created paused unless AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=false.
    """
    from pipeline.airflow_local import run_local_airflow

    raise typer.Exit(
        run_local_airflow(
            _settings(), port=port, executor=executor.value, workers=workers, log_port=log_port
        )
    )


def main_entry() -> None:
    """The ``ltwatch`` console script: expected failures are one plain line, not a traceback."""
    import sqlalchemy as sa

    from pipeline.alert_channels import AlertConfigError
    from pipeline.crawl import CrawlError
    from pipeline.sources import SourcesError

    try:
        app()
    except (SourcesError, AlertConfigError) as exc:
        err_console.print(f"[red]Configuration error:[/red] {escape(str(exc))}")
        sys.exit(2)
    except CrawlError as exc:
        err_console.print(f"[red]The crawl failed:[/red] {escape(str(exc))}")
        sys.exit(1)
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        err_console.print(
            f"[red]Database unreachable:[/red] {escape(reason)}\n"
            "Check LTWATCH_DATABASE_URL (unset it to use the embedded database)."
        )
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main_entry()
