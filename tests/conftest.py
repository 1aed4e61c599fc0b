"""Shared fixtures: a real PostgreSQL, the sample site over real HTTP, a real webhook receiver.

Database: an embedded PostgreSQL (pgserver) in a temporary directory by default;
``LTWATCH_TEST_DATABASE_URL`` points the suite at a server instead (a fresh database is
created on it for the session and dropped afterwards).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from pipeline import db
from pipeline.settings import Settings
from tests.faultserver import POLL

TABLES = (
    "alert_outbox, event_mentions, event_participants, events, articles, crawl_reports, pages, "
    "feed_state, source_health, source_crawl_state, refused_urls"
)


def ltwatch(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the ``ltwatch`` command line as a user would: its own process, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server_url = os.environ.get("LTWATCH_TEST_DATABASE_URL")
    if not server_url:
        # Not under pytest's basetemp: pytest prunes old basetemps, possibly while the
        # server (running as another user when we are root) still uses one.
        data_dir = Path(tempfile.mkdtemp(prefix="ltwatch-test-pg-"))
        url = db.resolve_database_url(
            Settings(database_url=None, data_dir=data_dir), keep_running=False
        )
        db.upgrade(url)
        yield url
        db.stop_embedded(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
        return
    name = f"ltwatch_test_{uuid.uuid4().hex[:10]}"
    admin = db.libpq_url(server_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = db.sqlalchemy_url(make_url(server_url).set(database=name).render_as_string(False))
    db.upgrade(url)
    yield url
    db.get_engine(url).dispose()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_database(url: str) -> str:
    with db.get_engine(url).begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    return url


@pytest.fixture
def clean_db(database_url: str) -> str:
    """The test database, emptied: every test starts from an empty schema."""
    return empty_database(database_url)


@pytest.fixture
def settings(clean_db: str, tmp_path: Path) -> Settings:
    """Settings pointing at the empty test database, alerts to the terminal."""
    return Settings(database_url=clean_db, data_dir=tmp_path / "data", alert_urls=[])


class WebhookReceiver:
    """A real HTTP endpoint for Apprise's ``json://`` notifier, recording what it receives."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.down = False  # when True, answers 503 as a channel that is down would
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                with receiver._lock:
                    receiver.messages.append(json.loads(body or b"{}"))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": POLL}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        """The Apprise URL of this receiver."""
        return f"json://127.0.0.1:{self.server.server_port}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def module_webhook() -> Iterator[WebhookReceiver]:
    """A receiver shared by a module's tests (for expensive end-to-end fixtures)."""
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()
