"""Alert channels with updates and back-off; PLOVER category and revision on events.

- ``events.revision`` counts the changes later reports made to an event, so that a channel
  that wants updates gets one message per change it has not seen;
- ``events.plover``: the PLOVER category the event type belongs to (CONSULT, AGREE, …);
- ``alert_outbox``: ``revision`` (which state of the event a row announces) and
  ``next_attempt_at`` (exponential back-off between failed attempts); one 'new' row per
  event and channel, one 'update' row per event, channel and revision.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

V_EVENTS = """
CREATE OR REPLACE VIEW v_events AS
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
    m.evidence,
    e.plover,
    e.revision
FROM events e
LEFT JOIN LATERAL (
    SELECT jsonb_agg(jsonb_build_object('name', ep.name, 'side', ep.side, 'camp', ep.camp,
                                        'role', ep.role)
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
COMMENT ON COLUMN v_events.plover IS
    'PLOVER category of the event type (CONSULT, AGREE, COOPERATE, AID, MOBILIZE, …).';
COMMENT ON COLUMN v_events.revision IS
    'How many times later reports changed the event (a participant, the place, the date).';
"""

UPGRADE = """
ALTER TABLE events ADD COLUMN plover text;
ALTER TABLE events ADD COLUMN revision integer NOT NULL DEFAULT 0;
UPDATE events SET plover = CASE type
    WHEN 'meeting' THEN 'CONSULT' WHEN 'visit' THEN 'CONSULT' WHEN 'call' THEN 'CONSULT'
    WHEN 'agreement' THEN 'AGREE' WHEN 'military' THEN 'MOBILIZE' ELSE 'COOPERATE' END;

ALTER TABLE alert_outbox ADD COLUMN revision integer NOT NULL DEFAULT 0;
ALTER TABLE alert_outbox ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE alert_outbox DROP CONSTRAINT alert_outbox_event_id_channel_kind_key;
CREATE UNIQUE INDEX alert_outbox_new_once_idx ON alert_outbox (event_id, channel)
    WHERE kind = 'new';
CREATE UNIQUE INDEX alert_outbox_update_once_idx ON alert_outbox (event_id, channel, revision)
    WHERE kind = 'update';
CREATE INDEX alert_outbox_channel_due_idx ON alert_outbox (channel, next_attempt_at)
    WHERE status IN ('pending', 'failed');
"""

DOWNGRADE = """
DROP INDEX alert_outbox_channel_due_idx;
DROP INDEX alert_outbox_update_once_idx;
DROP INDEX alert_outbox_new_once_idx;
DELETE FROM alert_outbox WHERE kind = 'update';
ALTER TABLE alert_outbox ADD CONSTRAINT alert_outbox_event_id_channel_kind_key
    UNIQUE (event_id, channel, kind);
ALTER TABLE alert_outbox DROP COLUMN next_attempt_at;
ALTER TABLE alert_outbox DROP COLUMN revision;
"""


def upgrade() -> None:
    op.execute(UPGRADE)
    op.execute(V_EVENTS)


def _revision_module(revision_id: str):
    """An earlier migration's module, to re-create the views exactly as it defined them."""
    from alembic import context
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(context.config).get_revision(revision_id).module


def downgrade() -> None:
    # Views cannot lose columns in place: drop the analysts' views (they depend on
    # v_events), drop the columns, and re-create the views as 0002 defined them.
    views = _revision_module("0002")
    op.execute(f"DROP VIEW IF EXISTS {', '.join(views.VIEWS)} CASCADE")
    op.execute(DOWNGRADE)
    op.execute("ALTER TABLE events DROP COLUMN revision, DROP COLUMN plover")
    op.execute(views.V_EVENTS)
    op.execute(views.VIEWS_SQL)
    op.execute(views._comments_sql())
    op.execute(views.GRANTS)
