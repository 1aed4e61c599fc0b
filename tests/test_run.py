"""The whole product, as a user runs it: `ltwatch run` over the sample site on 127.0.0.1.

Feeds → pages → clean text → events → Postgres → one webhook alert per event, and a second
run that sends nothing and stores nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources

import pytest
import sqlalchemy as sa

from pipeline import db
from pipeline.samplesite import serve, write_sources_file
from tests.conftest import empty_database, ltwatch

pytestmark = pytest.mark.slow

EXPECTED = json.loads(resources.files("pipeline.samplesite").joinpath("expected.json").read_text())


def expected_events() -> list[dict]:
    """The sample site's real-world events: one per event, however many pages report it."""
    events, seen = [], set()
    for path, page in EXPECTED.items():
        for index, event in enumerate(page["events"]):
            if (path, index) in seen:
                continue
            seen |= {(same["path"], same["index"]) for same in event.get("same_event_as", [])}
            events.append(event)
    return events


@pytest.fixture(scope="module")
def site() -> Iterator:
    with serve() as sample_site:
        yield sample_site


@pytest.fixture(scope="module")
def first_run(site, database_url: str, module_webhook, tmp_path_factory):
    """One `ltwatch run` over the sample site (with three broken sources) on an empty database."""
    sources = write_sources_file(
        site.base_url, tmp_path_factory.mktemp("run") / "sources.yaml", include_broken=True
    )
    env = {
        "LTWATCH_DATABASE_URL": empty_database(database_url),
        "LTWATCH_ALERT_URLS": module_webhook.url,
        # The broken sources are retried as ever, without the 2 s and 4 s back-off waits.
        "LTWATCH_RETRY_BACKOFF_BASE": "0.05",
    }
    result = ltwatch("run", "--sources", str(sources), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result, env, sources


def stored(url: str, query: str) -> list[sa.RowMapping]:
    with db.get_engine(url).connect() as conn:
        return list(conn.execute(sa.text(query)).mappings())


def key(event: dict) -> tuple:
    sides = sorted((p["name"], p["side"]) for p in event["participants"] if p["side"] != "other")
    return (
        event["type"],
        event["status"],
        str(event.get("date") or event.get("event_date")),
        event["location"],
        tuple(sides),
    )


def test_the_sample_meetings_become_events_with_the_right_people_place_and_date(
    first_run, database_url
):
    events = stored(database_url, "SELECT * FROM v_events")
    got = sorted(key(e) for e in events)
    want = sorted(key(e) for e in expected_events())
    assert got == want


def test_one_meeting_reported_by_three_outlets_is_one_event_with_three_sources(
    first_run, database_url
):
    [benghazi] = stored(
        database_url,
        "SELECT * FROM v_events WHERE type = 'meeting' AND location = 'Benghazi'",
    )
    assert benghazi["source_count"] == 3
    assert len(benghazi["urls"]) == 3


def test_each_event_is_alerted_exactly_once_and_a_second_run_sends_nothing(
    first_run, database_url, module_webhook
):
    _, env, sources = first_run
    events = stored(database_url, "SELECT id FROM v_events")
    assert len(module_webhook.messages) == len(events) == len(expected_events())
    assert len({m["title"] for m in module_webhook.messages}) == len(events)
    pages_before = stored(database_url, "SELECT count(*) AS n FROM pages")[0]["n"]

    again = ltwatch("run", "--sources", str(sources), env=env)
    assert again.returncode == 0, again.stderr
    assert len(module_webhook.messages) == len(events)
    assert stored(database_url, "SELECT count(*) AS n FROM events")[0]["n"] == len(events)
    assert stored(database_url, "SELECT count(*) AS n FROM pages")[0]["n"] == pages_before


def test_no_boilerplate_reaches_stored_text_and_every_paragraph_does(first_run, database_url):
    articles = {
        a["url"].split("/", 3)[3]: a["text"]
        for a in stored(database_url, "SELECT url, text FROM articles")
    }
    assert set(articles) == set(EXPECTED)
    for path, page in EXPECTED.items():
        text = " ".join(articles[path].split())
        for paragraph in page["paragraphs"]:
            assert paragraph in text, f"{path}: paragraph lost: {paragraph[:60]}"
        for boilerplate in page["boilerplate"]:
            assert boilerplate not in text, f"{path}: boilerplate kept: {boilerplate}"


def test_broken_sources_are_reported_clearly_and_the_others_still_processed(
    first_run, database_url
):
    result, _, _ = first_run
    first_run_reports = (
        "SELECT * FROM crawl_reports WHERE run_id = "
        "(SELECT run_id FROM crawl_reports ORDER BY id LIMIT 1)"
    )
    reports = {r["source"]: r for r in stored(database_url, first_run_reports)}
    failed = {name: r["message"] for name, r in reports.items() if r["status"] == "failed"}
    assert len(failed) == 3, reports
    for name, message in failed.items():
        assert message, name
        assert name in result.stdout and message.split(" (")[0] in result.stdout
    assert all(r["pages_new"] > 0 for n, r in reports.items() if n not in failed)


def test_reprocessing_stored_pages_updates_in_place_and_alerts_nothing_again(
    first_run, database_url, module_webhook
):
    _, env, _ = first_run
    events_before = stored(database_url, "SELECT id, type, event_date FROM events ORDER BY id")
    alerts_before = len(module_webhook.messages)
    result = ltwatch("reprocess", env=env)
    assert result.returncode == 0, result.stderr
    assert "pages processed" in result.stdout
    assert stored(database_url, "SELECT id, type, event_date FROM events ORDER BY id") == (
        events_before
    )
    sent = ltwatch("alert", env=env)
    assert sent.returncode == 0, sent.stderr
    assert len(module_webhook.messages) == alerts_before
