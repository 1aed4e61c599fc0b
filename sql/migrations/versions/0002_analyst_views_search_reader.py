"""Postgres for analysts: documented views, full-text and trigram search, a read-only role.

- ``v_events`` (kept, participants now carry their camp), ``v_event_participants``,
  ``v_event_sources``, ``v_articles`` (no raw HTML), ``v_meetings``, ``v_actors``.
- ``articles.search``: a generated ``tsvector`` (English stemming, accents folded) + GIN.
- Trigram index on participant names; ``event_participants.camp`` (tripoli | east).
- ``pages.html_dropped_at``: raw HTML can be dropped by retention, the row is kept.
- Role ``ltwatch_reader``: SELECT on the views only, read-only by default. Its password
  comes from ``LTWATCH_READER_PASSWORD`` when set; roles are cluster-wide, so creation is
  idempotent and race-safe, while grants are made per database.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

READER = "ltwatch_reader"
VIEWS = ["v_events", "v_event_participants", "v_event_sources", "v_articles", "v_meetings",
         "v_actors"]  # fmt: skip

# Accented letters folded to ASCII before indexing and matching, so that "Kalın", "Kalin"
# and "KALIN" are one name and one search term. translate() rather than the unaccent
# extension: unaccent is not shipped with the embedded server, and translate() is
# IMMUTABLE, as a generated column requires. Turkish letters first, then common Latin ones.
_FOLD_PAIRS = (
    "çc Çc ğg Ğg ıi İI öo Öo şs Şs üu Üu âa Âa îi Îi ûu Ûu "
    "ée èe êe ëe áa àa äa ãa åa óo òo ôo õo íi ìi ïi ñn úu ùu "
    "ÉE ÈE ÊE ÁA ÀA ÄA ÓO ÔO ÍI ÑN ÚU āa īi ūu ĀA ĪI ŪU ḥh ḤH ṣs ṢS ṭt ṬT ẓz ẒZ"
)
_FROM = "".join(pair[0] for pair in _FOLD_PAIRS.split())
_TO = "".join(pair[1] for pair in _FOLD_PAIRS.split())
# Fix the few capitals whose fold above is written for readability, not correctness.
_TO = "".join(t.upper() if f.isupper() else t.lower() for f, t in zip(_FROM, _TO, strict=True))

SCHEMA = f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION ltwatch_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN translate($1, '{_FROM}', '{_TO}');
COMMENT ON FUNCTION ltwatch_unaccent(text) IS
    'Folds Turkish and common Latin diacritics to ASCII (Kalın → Kalin); '
    'used by the search column and name matching.';

-- Raw HTML can be dropped by retention (pipeline.retention); the row stays so that the URL
-- is still known (never re-crawled) and the article keeps its page.
ALTER TABLE pages ADD COLUMN html_dropped_at timestamptz;
ALTER TABLE pages ADD CONSTRAINT pages_html_dropped_empty
    CHECK (html_dropped_at IS NULL OR html = '');
CREATE INDEX pages_html_kept_fetched_idx ON pages (fetched_at) WHERE html_dropped_at IS NULL;

-- Full-text search: English stemming over title and body, accents folded.
ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('english'::regconfig,
                ltwatch_unaccent(coalesce(title, '') || ' ' || text))
) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);
-- Counting the outlets of many events joins mentions to articles by id for the source
-- alone: with it in the index, that join reads the index, not the wide article rows.
CREATE INDEX articles_id_source_idx ON articles (id) INCLUDE (source);

-- The Libyan camp of a Libyan participant, from the actor gazetteer.
ALTER TABLE event_participants ADD COLUMN camp text
    CHECK (camp IN ('tripoli', 'east'));
-- (name, event_id) replaces (name): the same lookups, plus the newest event per name
-- (v_actors) and the events of a person without visiting the table.
DROP INDEX event_participants_name_idx;
CREATE INDEX event_participants_name_event_idx ON event_participants (name, event_id);
CREATE INDEX event_participants_name_trgm_idx ON event_participants USING gin (name gin_trgm_ops);

CREATE INDEX events_first_seen_idx ON events (first_seen_at DESC);
-- v_meetings' order, restricted to its types: "the latest 50 meetings" reads 50 entries.
CREATE INDEX events_meetings_date_idx ON events (event_date DESC NULLS LAST, id DESC)
    WHERE type IN ('meeting', 'visit', 'call');
CREATE INDEX events_planned_date_idx ON events (event_date) WHERE status = 'planned';
CREATE INDEX events_location_trgm_idx ON events USING gin (location gin_trgm_ops);
"""

