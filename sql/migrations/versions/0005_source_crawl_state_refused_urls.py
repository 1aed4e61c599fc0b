"""Crawl state per source across runs: polling schedule, circuit breaker, refused URLs.

- ``source_crawl_state``: per source, when its feed was last polled and when it may be
  polled next (its minimum interval, or longer when the feed's ``<ttl>`` or
  ``Cache-Control: max-age`` asks for it); the circuit breaker: runs in a row in which
  every article was refused (HTTP 401/403, bot wall), when the source was paused, until
  when, why, and when operators were told (so each pause and resumption is told once).
- ``refused_urls``: article URLs an outlet refused, so that they are not requested again
  on every run (only the paused source's slow-schedule probe asks again).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = """
CREATE TABLE source_crawl_state (
    source                  text        PRIMARY KEY,
    last_polled_at          timestamptz,
    next_poll_at            timestamptz,
    poll_reason             text,
    consecutive_refused     integer     NOT NULL DEFAULT 0,
    paused_at               timestamptz,
    paused_until            timestamptz,
    pause_hours             double precision,
    pause_reason            text,
    pause_notified_at       timestamptz,
    resumed_at              timestamptz,
    resume_notified_at      timestamptz,
    updated_at              timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE source_crawl_state IS
    'Per source: polling schedule (minimum interval, feed ttl/max-age) and circuit breaker.';
COMMENT ON COLUMN source_crawl_state.next_poll_at IS
    'The feed is not polled before this (minimum interval, or what the feed asked).';
COMMENT ON COLUMN source_crawl_state.consecutive_refused IS
    'Runs in a row in which every article requested was refused (401/403 or a bot wall).';
COMMENT ON COLUMN source_crawl_state.paused_until IS
    'Paused by the circuit breaker: not crawled until then, when one article is tried.';

CREATE TABLE refused_urls (
    source           text        NOT NULL,
    url              text        NOT NULL,
    http_status      integer,
    reason           text        NOT NULL,
    first_refused_at timestamptz NOT NULL DEFAULT now(),
    last_refused_at  timestamptz NOT NULL DEFAULT now(),
    times            integer     NOT NULL DEFAULT 1,
    PRIMARY KEY (source, url)
);
COMMENT ON TABLE refused_urls IS
    'Article URLs an outlet refused (401/403, bot wall); not requested again every run.';
"""

DOWNGRADE = """
DROP TABLE IF EXISTS refused_urls, source_crawl_state;
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute(DOWNGRADE)
