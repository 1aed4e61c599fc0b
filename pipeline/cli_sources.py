"""``ltwatch sources …``: list the configured sources (with their health) and check them.

Registered in ``pipeline.cli`` with ``app.add_typer(sources_app, name="sources")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pipeline.settings import get_settings
from pipeline.sources import SourcesError, load_sources

sources_app = typer.Typer(help="The sources file: list its outlets, check their feeds.")
console = Console()

SourcesOption = Annotated[
    Path | None, typer.Option("--sources", help="Sources YAML file (default: LTWATCH_SOURCES).")
]


def _load(path: Path | None) -> list:
    path = path or get_settings().sources
    try:
        return load_sources(path)
    except SourcesError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


@sources_app.command("list")
def list_sources(sources: SourcesOption = None) -> None:
    """Every source in the file: kind, address, language, enabled."""
    table = Table("name", "kind", "url", "language", "enabled", "domains")
    for source in _load(sources):
        table.add_row(
            source.name,
            source.kind,
            source.url,
            source.language or "—",
            "yes" if source.enabled else "no",
            ", ".join(source.allowed_domains),
        )
    console.print(table)


@sources_app.command("check")
def check(
    sources: SourcesOption = None,
    timeout: Annotated[float, typer.Option(help="Seconds per source.")] = 15,
    all_sources: Annotated[bool, typer.Option("--all", help="Disabled sources too.")] = False,
) -> None:
    """Fetch each source's feed / sitemap / listing once; say whether it answers and parses
    and how many items it lists. Exits 1 when any source is not ok."""
    from pipeline.sources_check import check_sources

    selected = [s for s in _load(sources) if all_sources or s.enabled]
    results = check_sources(selected, timeout=timeout)
    table = Table("source", "kind", "verdict", "items", "detail", "url")
    colours = {"ok": "green", "empty": "yellow"}
    for result in results:
        colour = colours.get(result.verdict, "red")
        table.add_row(
            result.source,
            result.kind,
            f"[{colour}]{result.verdict}[/{colour}]",
            str(result.items),
            result.detail,
            result.url,
        )
    console.print(table)
    bad = [r for r in results if r.verdict != "ok"]
    console.print(f"{len(results) - len(bad)} of {len(results)} sources ok")
    if bad:
        raise typer.Exit(1)
