"""Initial schema: pages → articles → events (participants, mentions) → alert outbox.

Data flows one way through these tables; each stage only reads the one before it.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = """
-- One row per fetched URL, raw HTML kept so that newer cleaners can reprocess it.
CREATE TABLE pages (
    id              bigserial PRIMARY KEY,
    source          text        NOT NULL,
    url             text        NOT NULL UNIQUE,
    canonical_url   text,
    http_status     integer     NOT NULL,
    content_type    text,
    etag            text,
    last_modified   text,
    feed_title      text,
    feed_published  timestamptz,
    fetched_at      timestamptz NOT NULL DEFAULT now(),
    crawl_run_id    text,
    html            text        NOT NULL
);
CREATE INDEX pages_source_fetched_idx ON pages (source, fetched_at DESC);
CREATE INDEX pages_canonical_url_idx ON pages (canonical_url);

-- One report per source per crawl run: what was listed, fetched, stored, and what failed.
CREATE TABLE crawl_reports (
    id              bigserial PRIMARY KEY,
    run_id          text        NOT NULL,
    source          text        NOT NULL,
    feed_url        text,
    status          text        NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed')),
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    items_listed    integer     NOT NULL DEFAULT 0,
    pages_fetched   integer     NOT NULL DEFAULT 0,
    pages_new       integer     NOT NULL DEFAULT 0,
    pages_skipped   integer     NOT NULL DEFAULT 0,
    message         text,
    errors          jsonb       NOT NULL DEFAULT '[]'::jsonb,
    UNIQUE (run_id, source)
);
CREATE INDEX crawl_reports_source_idx ON crawl_reports (source, started_at DESC);

-- Clean text and metadata, one row per page; the versions say which code produced them.
CREATE TABLE articles (
    id                bigserial PRIMARY KEY,
    page_id           bigint      NOT NULL UNIQUE REFERENCES pages (id) ON DELETE CASCADE,
    source            text        NOT NULL,
    url               text        NOT NULL,
    title             text,
    published         date,
    language          text,
    author            text,
    text              text        NOT NULL,
    relevant          boolean     NOT NULL DEFAULT false,
    cleaner_version   text        NOT NULL,
    extractor_version text,
    cleaned_at        timestamptz NOT NULL DEFAULT now(),
    extracted_at      timestamptz
);
CREATE INDEX articles_published_idx ON articles (published DESC);
CREATE INDEX articles_relevant_idx ON articles (relevant) WHERE relevant;

-- One row per real-world event, however many articles report it.
CREATE TABLE events (
    id                bigserial PRIMARY KEY,
    type              text        NOT NULL CHECK (type IN ('meeting', 'visit', 'call', 'agreement', 'military', 'other')),
    status            text        NOT NULL CHECK (status IN ('occurred', 'planned', 'denied')),
    event_date        date,
    date_source       text        CHECK (date_source IN ('text', 'published')),
    location          text,
    country           text,
    confidence        real        NOT NULL,
    first_seen_at     timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    extractor_version text        NOT NULL
);
CREATE INDEX events_date_idx ON events (event_date DESC);

CREATE TABLE event_participants (
    id        bigserial PRIMARY KEY,
    event_id  bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name      text   NOT NULL,
    side      text   CHECK (side IN ('turkiye', 'libya', 'other')),
    role      text,
    UNIQUE (event_id, name)
);
CREATE INDEX event_participants_name_idx ON event_participants (name);

-- Each article that reports an event, with the sentence that states it.
CREATE TABLE event_mentions (
    id                bigserial PRIMARY KEY,
    event_id          bigint      NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    article_id        bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    evidence          text        NOT NULL,
    confidence        real        NOT NULL,
    extracted         jsonb       NOT NULL,
    extractor_version text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, article_id)
);
CREATE INDEX event_mentions_article_idx ON event_mentions (article_id);

-- The alert outbox: one row per event and channel, written in the same transaction as the
-- event, drained by the alert stage. A row is claimed ('sending') before the send and
-- marked 'sent' after it, so a crash in between never leads to a blind resend.
CREATE TABLE alert_outbox (
    id          bigserial PRIMARY KEY,
    event_id    bigint      NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    channel     text        NOT NULL,
    kind        text        NOT NULL DEFAULT 'new' CHECK (kind IN ('new', 'update')),
    status      text        NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain')),
    attempts    integer     NOT NULL DEFAULT 0,
    last_error  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    claimed_at  timestamptz,
    sent_at     timestamptz,
    UNIQUE (event_id, channel, kind)
);
CREATE INDEX alert_outbox_pending_idx ON alert_outbox (status) WHERE status IN ('pending', 'failed');

-- Analysts' view: one row per event with its participants and every source URL.
CREATE VIEW v_events AS
SELECT
    e.id,
    e.type,
    e.status,
    e.event_date,
    e.date_source,
    e.location,
    e.country,
    e.confidence,
    COALESCE(p.participants, '[]'::jsonb) AS participants,
    e.first_seen_at,
    e.updated_at,
    COALESCE(m.source_count, 0)          AS source_count,
    COALESCE(m.urls, ARRAY[]::text[])    AS urls,
    m.evidence
FROM events e
LEFT JOIN LATERAL (
    SELECT jsonb_agg(jsonb_build_object('name', ep.name, 'side', ep.side, 'role', ep.role)
                     ORDER BY ep.side, ep.id) AS participants
    FROM event_participants ep
    WHERE ep.event_id = e.id
) p ON true
LEFT JOIN LATERAL (
    SELECT count(DISTINCT a.source)                      AS source_count,
           array_agg(a.url ORDER BY a.published, a.id)   AS urls,
           (array_agg(em.evidence ORDER BY em.confidence DESC, em.id))[1] AS evidence
    FROM event_mentions em
    JOIN articles a ON a.id = em.article_id
    WHERE em.event_id = e.id
) m ON true;

COMMENT ON VIEW v_events IS 'One row per real-world Libya–Türkiye event, merged across outlets.';
COMMENT ON COLUMN v_events.participants IS 'jsonb array of {name, side, role}; side is turkiye, libya or other.';
COMMENT ON COLUMN v_events.source_count IS 'Number of distinct outlets (sources) that reported the event.';
COMMENT ON COLUMN v_events.urls IS 'Every article URL that reports the event, oldest first.';
COMMENT ON COLUMN v_events.date_source IS 'text: the date was stated in the article; published: fell back to the publication date.';
"""

DROP = """
DROP VIEW IF EXISTS v_events;
DROP TABLE IF EXISTS alert_outbox, event_mentions, event_participants, events, articles,
    crawl_reports, pages;
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute(DROP)
