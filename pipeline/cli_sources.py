"""``ltwatch sources …``: list the configured sources and check them against the outlets.

Registered in ``pipeline.cli`` with ``app.add_typer(sources_app, name="sources")``.

On a terminal the output is a table whose long cells wrap; piped into a file or a log it is
plain lines, one field per line, so that no name or URL is ever cut short.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.settings import get_settings
from pipeline.sources import Source, SourcesError, load_sources

sources_app = typer.Typer(help="The sources file: list its outlets, check their feeds.")
console = Console()

SourcesOption = Annotated[
    Path | None, typer.Option("--sources", help="Sources YAML file (default: LTWATCH_SOURCES).")
]


def _load(path: Path | None) -> list[Source]:
    path = path or get_settings().sources
    try:
        return load_sources(path)
    except SourcesError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None


def _emit(rows: Sequence[dict[str, str]], title_key: str) -> None:
    """A table on a terminal (cells wrap, nothing is cut); plain lines anywhere else."""
    if not rows:
        return
    if console.is_terminal:
        table = Table(*rows[0].keys())
        for column in table.columns:
            column.overflow = "fold"
        for row in rows:
            table.add_row(*(escape(value) for value in row.values()))
        console.print(table)
        return
    # Not a terminal: rich would cut every cell to fit 80 columns. print(), not the
    # console: no markup, no wrapping.
    for row in rows:
        print(row[title_key])
        for key, value in row.items():
            if key != title_key:
                print(f"  {key}: {value}")


def _state(source: Source) -> str:
    if source.blocked:
        return f"blocked ({source.blocked}); " + (
            "enabled by choice" if source.enabled else "disabled"
        )
    return "enabled" if source.enabled else "disabled"


@sources_app.command("list")
def list_sources(sources: SourcesOption = None) -> None:
    """Every source in the file: kind, address, language, state, evidence."""
    rows = []
    for source in _load(sources):
        latest = max(source.evidence, key=lambda e: e.date, default=None)
        rows.append(
            {
                "name": source.name,
                "kind": source.kind,
                "url": source.url,
                "language": source.language or "—",
                "state": _state(source),
                "min interval": f"{source.min_interval:g} min" if source.min_interval else "—",
                "evidence": f"{latest.date}: {latest.seen}" if latest else "none",
                "domains": ", ".join(source.allowed_domains),
            }
        )
    _emit(rows, "name")


@sources_app.command("check")
def check(
    sources: SourcesOption = None,
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 15,
    all_sources: Annotated[
        bool, typer.Option("--all", help="Disabled and blocked sources too.")
    ] = False,
) -> None:
    """Per source, as the crawler would: robots.txt, the feed (any Content-Encoding
    decoded), one sampled article fetched and cleaned. Says whether the feed answers and
    parses, how many items it lists, the article's status and cleaned length, and the
    robots.txt verdict. Exits 1 when any source is not ok."""
    from pipeline.sources_check import check_sources

    selected = [s for s in _load(sources) if all_sources or s.enabled]
    results = check_sources(selected, timeout=timeout)
    colours = {"ok": "green", "empty": "yellow"}
    rows = []
    for result in results:
        verdict = result.verdict
        if console.is_terminal:
            colour = colours.get(verdict, "red")
            verdict = f"[{colour}]{verdict}[/{colour}]"
        rows.append(
            {
                "source": result.source,
                "verdict": verdict,
                "feed": f"{result.kind}, HTTP {result.status or '—'}, {result.items} items",
                "article": result.article_status
                + (f", {result.body_chars} characters cleaned" if result.body_chars else ""),
                "robots": result.robots,
                "detail": result.detail,
                "feed url": result.url,
                "article url": result.article_url or "—",
                **({"blocked": result.blocked} if result.blocked else {}),
            }
        )
    if console.is_terminal:
        # Markup for the verdict colour only; every other cell is escaped by _emit.
        table = Table("source", "verdict", "feed", "article", "robots", "detail", "feed url")
        for column in table.columns:
            column.overflow = "fold"
        for row in rows:
            table.add_row(
                escape(row["source"]), row["verdict"],
                *(escape(row[k]) for k in ("feed", "article", "robots", "detail", "feed url")),
            )  # fmt: skip
        console.print(table)
    else:
        _emit(rows, "source")
    bad = [r for r in results if r.verdict != "ok"]
    summary = f"{len(results) - len(bad)} of {len(results)} sources ok"
    if console.is_terminal:
        console.print(summary)
    else:
        print(summary)
    if bad:
        raise typer.Exit(1)
