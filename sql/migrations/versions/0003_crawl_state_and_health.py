"""Crawl state and source health: conditional requests, request counts, operator alerts.

- ``feed_state``: per source and feed/sitemap/listing URL, the validators (ETag,
  Last-Modified) of the last response whose items were all dealt with, so the next run can
  ask "changed since?" and a 304 costs nothing more.
- ``source_health``: per source, last success, consecutive failed / empty runs, items of
  the last run, and when an operator alert / recovery notice was sent (so each goes once).
- ``crawl_reports``: ``requests`` (HTTP requests the source cost in the run, robots.txt
  excluded) and ``not_modified`` (every listing answered 304: nothing else was asked).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = """
CREATE TABLE feed_state (
    source          text        NOT NULL,
    url             text        NOT NULL,
    etag            text,
    last_modified   text,
    last_status     integer,
    last_fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, url)
);
COMMENT ON TABLE feed_state IS
    'Validators of the last fully processed response of each feed, sitemap or listing page.';

CREATE TABLE source_health (
    source               text        PRIMARY KEY,
    last_run_at          timestamptz,
    last_status          text,
    last_success_at      timestamptz,
    last_items           integer     NOT NULL DEFAULT 0,
    last_message         text,
    consecutive_failures integer     NOT NULL DEFAULT 0,
    consecutive_empty    integer     NOT NULL DEFAULT 0,
    alerted_at           timestamptz,
    recovered_at         timestamptz
);
COMMENT ON TABLE source_health IS
    'Per source: last success, runs in a row failed or empty, and operator alert bookkeeping.';
COMMENT ON COLUMN source_health.alerted_at IS
    'When the unhealthy alert was sent; NULL when the source is healthy (or not yet alerted).';

ALTER TABLE crawl_reports
    ADD COLUMN requests     integer NOT NULL DEFAULT 0,
    ADD COLUMN not_modified boolean NOT NULL DEFAULT false;
"""

DOWNGRADE = """
ALTER TABLE crawl_reports DROP COLUMN IF EXISTS requests, DROP COLUMN IF EXISTS not_modified;
DROP TABLE IF EXISTS source_health, feed_state;
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute(DOWNGRADE)
