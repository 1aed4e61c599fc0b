"""Source health: N bad runs in a row → one operator alert; a good run → one recovery notice."""

from __future__ import annotations

import json

import sqlalchemy as sa

from pipeline import db

try:  # moved to pipeline.alert_channels by the alerts work in progress
    from pipeline.alert_channels import channels_from_urls
except ImportError:  # pragma: no cover
    from pipeline.alerts import channels_from_urls  # type: ignore[attr-defined,no-redef]
from pipeline.crawl import CrawlReport
from pipeline.health import send_health_changes, update_health
from tests.conftest import WebhookReceiver


def report(source: str, status: str = "ok", items: int = 3, **extra: object) -> CrawlReport:
    return CrawlReport.model_validate(
        {
            "source": source,
            "status": status,
            "items_listed": items,
            "feed_url": f"https://{source}.test/rss",
            "message": "HTTP 500 from feed" if status == "failed" else "fine",
            **extra,
        }
    )


def health(url: str) -> dict[str, dict]:
    with db.get_engine(url).connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM source_health")).mappings().all()
    return {row["source"]: dict(row) for row in rows}


def test_failing_source_alerts_once_then_recovers_once(
    clean_db: str, webhook: WebhookReceiver
) -> None:
    engine = db.get_engine(clean_db)
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE source_health"))
    channels = channels_from_urls([webhook.url])
    sent = []
    for run in range(5):
        changes = update_health(engine, [report("down", "failed"), report("fine")], threshold=3)
        sent += [(run, c.source, c.kind) for c in changes]
        assert send_health_changes(channels, changes) == []
    # Alerted on the third failure in a row, and only then.
    assert sent == [(2, "down", "unhealthy")]
    state = health(clean_db)
    assert state["down"]["consecutive_failures"] == 5
    assert state["down"]["last_success_at"] is None and state["down"]["alerted_at"]
    assert state["fine"]["consecutive_failures"] == 0 and state["fine"]["last_items"] == 3
    assert state["fine"]["last_success_at"] is not None

    [recovered] = update_health(engine, [report("down")], threshold=3)
    assert recovered.kind == "recovered" and "working again" in recovered.message.title
    send_health_changes(channels, [recovered])
    assert update_health(engine, [report("down")], threshold=3) == []
    state = health(clean_db)["down"]
    assert (state["consecutive_failures"], state["alerted_at"]) == (0, None)
    assert state["recovered_at"] is not None

    titles = [m["title"] for m in webhook.messages]
    assert titles == [
        "ltwatch: source down failed 3 crawls in a row",
        "ltwatch: source down is working again",
    ]
    assert "HTTP 500 from feed" in json.dumps(webhook.messages[0])


def test_a_source_that_lists_nothing_is_unhealthy_but_not_modified_is_fine(
    clean_db: str,
) -> None:
    engine = db.get_engine(clean_db)
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE source_health"))
    kinds = []
    for _ in range(3):
        changes = update_health(
            engine,
            [report("empty", items=0), report("unchanged", items=0, not_modified=True)],
            threshold=2,
        )
        kinds += [(c.source, c.kind) for c in changes]
    assert kinds == [("empty", "unhealthy")]
    state = health(clean_db)
    assert state["empty"]["consecutive_empty"] == 3
    assert state["unchanged"]["consecutive_empty"] == 0
    assert state["unchanged"]["last_success_at"] is not None


def test_sources_due_leaves_out_sources_not_yet_due_or_paused(clean_db: str) -> None:
    from pipeline.health import sources_due

    engine = db.get_engine(clean_db)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                """
                INSERT INTO source_crawl_state (source, last_polled_at, next_poll_at,
                                                paused_at, paused_until)
                VALUES ('recent', now(), now() + interval '10 min', NULL, NULL),
                       ('due', now() - interval '11 min', now() - interval '1 min', NULL, NULL),
                       ('paused', now(), now(), now(), now() + interval '1 day'),
                       ('retry', now(), now(), now() - interval '2 days', now() - interval '1 s')
                """
            )
        )
    names = ["recent", "due", "paused", "retry", "never-crawled"]
    assert sources_due(engine, names) == ["due", "retry", "never-crawled"]
