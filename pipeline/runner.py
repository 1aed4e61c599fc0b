"""The three stages of a pass (crawl → process → alert) and a whole pass, with summaries.

The command line and the Airflow DAG both call these functions, so that everything a DAG
does can be done by hand. Each returns a :class:`StageSummary`: ``line()`` is what an
operator reads in a log, ``as_dict()`` is what Airflow keeps as XCom.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from pipeline import alerts, db
from pipeline.alert_channels import Channel, configured_channels
from pipeline.health import send_health_changes, update_health
from pipeline.settings import Settings, get_settings
from pipeline.sources import SourcesError, load_sources


class SourceFigures(BaseModel):
    source: str
    status: str = "ok"
    message: str | None = None
    pages_fetched: int = 0
    pages_new: int = 0
    articles_new: int = 0
    articles_relevant: int = 0
    events_new: int = 0
    events_updated: int = 0


class StageSummary(BaseModel):
    stage: str
    started_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    sources: dict[str, SourceFigures] = Field(default_factory=dict)
    pages_processed: int = 0
    alerts_sent: int = 0
    alerts_failed: int = 0
    alerts_uncertain: int = 0
    errors: list[str] = Field(default_factory=list)
    # Failures of the pipeline itself, not of a source (a crawl that timed out, was killed
    # or lost its database): the command that ran the stage exits non-zero.
    failures: list[str] = Field(default_factory=list)

    def figures(self, source: str) -> SourceFigures:
        return self.sources.setdefault(source, SourceFigures(source=source))

    def total(self, name: str) -> int:
        return sum(getattr(figures, name) for figures in self.sources.values())

    @property
    def failed_sources(self) -> list[SourceFigures]:
        return [f for f in self.sources.values() if f.status == "failed"]

    def merge(self, other: StageSummary) -> StageSummary:
        """Fold another stage's figures into this one (for a whole pass)."""
        for name, theirs in other.sources.items():
            mine = self.figures(name)
            for field_name, value in theirs:
                if isinstance(value, int):
                    setattr(mine, field_name, getattr(mine, field_name) + value)
            if theirs.status != "ok":
                mine.status, mine.message = theirs.status, theirs.message
        self.pages_processed += other.pages_processed
        self.alerts_sent += other.alerts_sent
        self.alerts_failed += other.alerts_failed
        self.alerts_uncertain += other.alerts_uncertain
        self.errors += other.errors
        self.failures += other.failures
        return self

    def line(self) -> str:
        parts = {
            "crawl": f"{len(self.sources)} sources, {self.total('pages_fetched')} pages fetched, "
            f"{self.total('pages_new')} new, {len(self.failed_sources)} sources failed",
            "process": f"{self.pages_processed} pages processed, "
            f"{self.total('articles_new')} new articles "
            f"({self.total('articles_relevant')} relevant), "
            f"{self.total('events_new')} events created, "
            f"{self.total('events_updated')} updated",
            "alert": f"{self.alerts_sent} alerts sent, {self.alerts_failed} failed"
            + (f", {self.alerts_uncertain} uncertain" if self.alerts_uncertain else ""),
        }
        text = "; ".join(parts.values()) if self.stage == "pass" else parts[self.stage]
        if self.failures:
            text += f"; FAILED: {'; '.join(self.failures)}"
        if self.errors:
            text += f"; {len(self.errors)} errors (first: {self.errors[0]})"
        return f"{self.stage}: {text}"

    def as_dict(self) -> dict:
        return self.model_dump(mode="json")


ProgressCallback = Callable[[str, int, int], None]  # (stage, done, total)


def _settings(settings: Settings | None) -> Settings:
    return settings or get_settings()


def channels(settings: Settings) -> list[Channel]:
    """The configured alert channels (file and variable); the terminal if none."""
    return configured_channels(settings.alert_urls, settings.alerts_file)


def database(settings: Settings) -> str:
    """The database URL, migrated to the current schema (``run`` migrates on start)."""
    url = db.resolve_database_url(settings)
    db.upgrade(url)
    return url


