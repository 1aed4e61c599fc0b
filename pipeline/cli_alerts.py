"""``ltwatch alerts …``: send a sample alert to the channels, list the outbox.

Registered in ``pipeline.cli`` with ``app.add_typer(alerts_app, name="alerts")``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from pipeline import db, runner
from pipeline.alerts import AlertMessage
from pipeline.settings import get_settings

alerts_app = typer.Typer(help="Alert channels and the outbox.", no_args_is_help=True)
console = Console()


def print_alert(message: AlertMessage) -> None:
    """The console channel: an alert as a panel."""
    console.print(Panel(f"[bold]{escape(message.title)}[/bold]\n\n{escape(message.body)}"))


@alerts_app.command("test")
def alerts_test(
    channel: Annotated[
        str | None, typer.Argument(help="Channel name (default: every configured channel).")
    ] = None,
) -> None:
    """Send a sample alert to the configured channels, now (the outbox is not touched)."""
    from pipeline.alerts import SAMPLE_EVENT, format_event, send

    channels = runner.channels(get_settings())
    if channel is not None:
        channels = [c for c in channels if c.name == channel]
        if not channels:
            known = ", ".join(c.name for c in runner.channels(get_settings()))
            raise typer.BadParameter(f"no channel named {channel!r} (configured: {known})")
    message = format_event(SAMPLE_EVENT)
    message = AlertMessage(
        title="[test] " + message.title, body=message.body, markdown=message.markdown
    )
    failures = 0
    for target in channels:
        outcome = send(target, message, print_alert)
        failures += outcome.status != "sent"
        mark = "[green]✓" if outcome.status == "sent" else "[red]✗"
        console.print(
            f"{mark} {escape(target.label)}" + (f": {outcome.error}" if outcome.error else "")
        )
    raise typer.Exit(1 if failures else 0)


@alerts_app.command("list")
def alerts_list(
    status: Annotated[
        str | None,
        typer.Option(help="Only rows in this status: pending, sending, sent, failed, uncertain."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many rows.")] = 50,
) -> None:
    """The outbox: pending, sent, failed and uncertain alerts, newest first."""
    import sqlalchemy as sa

    from pipeline.alerts import event_headline

    settings = get_settings()
    labels = {c.key: c.label for c in runner.channels(settings)}
    table = Table(title="Alert outbox", title_justify="left")
    for column in ("id", "event", "channel", "kind", "status", "tries", "sent / last error"):
        table.add_column(column, no_wrap=column in ("id", "kind", "status", "tries"))
    with db.get_engine(runner.database(settings)).connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT o.*, to_jsonb(v) AS event FROM alert_outbox o "
                "JOIN v_events v ON v.id = o.event_id "
                "WHERE CAST(:status AS text) IS NULL OR o.status = :status "
                "ORDER BY o.id DESC LIMIT :limit"
            ),
            {"status": status, "limit": limit},
        ).all()
    for row in rows:
        event = dict(row.event)
        event["event_date"] = (
            dt.date.fromisoformat(event["event_date"]) if event["event_date"] else None
        )
        colour = {"sent": "green", "failed": "red", "uncertain": "yellow"}.get(row.status, "")
        table.add_row(
            str(row.id),
            event_headline(event),
            labels.get(row.channel, f"{row.channel} (not configured)"),
            row.kind,
            f"[{colour}]{row.status}" if colour else row.status,
            str(row.attempts),
            f"{row.sent_at:%Y-%m-%d %H:%M}" if row.sent_at else (row.last_error or ""),
        )
    console.print(table)
