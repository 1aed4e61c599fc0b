"""An alert run killed between handing a message to a channel and recording it.

The receiver holds the second message (it has it, the sender is still waiting for the
answer) until the test has killed ``ltwatch alert`` with SIGKILL — deterministic, not timed.
The next run must report that message ``uncertain`` at once (not after a stale-claim
window), say so in its output, send the rest, and send nothing twice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest
import sqlalchemy as sa

from pipeline import alerts, db, runlocks
from pipeline.alert_channels import channels_from_urls
from tests.conftest import ltwatch
from tests.faultserver import POLL, wait_until
from tests.test_alerts import BEGEC, DBEIBAH, KALIN, event, outbox, report

pytestmark = pytest.mark.slow


class HoldingReceiver:
    """A webhook that takes every message, but answers the ``hold_at``-th only when let go."""

    def __init__(self, hold_at: int) -> None:
        self.titles: list[str] = []
        self.arrived = threading.Event()
        self.gate = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.titles.append(json.loads(body)["title"])
                if len(receiver.titles) == hold_at:
                    receiver.arrived.set()
                    receiver.gate.wait(60)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"json://127.0.0.1:{self.server.server_port}/"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": POLL}, daemon=True
        ).start()

    def close(self) -> None:
        self.gate.set()
        self.server.shutdown()
        self.server.server_close()


def claimers(url: str) -> list[str]:
    with db.get_engine(url).connect() as conn:
        query = "SELECT DISTINCT claimed_by FROM alert_outbox WHERE status = 'sending'"
        return list(conn.execute(sa.text(query)).scalars())


def run_is_dead(url: str, token: str) -> bool:
    with psycopg.connect(db.libpq_url(url), autocommit=True) as conn:
        return runlocks.is_dead(conn, runlocks.ALERT_RUN, token)


def test_an_alert_run_killed_mid_send_sends_nothing_twice_and_is_named_next_run(clean_db):
    receiver = HoldingReceiver(hold_at=2)
    try:
        channels = channels_from_urls([receiver.url])
        report(clean_db, event(), channels)
        report(clean_db, event(BEGEC, DBEIBAH, day=3, location="Tripoli"), channels)
        report(clean_db, event(KALIN, DBEIBAH, day=10, location="Ankara"), channels)
        env = {"LTWATCH_DATABASE_URL": clean_db, "LTWATCH_ALERT_URLS": receiver.url}
        killed = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "alert"],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            assert receiver.arrived.wait(120)
        finally:
            os.killpg(killed.pid, signal.SIGKILL)
            killed.wait()
        receiver.gate.set()
        [token] = claimers(clean_db)
        # PostgreSQL ends the killed process's session as soon as it notices it gone.
        assert wait_until(lambda: run_is_dead(clean_db, token), 30)

        after = ltwatch("alert", env=env)
        assert after.returncode == 0, after.stderr
        said = " ".join(after.stdout.split())
        assert "1 alerts sent, 0 failed, 1 uncertain" in said, said
        assert "left 'sending' by an alert run that stopped" in said, said
        # Every alert reached the channel exactly once; the held one is 'uncertain'.
        assert len(receiver.titles) == 3 and len(set(receiver.titles)) == 3
        assert sorted(row.status for row in outbox(clean_db)) == ["sent", "sent", "uncertain"]
        assert alerts.drain_outbox(db.get_engine(clean_db), channels).sent == 0
        assert len(receiver.titles) == 3
    finally:
        receiver.close()