# v_events keeps its columns and their order (CREATE OR REPLACE requires it); participants
# now include the camp.
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
    m.evidence
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
"""

V_EVENTS_0001 = """
CREATE OR REPLACE VIEW v_events AS
SELECT
    e.id, e.type, e.status, e.event_date, e.date_source, e.location, e.country, e.confidence,
    COALESCE(p.participants, '[]'::jsonb) AS participants,
    e.first_seen_at, e.updated_at,
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
COMMENT ON COLUMN v_events.participants IS
    'jsonb array of {name, side, role}; side is turkiye, libya or other.';
"""

VIEWS_SQL = """
CREATE VIEW v_event_participants AS
SELECT
    ep.event_id,
    ep.name,
    ep.side,
    ep.camp,
    ep.role,
    e.type       AS event_type,
    e.status     AS event_status,
    e.event_date,
    e.location,
    e.country,
    e.confidence AS event_confidence
FROM event_participants ep
JOIN events e ON e.id = ep.event_id;

-- LEFT JOIN pages: page_id is NOT NULL, so no row is lost, and the planner drops the join
-- when fetched_at / raw_html_dropped_at are not asked for.
CREATE VIEW v_event_sources AS
SELECT
    em.event_id,
    e.type          AS event_type,
    e.status        AS event_status,
    e.event_date,
    e.location,
    em.article_id,
    a.source,
    a.url,
    a.title,
    a.published,
    a.language,
    p.fetched_at,
    em.evidence,
    em.confidence,
    em.created_at   AS reported_at,
    em.extractor_version
FROM event_mentions em
JOIN events e   ON e.id = em.event_id
JOIN articles a ON a.id = em.article_id
LEFT JOIN pages p ON p.id = a.page_id;

CREATE VIEW v_articles AS
SELECT
    a.id,
    a.source,
    a.url,
    a.title,
    a.published,
    a.language,
    a.author,
    a.text,
    a.relevant,
    a.search,
    p.fetched_at,
    p.html_dropped_at AS raw_html_dropped_at,
    a.cleaner_version,
    a.extractor_version,
    a.cleaned_at,
    a.extracted_at
FROM articles a
LEFT JOIN pages p ON p.id = a.page_id;

CREATE VIEW v_meetings AS
SELECT
    e.id,
    e.event_date,
    e.type,
    e.status,
    e.location,
    e.country,
    p.turkish_side,
    p.libyan_side,
    COALESCE(p.libyan_camps, ARRAY[]::text[]) AS libyan_camps,
    p.others,
    COALESCE(m.source_count, 0)               AS source_count,
    COALESCE(m.sources, ARRAY[]::text[])      AS sources,
    e.confidence,
    e.first_seen_at,
    m.evidence
FROM events e
LEFT JOIN LATERAL (
    SELECT
        string_agg(ep.name || COALESCE(' (' || ep.role || ')', ''), '; ' ORDER BY ep.id)
            FILTER (WHERE ep.side = 'turkiye') AS turkish_side,
        string_agg(ep.name || COALESCE(' (' || ep.role || ')', ''), '; ' ORDER BY ep.id)
            FILTER (WHERE ep.side = 'libya') AS libyan_side,
        array_agg(DISTINCT ep.camp ORDER BY ep.camp)
            FILTER (WHERE ep.side = 'libya' AND ep.camp IS NOT NULL) AS libyan_camps,
        string_agg(ep.name || COALESCE(' (' || ep.role || ')', ''), '; ' ORDER BY ep.id)
            FILTER (WHERE ep.side IS DISTINCT FROM 'turkiye' AND ep.side IS DISTINCT FROM 'libya')
            AS others
    FROM event_participants ep
    WHERE ep.event_id = e.id
) p ON true
LEFT JOIN LATERAL (
    SELECT count(DISTINCT a.source)                                      AS source_count,
           array_agg(DISTINCT a.source ORDER BY a.source)                AS sources,
           (array_agg(em.evidence ORDER BY em.confidence DESC, em.id))[1] AS evidence
    FROM event_mentions em
    JOIN articles a ON a.id = em.article_id
    WHERE em.event_id = e.id
) m ON true
WHERE e.type IN ('meeting', 'visit', 'call')
ORDER BY e.event_date DESC NULLS LAST, e.id DESC;