def crawl_stage(
    settings: Settings | None = None,
    *,
    sources_path: Path | None = None,
    only: list[str] | None = None,
    keep_going: bool = False,
) -> StageSummary:
    """Crawl every enabled source (or ``only`` these) and store new pages.

    A crawl that does not complete (time-out, killed crawler, lost database) raises
    :class:`~pipeline.crawl.CrawlError` — what a scheduler's task wants, to be retried —
    unless ``keep_going``: then the summary carries it in ``failures``, with the reports
    the crawl closed, and a whole pass goes on to process and alert what was stored.
    """
    from pipeline.crawl import CrawlError, crawl  # runs Scrapy in a subprocess

    settings = _settings(settings)
    sources_path = sources_path or settings.sources
    load_sources(sources_path)  # a broken sources file is reported before anything starts
    summary = StageSummary(stage="crawl")
    url = database(settings)
    try:
        reports = crawl(
            sources_path,
            url,
            only=only,
            run_id=f"crawl-{uuid.uuid4().hex[:12]}",
            timeout=settings.crawl_timeout,
            user_agent=settings.user_agent,
        )
    except CrawlError as exc:
        if not keep_going:
            raise
        summary.failures.append(exc.reason)
        reports = exc.reports
    else:
        # A source that keeps failing or yielding nothing tells the operators, once. (Not
        # after a failed crawl: a lost database or a time-out is no source's fault.)
        changes = update_health(
            db.get_engine(url), reports, threshold=settings.source_alert_threshold
        )
        for error in send_health_changes(channels(settings), changes):
            summary.errors.append(f"health alert not sent: {error}")
    for report in reports:
        figures = summary.figures(report.source)
        figures.status, figures.message = report.status, report.message
        figures.pages_fetched, figures.pages_new = report.pages_fetched, report.pages_new
        if report.status == "failed":
            summary.errors.append(f"{report.source}: {report.message}")
    return summary


