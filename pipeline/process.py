"""The process stage: stored pages → clean articles → events (merged) → outbox rows.

Idempotent: a page is (re)processed only when it has no article yet or when its article was
made by another cleaner or extractor version, so running the stage twice changes nothing
the second time, and a newer extractor reprocesses stored pages without crawling again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from pipeline import store
from pipeline.alert_channels import Channel
from pipeline.alerts import queue_alerts
from pipeline.clean import CLEANER_VERSION, clean_page
from pipeline.extract import EXTRACTOR_VERSION, analyse_page
from pipeline.language import detect_language
from pipeline.sources import Source

log = logging.getLogger(__name__)

# Process and reprocess take this lock so that two overlapping runs cannot merge the same
# event twice; the second one waits for the first.
PROCESS_LOCK_ID = 0x1715_7A7D
BATCH_SIZE = 100


@dataclass
class SourceCounts:
    articles_new: int = 0
    articles_relevant: int = 0
    events_new: int = 0
    events_updated: int = 0


@dataclass
class ProcessResult:
    pages: int = 0
    by_source: dict[str, SourceCounts] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def counts(self, source: str) -> SourceCounts:
        return self.by_source.setdefault(source, SourceCounts())


def _pending_page_ids(conn: Connection, since: dt.date | None, *, force: bool) -> list[int]:
    return list(
        conn.execute(
            sa.text(
                """
                SELECT p.id FROM pages p LEFT JOIN articles a ON a.page_id = p.id
                WHERE p.http_status = 200
                  -- Pages whose raw HTML retention dropped can't be cleaned again.
                  AND p.html_dropped_at IS NULL
                  AND (:force OR a.id IS NULL OR a.cleaner_version <> :cv
                       OR a.extractor_version IS DISTINCT FROM :ev)
                  AND (CAST(:since AS date) IS NULL OR p.fetched_at >= CAST(:since AS date))
                ORDER BY p.id
                """
            ),
            {"cv": CLEANER_VERSION, "ev": EXTRACTOR_VERSION, "since": since, "force": force},
        ).scalars()
    )


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def process_page(
    conn: Connection,
    page: sa.Row,
    *,
    source: Source | None,
    channels: Sequence[Channel],
    result: ProcessResult,
) -> None:
    counts = result.counts(page.source)
    hints = source.drop_selectors if source else ()
    article = clean_page(page.html, page.url, drop_selectors=hints)
    # The text decides; <html lang> and the source's declared language are fallbacks.
    article.language = detect_language(
        article.text,
        html_lang=article.language,
        source_language=source.language if source else None,
    )
    # The page's own date first; the feed's date when the page carries none.
    if article.published is None and page.feed_published is not None:
        article.published = page.feed_published.date()
    analysis = analyse_page(
        article.text,
        url=article.canonical_url or page.url,
        title=article.title,
        published=article.published,
        language=article.language,
    )
    article_id = store.save_article(
        conn,
        page_id=page.id,
        source=page.source,
        url=page.url,
        article=article,
        relevant=analysis.relevant,
        cleaner_version=CLEANER_VERSION,
        extractor_version=EXTRACTOR_VERSION,
    )
    if page.article_id is None:
        counts.articles_new += 1
    counts.articles_relevant += analysis.relevant
    store.forget_mentions(conn, article_id)
    for event in analysis.events:
        stored = store.save_event(
            conn, article_id=article_id, event=event, extractor_version=EXTRACTOR_VERSION
        )
        if stored.created:
            counts.events_new += 1
        elif stored.changed:
            counts.events_updated += 1
        if stored.created or stored.changed:
            queue_alerts(conn, stored.event_id, channels, changed=stored.changed)


def process_pending(
    engine: Engine,
    *,
    channels: Sequence[Channel],
    sources: Mapping[str, Source] | None = None,
    since: dt.date | None = None,
    force: bool = False,
    on_page: Callable[[int, int], None] | None = None,
) -> ProcessResult:
    """Clean and extract every page that needs it; one transaction per page.

    ``channels`` are the alert channels new and changed events are queued for;
    ``sources`` gives each page's source its cleaning hints and language; ``force``
    reprocesses pages already processed by the current code versions too (``ltwatch
    reprocess``); ``on_page(done, total)`` reports progress.
    """
    result = ProcessResult()
    sources = sources or {}
    with engine.connect() as lock_conn:
        lock_conn.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": PROCESS_LOCK_ID})
        try:
            with engine.connect() as conn:
                page_ids = _pending_page_ids(conn, since, force=force)
            for batch in _batches(page_ids, BATCH_SIZE):
                with engine.connect() as conn:
                    pages = conn.execute(
                        sa.text(
                            "SELECT p.id, p.source, p.url, p.html, p.feed_published, "
                            "a.id AS article_id FROM pages p "
                            "LEFT JOIN articles a ON a.page_id = p.id "
                            "WHERE p.id = ANY(:ids) ORDER BY p.id"
                        ),
                        {"ids": list(batch)},
                    ).all()
                for page in pages:
                    try:
                        with engine.begin() as conn:
                            process_page(
                                conn,
                                page,
                                source=sources.get(page.source),
                                channels=channels,
                                result=result,
                            )
                    except sa.exc.OperationalError:
                        raise  # the database is gone: fail the stage, the next run resumes
                    except Exception as exc:  # one bad page must not stop the others
                        log.exception("could not process page %s", page.url)
                        result.errors.append(f"{page.url}: {type(exc).__name__}: {exc}")
                    result.pages += 1
                    if on_page:
                        on_page(result.pages, len(page_ids))
        finally:
            lock_conn.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": PROCESS_LOCK_ID})
            lock_conn.commit()
    return result