-- One row per distinct participant name. The names are walked with a loose index scan
-- (one probe of event_participants_name_event_idx per name), so the view costs a few
-- milliseconds however many participant rows there are: fuzzy name lookups compare the
-- analyst's spelling with each distinct name, not with every participation.
CREATE VIEW v_actors AS
WITH RECURSIVE names (name) AS (
    (SELECT min(name) FROM event_participants)
    UNION ALL
    SELECT (SELECT min(ep.name) FROM event_participants ep WHERE ep.name > n.name)
    FROM names n
    WHERE n.name IS NOT NULL
)
SELECT n.name, latest.side, latest.camp, latest.role, latest.event_id AS latest_event_id
FROM names n
CROSS JOIN LATERAL (
    SELECT ep.side, ep.camp, ep.role, ep.event_id
    FROM event_participants ep
    WHERE ep.name = n.name
    ORDER BY ep.event_id DESC
    LIMIT 1
) latest
WHERE n.name IS NOT NULL;
"""

COMMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "v_events": (
        "One row per real-world Libya–Türkiye event, merged across outlets.",
        {
            "id": "Event id (events.id); the key used by every other view's event_id.",
            "type": "meeting, visit, call, agreement, military or other.",
            "status": "occurred, planned (announced for a future date) or denied.",
            "event_date": "The date of the event (NULL when no article gives one).",
            "date_source": "text: the date was stated in the article; published: fell back "
            "to the publication date.",
            "location": "Where it happened as written in the article (NULL for calls).",
            "country": "Country of the location, when known.",
            "confidence": "Highest extraction confidence (0–1) of any report of the event.",
            "participants": "jsonb array of {name, side, camp, role}; side is turkiye, libya or "
            "other; camp (tripoli or east) is set for Libyan participants when known.",
            "first_seen_at": "When the pipeline first stored the event.",
            "updated_at": "When a later report last completed it (place, exact date, type, "
            "participant).",
            "source_count": "Number of distinct outlets (sources) that reported the event.",
            "urls": "Every article URL that reports the event, oldest first.",
            "evidence": "The sentence stating the event, from the most confident report.",
        },
    ),
    "v_event_participants": (
        "One row per participant of an event, with the event's main columns.",
        {
            "event_id": "The event (v_events.id).",
            "name": "Canonical name of the participant (gazetteer name when known).",
            "side": "turkiye, libya or other (NULL when unknown).",
            "camp": "For Libyan participants: tripoli (GNU/Presidential Council) or east "
            "(Haftar/LNA/House of Representatives); NULL when unknown or not Libyan.",
            "role": "Office or title as reported (e.g. MIT Director).",
            "event_type": "The event's type (v_events.type).",
            "event_status": "The event's status (v_events.status).",
            "event_date": "The event's date (v_events.event_date).",
            "location": "The event's location.",
            "country": "The event's country.",
            "event_confidence": "The event's confidence (v_events.confidence).",
        },
    ),
    "v_event_sources": (
        "Every article that reports an event: one row per (event, article), with outlet, "
        "URL, publication date and the evidence sentence.",
        {
            "event_id": "The event (v_events.id).",
            "event_type": "The event's type.",
            "event_status": "The event's status.",
            "event_date": "The event's date.",
            "location": "The event's location.",
            "article_id": "The reporting article (v_articles.id).",
            "source": "The outlet, as named in crawlers/sources.yaml.",
            "url": "The article's (canonical) URL.",
            "title": "The article's title.",
            "published": "The article's publication date.",
            "language": "The article's language code.",
            "fetched_at": "When the crawler fetched the page: the finest 'who reported "
            "first' clock.",
            "evidence": "The sentence of this article that states the event.",
            "confidence": "Extraction confidence (0–1) of this report.",
            "reported_at": "When this report was linked to the event.",
            "extractor_version": "Version of the extractor that produced this report.",
        },
    ),
    "v_articles": (
        "Clean text and metadata of every article (no raw HTML).",
        {
            "id": "Article id.",
            "source": "The outlet, as named in crawlers/sources.yaml.",
            "url": "The article's (canonical) URL.",
            "title": "Title.",
            "published": "Publication date (from the page's metadata or feed).",
            "language": "Language code (en, tr, ar…).",
            "author": "Author, when the page names one.",
            "text": "Boilerplate-free body text.",
            "relevant": "True when the article is about Libya–Türkiye contacts.",
            "search": "tsvector of title and text (English stemming, accents folded); query "
            "it with search @@ websearch_to_tsquery('english', ltwatch_unaccent('...')).",
            "fetched_at": "When the crawler fetched the page.",
            "raw_html_dropped_at": "When retention dropped the page's raw HTML (NULL: kept).",
            "cleaner_version": "Version of the cleaner that produced the text.",
            "extractor_version": "Version of the extractor that last read the article.",
            "cleaned_at": "When the text was produced.",
            "extracted_at": "When events were last extracted from it.",
        },
    ),
    "v_meetings": (
        "Meetings, visits and calls, newest first, with each side's participants.",
        {
            "id": "Event id (v_events.id).",
            "event_date": "The date of the contact.",
            "type": "meeting, visit or call.",
            "status": "occurred, planned or denied.",
            "location": "Where it happened (NULL for calls).",
            "country": "Country of the location.",
            "turkish_side": "Turkish participants, 'Name (role)', separated by '; '.",
            "libyan_side": "Libyan participants, 'Name (role)', separated by '; '.",
            "libyan_camps": "Camps of the Libyan participants (tripoli, east); empty when unknown.",
            "others": "Participants who are neither Turkish nor Libyan (or of unknown side).",
            "source_count": "Number of distinct outlets that reported it.",
            "sources": "The outlets that reported it, alphabetical.",
            "confidence": "Highest extraction confidence of any report.",
            "first_seen_at": "When the pipeline first stored it.",
            "evidence": "The sentence stating it, from the most confident report.",
        },
    ),
    "v_actors": (
        "One row per distinct participant name, for fuzzy name lookups "
        "(word_similarity(ltwatch_unaccent('Hafter'), ltwatch_unaccent(name))).",
        {
            "name": "Participant name as stored in v_event_participants.name.",
            "side": "Side in the person's latest event.",
            "camp": "Camp in the person's latest event (Libyan participants).",
            "role": "Role in the person's latest event.",
            "latest_event_id": "The person's latest event (highest id).",
        },
    ),
}


def _comments_sql() -> str:
    def literal(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    statements = []
    for view, (about, columns) in COMMENTS.items():
        statements.append(f"COMMENT ON VIEW {view} IS {literal(about)};")
        statements += [
            f"COMMENT ON COLUMN {view}.{column} IS {literal(text)};"
            for column, text in columns.items()
        ]
    return "\n".join(statements)


# Roles are cluster-wide: another database on the same server (the test suite creates
# several, concurrently) may have created it already, or be creating it right now.
CREATE_ROLE = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER}') THEN
        BEGIN
            -- LOGIN without a password: local trust/peer authentication works, password
            -- authentication does not until LTWATCH_READER_PASSWORD is given.
            CREATE ROLE {READER} LOGIN;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;  -- created concurrently
            WHEN insufficient_privilege THEN
                RAISE WARNING 'cannot create role {READER} (the migrating user lacks '
                    'CREATEROLE): ask an administrator to CREATE ROLE {READER} LOGIN, then '
                    'rerun the grants of migration 0002';
        END;
    END IF;
END $$;
"""