def process_stage(
    settings: Settings | None = None,
    *,
    since: dt.date | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> StageSummary:
    """Clean and extract every stored page that needs it, merging events and queueing alerts.

    ``force``: every stored page (fetched ``since``), not only those that older code made.
    """
    from pipeline.process import process_pending  # loads spaCy: only when processing

    settings = _settings(settings)
    engine = db.get_engine(database(settings))
    try:
        sources = {source.name: source for source in load_sources(settings.sources)}
    except SourcesError:  # hints and languages only help; a bad file is reported by crawl
        sources = {}
    result = process_pending(
        engine,
        channels=channels(settings),
        sources=sources,
        since=since,
        force=force,
        on_page=(lambda done, total: progress("process", done, total)) if progress else None,
    )
    summary = StageSummary(stage="process", pages_processed=result.pages, errors=result.errors)
    for source, counts in result.by_source.items():
        figures = summary.figures(source)
        figures.articles_new = counts.articles_new
        figures.articles_relevant = counts.articles_relevant
        figures.events_new = counts.events_new
        figures.events_updated = counts.events_updated
    return summary


def alert_stage(
    settings: Settings | None = None,
    *,
    printer: Callable[[alerts.AlertMessage], None] | None = None,
) -> StageSummary:
    """Send every queued alert of the configured channels, exactly once."""
    settings = _settings(settings)
    engine = db.get_engine(database(settings))
    kwargs = {"printer": printer} if printer else {}
    result = alerts.drain_outbox(engine, channels(settings), **kwargs)
    return StageSummary(
        stage="alert",
        alerts_sent=result.sent,
        alerts_failed=result.failed,
        alerts_uncertain=result.uncertain,
        errors=result.errors,
    )


def run_pass(
    settings: Settings | None = None,
    *,
    sources_path: Path | None = None,
    progress: ProgressCallback | None = None,
    printer: Callable[[alerts.AlertMessage], None] | None = None,
) -> StageSummary:
    """One full pass: crawl → process → alert. A broken source never stops the others."""
    settings = _settings(settings)
    summary = StageSummary(stage="pass")
    if progress:
        progress("crawl", 0, 0)
    # A crawl that did not complete is in the summary (and the command's exit status); what
    # it stored before is processed and alerted all the same.
    summary.merge(crawl_stage(settings, sources_path=sources_path, keep_going=True))
    summary.merge(process_stage(settings, progress=progress))
    if progress:
        progress("alert", 0, 0)
    summary.merge(alert_stage(settings, printer=printer))
    return summary


# --------------------------------------------------------------------------- maintenance
# Added for the Airflow `maintenance` DAG (and usable by hand): source health report,
# retention of old raw HTML, VACUUM ANALYZE. Each returns a MaintenanceSummary, whose
# line() covers the maintenance figures that StageSummary.line() doesn't know about.

# The tables the pipeline rewrites most: pages (retention empties html), the outbox (every
# send updates a row) and what process_stage replaces when it reprocesses a page.
VACUUM_TABLES = (
    "pages",
    "articles",
    "events",
    "event_participants",
    "event_mentions",
    "alert_outbox",
    "crawl_reports",
    "source_health",
)


class MaintenanceSummary(StageSummary):
    stage: str = "maintenance"
    sources_known: int = 0
    sources_unhealthy: list[str] = Field(default_factory=list)
    sources_never_succeeded: list[str] = Field(default_factory=list)
    html_dropped: int = 0
    tables_vacuumed: list[str] = Field(default_factory=list)

    def line(self) -> str:
        parts = []
        if self.stage in ("health", "maintenance"):
            bad = ", ".join(self.sources_unhealthy) or "none"
            parts.append(f"{self.sources_known} sources, unhealthy: {bad}")
            if self.sources_never_succeeded:
                parts.append(f"never succeeded: {', '.join(self.sources_never_succeeded)}")
        if self.stage in ("retention", "maintenance"):
            parts.append(f"raw HTML dropped from {self.html_dropped} pages")
        if self.stage in ("vacuum", "maintenance"):
            parts.append(f"VACUUM ANALYZE on {len(self.tables_vacuumed)} tables")
        text = "; ".join(parts)
        if self.errors:
            text += f"; {len(self.errors)} errors (first: {self.errors[0]})"
        return f"{self.stage}: {text}"


def health_stage(settings: Settings | None = None) -> MaintenanceSummary:
    """Report each enabled source's health from ``source_health`` (read-only, no alerts).

    The alerts about a source that stopped yielding are sent once, by the crawl that
    noticed (pipeline.health); this daily report is what an operator reads in the UI.
    """
    import sqlalchemy as sa

    from pipeline.sources import select_sources

    settings = _settings(settings)
    engine = db.get_engine(database(settings))
    summary = MaintenanceSummary(stage="health")
    try:
        enabled = [s.name for s in select_sources(load_sources(settings.sources))]
    except Exception as exc:  # the report still covers what the database knows
        summary.errors.append(f"sources file: {exc}")
        enabled = []
    with engine.connect() as conn:
        rows = {
            row["source"]: row
            for row in conn.execute(sa.text("SELECT * FROM source_health")).mappings()
        }
    names = enabled or sorted(rows)
    summary.sources_known = len(names)
    for name in names:
        row = rows.get(name)
        figures = summary.figures(name)
        if row is None:
            figures.status, figures.message = "unknown", "never crawled"
            continue
        figures.status = row["last_status"] or "unknown"
        figures.message = row["last_message"]
        if row["alerted_at"] is not None:
            summary.sources_unhealthy.append(name)
        if row["last_success_at"] is None and row["last_run_at"] is not None:
            summary.sources_never_succeeded.append(name)
    return summary


def retention_stage(
    settings: Settings | None = None, *, older_than_days: int | None = None
) -> MaintenanceSummary:
    """Empty the raw HTML of pages older than ``html_retention_days`` (pipeline.retention)."""
    from pipeline.retention import drop_raw_html

    settings = _settings(settings)
    engine = db.get_engine(database(settings))
    days = older_than_days or settings.html_retention_days
    dropped = drop_raw_html(engine, dt.timedelta(days=days))
    return MaintenanceSummary(stage="retention", html_dropped=dropped)


def vacuum_stage(settings: Settings | None = None) -> MaintenanceSummary:
    """VACUUM (ANALYZE) the busy tables: space freed by retention and outbox updates is
    reused, and the planner's statistics follow the daily growth. Plain VACUUM, not FULL:
    it takes no lock that blocks the crawler or the other DAGs."""
    import sqlalchemy as sa

    settings = _settings(settings)
    engine = db.get_engine(database(settings))
    summary = MaintenanceSummary(stage="vacuum")
    # VACUUM cannot run inside a transaction block.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in VACUUM_TABLES:
            try:
                conn.execute(sa.text(f"VACUUM (ANALYZE) {table}"))  # names are constants
                summary.tables_vacuumed.append(table)
            except sa.exc.ProgrammingError as exc:  # a table from a newer/older schema
                summary.errors.append(f"{table}: {exc.orig}")
    return summary


def maintenance_stage(settings: Settings | None = None) -> MaintenanceSummary:
    """Health report, retention and VACUUM ANALYZE in one go (what the daily DAG does)."""
    settings = _settings(settings)
    summary = MaintenanceSummary(stage="maintenance")
    for part in (health_stage(settings), retention_stage(settings), vacuum_stage(settings)):
        summary.sources.update(part.sources)
        summary.sources_known += part.sources_known
        summary.sources_unhealthy += part.sources_unhealthy
        summary.sources_never_succeeded += part.sources_never_succeeded
        summary.html_dropped += part.html_dropped
        summary.tables_vacuumed += part.tables_vacuumed
        summary.errors += part.errors
    return summary
