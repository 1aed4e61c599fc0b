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
from pipeline.settings import Settings, get_settings
from pipeline.sources import load_sources


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
        if self.errors:
            text += f"; {len(self.errors)} errors (first: {self.errors[0]})"
        return f"{self.stage}: {text}"

    def as_dict(self) -> dict:
        return self.model_dump(mode="json")


ProgressCallback = Callable[[str, int, int], None]  # (stage, done, total)


def _settings(settings: Settings | None) -> Settings:
    return settings or get_settings()


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
) -> StageSummary:
    """Crawl every enabled source (or ``only`` these) and store new pages."""
    from pipeline.crawl import crawl  # runs Scrapy in a subprocess

    settings = _settings(settings)
    sources_path = sources_path or settings.sources
    load_sources(sources_path)  # a broken sources file is reported before anything starts
    summary = StageSummary(stage="crawl")
    reports = crawl(
        sources_path,
        database(settings),
        only=only,
        run_id=f"crawl-{uuid.uuid4().hex[:12]}",
        timeout=settings.crawl_timeout,
        user_agent=settings.user_agent,
    )
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
    progress: ProgressCallback | None = None,
) -> StageSummary:
    """Clean and extract every stored page that needs it, merging events and queueing alerts."""
    from pipeline.process import process_pending  # loads spaCy: only when processing

    settings = _settings(settings)
    engine = db.get_engine(database(settings))
    try:
        drop_selectors = {s.name: s.drop_selectors for s in load_sources(settings.sources)}
    except Exception:  # cleaning hints are an optimisation; a bad file is reported by crawl
        drop_selectors = {}
    result = process_pending(
        engine,
        channels=[c.key for c in alerts.channels_from_urls(settings.alert_urls)],
        drop_selectors=drop_selectors,
        since=since,
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
    result = alerts.drain_outbox(engine, alerts.channels_from_urls(settings.alert_urls), **kwargs)
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
    summary.merge(crawl_stage(settings, sources_path=sources_path))
    summary.merge(process_stage(settings, progress=progress))
    if progress:
        progress("alert", 0, 0)
    summary.merge(alert_stage(settings, printer=printer))
    return summary