# Per database: the views and nothing else. Readers must not see pages.html, so no table is
# granted; views run with their owner's rights.
GRANTS = f"""
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER}') THEN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO {READER}', current_database());
        GRANT USAGE ON SCHEMA public TO {READER};
        GRANT SELECT ON {", ".join(VIEWS)} TO {READER};
        -- A second line of defence; the privileges are the real barrier, as a session may
        -- turn this off.
        ALTER ROLE {READER} SET default_transaction_read_only = on;
    END IF;
END $$;
-- No one but the owner creates objects: PostgreSQL 15+ already withholds CREATE on public
-- from PUBLIC, older clusters and upgraded ones may not.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Nor temporary tables (CREATE TEMP is granted to PUBLIC by default). The migrating user
-- keeps the right explicitly, for the pipeline.
DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I', current_database(), current_user);
END $$;
"""


def _set_reader_password(password: str) -> None:
    # ALTER ROLE takes no bind parameters: the password travels as a bound GUC value and is
    # quoted by format(%L) on the server, so no client-side quoting of a secret is needed.
    bind = op.get_bind()
    bind.execute(
        sa.text("SELECT set_config('ltwatch.reader_password', :pw, true)"), {"pw": password}
    )
    op.execute(
        f"""
        DO $$
        BEGIN
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER}') THEN
                EXECUTE format('ALTER ROLE {READER} LOGIN PASSWORD %L',
                               current_setting('ltwatch.reader_password'));
            END IF;
        END $$;
        """
    )
    bind.execute(sa.text("SELECT set_config('ltwatch.reader_password', '', true)"))


