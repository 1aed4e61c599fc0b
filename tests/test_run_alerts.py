"""Alerts end to end: `ltwatch run` over the sample site with real channels configured.

An immediate webhook channel, a digest e-mail channel on a real SMTP server, and a webhook
channel that is down during the first runs: each gets what it wants, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline import db
from pipeline.samplesite import serve, write_sources_file
from tests.conftest import WebhookReceiver, empty_database, ltwatch
from tests.test_alerts import SMTPInbox
from tests.test_run import expected_events

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def receivers() -> Iterator[tuple[WebhookReceiver, SMTPInbox, WebhookReceiver]]:
    desk, inbox, flaky = WebhookReceiver(), SMTPInbox(), WebhookReceiver()
    yield desk, inbox, flaky
    desk.close()
    inbox.close()
    flaky.close()


@pytest.fixture(scope="module")
def setup(receivers, database_url: str, tmp_path_factory) -> Iterator[tuple[dict, Path]]:
    desk, inbox, flaky = receivers
    workdir = tmp_path_factory.mktemp("alerts-run")
    alerts_file = workdir / "alerts.yaml"
    alerts_file.write_text(
        "channels:\n"
        f"  - {{name: desk, url: '{desk.url}'}}\n"
        "  - name: daily-mail\n"
        "    url: mailto://127.0.0.1:${SMTP_PORT}?from=watch@example.org&to=desk@example.org"
        "&mode=insecure\n"
        "    mode: digest\n"
        f"  - {{name: flaky, url: '{flaky.url}'}}\n"
    )
    with serve() as site:
        sources = write_sources_file(site.base_url, workdir / "sources.yaml")
        env = {
            "LTWATCH_DATABASE_URL": empty_database(database_url),
            "LTWATCH_ALERTS_FILE": str(alerts_file),
            "SMTP_PORT": str(inbox.port),
        }
        yield env, sources


def test_each_channel_gets_what_it_wants_once_and_a_down_channel_catches_up(
    setup, receivers, database_url
):
    desk, inbox, flaky = receivers
    env, sources = setup
    events = len(expected_events())

    flaky.down = True
    first = ltwatch("run", "--sources", str(sources), env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(desk.messages) == events  # one message per new event
    assert len(inbox.messages) == 1  # one digest for the run…
    assert inbox.messages[0]["Subject"] == f"Türkiye–Libya watch: {events} new events"
    assert flaky.messages == []  # …and nothing reached the channel that is down
    assert f"{events} failed" in first.stdout

    second = ltwatch("run", "--sources", str(sources), env=env)
    assert second.returncode == 0, second.stderr
    assert len(desk.messages) == events and len(inbox.messages) == 1

    # The channel is back; its back-off has passed.
    flaky.down = False
    with db.get_engine(database_url).begin() as conn:
        conn.execute(sa.text("UPDATE alert_outbox SET next_attempt_at = now()"))
    caught_up = ltwatch("alert", env=env)
    assert caught_up.returncode == 0, caught_up.stderr
    assert len(flaky.messages) == events
    assert ltwatch("alert", env=env).returncode == 0
    assert len(flaky.messages) == events
    assert len(desk.messages) == events and len(inbox.messages) == 1
    assert {m["title"] for m in flaky.messages} == {m["title"] for m in desk.messages}