def upgrade() -> None:
    op.execute(SCHEMA)
    op.execute(V_EVENTS)
    op.execute(VIEWS_SQL)
    op.execute(_comments_sql())
    op.execute(CREATE_ROLE)
    password = os.environ.get("LTWATCH_READER_PASSWORD")
    if password:
        _set_reader_password(password)
    op.execute(GRANTS)


DOWNGRADE = f"""
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER}') THEN
        REVOKE ALL ON {", ".join(VIEWS)} FROM {READER};
        REVOKE USAGE ON SCHEMA public FROM {READER};
        EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM {READER}', current_database());
        BEGIN
            DROP ROLE {READER};
        EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege THEN
            -- Still granted in another database of this cluster: that database's
            -- downgrade (or an administrator) drops it.
            RAISE NOTICE 'role {READER} kept: %', SQLERRM;
        END;
    END IF;
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO PUBLIC', current_database());
END $$;

DROP VIEW IF EXISTS v_actors, v_meetings, v_articles, v_event_sources, v_event_participants;
{V_EVENTS_0001}
DROP INDEX IF EXISTS events_location_trgm_idx, events_planned_date_idx,
    events_meetings_date_idx, events_first_seen_idx, event_participants_name_trgm_idx,
    event_participants_name_event_idx, articles_search_idx, articles_id_source_idx,
    pages_html_kept_fetched_idx;
CREATE INDEX event_participants_name_idx ON event_participants (name);
ALTER TABLE event_participants DROP COLUMN IF EXISTS camp;
ALTER TABLE articles DROP COLUMN IF EXISTS search;
ALTER TABLE pages DROP CONSTRAINT IF EXISTS pages_html_dropped_empty;
ALTER TABLE pages DROP COLUMN IF EXISTS html_dropped_at;
DROP FUNCTION IF EXISTS ltwatch_unaccent(text);
-- pg_trgm may serve objects this migration did not create: keep it then.
DO $$
BEGIN
    DROP EXTENSION IF EXISTS pg_trgm;
EXCEPTION WHEN dependent_objects_still_exist THEN
    RAISE NOTICE 'extension pg_trgm kept: %', SQLERRM;
END $$;
"""


def downgrade() -> None:
    op.execute(DOWNGRADE)
