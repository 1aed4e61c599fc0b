"""Writing the pipeline's output to Postgres: articles, merged events, mentions, outbox rows.

One real-world event is one row in ``events``: an extracted event is merged into an existing
one when it is the same contact (same type family and status, a shared principal on each
side, dates within ``MERGE_WINDOW_DAYS``), and every article that reports it is a mention.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pipeline.merge import MERGE_WINDOW_DAYS, TYPE_FAMILIES, principals, same_event
from pipeline.records import CleanArticle, ExtractedEvent, Participant

# Undated events (a visit announced for "next week") merge only with ones first seen this
# recently: the same pair is announced again months later for another visit.
UNDATED_MERGE_DAYS = 30

# When two reports disagree on the type, the more specific one wins.
TYPE_PRECEDENCE = ["meeting", "visit", "agreement", "military", "call", "other"]


@dataclass(frozen=True)
class StoredEvent:
    event_id: int
    created: bool  # a new real-world event (alerts go out for these)
    changed: bool  # an existing event gained a participant, a place or a more exact date


def save_article(
    conn: Connection,
    *,
    page_id: int,
    source: str,
    url: str,
    article: CleanArticle,
    relevant: bool,
    cleaner_version: str,
    extractor_version: str,
) -> int:
    """Insert or refresh the article of a page and return its id (idempotent)."""
    return conn.execute(
        sa.text(
            """
            INSERT INTO articles (page_id, source, url, title, published, language, author,
                                  text, relevant, cleaner_version, extractor_version,
                                  cleaned_at, extracted_at)
            VALUES (:page_id, :source, :url, :title, :published, :language, :author,
                    :text, :relevant, :cleaner_version, :extractor_version, now(), now())
            ON CONFLICT (page_id) DO UPDATE SET
                source = EXCLUDED.source, url = EXCLUDED.url, title = EXCLUDED.title,
                published = EXCLUDED.published, language = EXCLUDED.language,
                author = EXCLUDED.author, text = EXCLUDED.text, relevant = EXCLUDED.relevant,
                cleaner_version = EXCLUDED.cleaner_version,
                extractor_version = EXCLUDED.extractor_version,
                cleaned_at = now(), extracted_at = now()
            RETURNING id
            """
        ),
        {
            "page_id": page_id,
            "source": source,
            "url": article.canonical_url or url,
            "title": article.title,
            "published": article.published,
            "language": article.language,
            "author": article.author,
            "text": article.text,
            "relevant": relevant,
            "cleaner_version": cleaner_version,
            "extractor_version": extractor_version,
        },
    ).scalar_one()


def forget_mentions(conn: Connection, article_id: int) -> None:
    """Drop an article's mentions before it is extracted again, and events left without any.

    Events that were already alerted are kept even when a newer extractor no longer finds
    them, so that the outbox history stays intact.
    """
    orphans = (
        conn.execute(
            sa.text("DELETE FROM event_mentions WHERE article_id = :a RETURNING event_id"),
            {"a": article_id},
        )
        .scalars()
        .all()
    )
    if orphans:
        conn.execute(
            sa.text(
                """
                DELETE FROM events e
                WHERE e.id = ANY(:ids)
                  AND NOT EXISTS (SELECT 1 FROM event_mentions m WHERE m.event_id = e.id)
                  AND NOT EXISTS (SELECT 1 FROM alert_outbox o
                                  WHERE o.event_id = e.id AND o.status <> 'pending')
                """
            ),
            {"ids": list(set(orphans))},
        )


def find_matching_event(conn: Connection, event: ExtractedEvent) -> int | None:
    """The id of a stored event that is the same real-world contact, if any.

    SQL narrows the candidates by type family, status and date; ``merge.same_event``, the
    rule evaluation measures too, decides.
    """
    if not principals(event.participants, "turkiye"):
        return None
    family_types = [t for t, f in TYPE_FAMILIES.items() if f == TYPE_FAMILIES[event.type]]
    window = dt.timedelta(days=MERGE_WINDOW_DAYS)
    candidates = conn.execute(
        sa.text(
            """
            SELECT e.id, e.type, e.status, e.event_date, e.date_source,
                   jsonb_agg(jsonb_build_object('name', p.name, 'side', p.side)) AS participants
            FROM events e JOIN event_participants p ON p.event_id = e.id
            WHERE e.type = ANY(:types) AND e.status = :status
              AND (e.event_date BETWEEN :low AND :high
                   -- Undated (a planned visit "soon"): the same pair, announced recently.
                   OR (CAST(:date AS date) IS NULL AND e.event_date IS NULL
                       AND e.first_seen_at > now() - make_interval(days => :undated_days)))
            GROUP BY e.id
            """
        ),
        {
            "types": family_types,
            "status": event.status,
            "date": event.date,
            "low": event.date - window if event.date else None,
            "high": event.date + window if event.date else None,
            "undated_days": UNDATED_MERGE_DAYS,
        },
    ).all()
    matches = [
        row
        for row in candidates
        if same_event(
            event,
            ExtractedEvent(
                type=row.type,
                status=row.status,
                date=row.event_date,
                date_source=row.date_source,
                participants=[Participant(**p) for p in row.participants],
                evidence="",
                confidence=0.0,
            ),
        )
    ]
    if not matches:
        return None
    if event.date is None:
        return matches[-1].id
    closest = min(matches, key=lambda row: abs((row.event_date - event.date).days))
    return closest.id


def _add_participants(conn: Connection, event_id: int, participants: list[Participant]) -> bool:
    added = False
    for participant in participants:
        result = conn.execute(
            sa.text(
                """
                INSERT INTO event_participants (event_id, name, side, role, camp)
                VALUES (:event_id, :name, :side, :role, :camp)
                ON CONFLICT (event_id, name) DO UPDATE
                    SET role = COALESCE(event_participants.role, EXCLUDED.role),
                        side = COALESCE(event_participants.side, EXCLUDED.side),
                        camp = COALESCE(event_participants.camp, EXCLUDED.camp)
                RETURNING (xmax = 0) AS inserted
                """
            ),
            {"event_id": event_id, **participant.model_dump()},
        ).scalar_one()
        added = added or bool(result)
    return added


def _add_mention(
    conn: Connection, event_id: int, article_id: int, event: ExtractedEvent, version: str
) -> None:
    conn.execute(
        sa.text(
            """
            INSERT INTO event_mentions (event_id, article_id, evidence, confidence, extracted,
                                        extractor_version)
            VALUES (:event_id, :article_id, :evidence, :confidence,
                    CAST(:extracted AS jsonb), :version)
            ON CONFLICT (event_id, article_id) DO UPDATE
                SET evidence = EXCLUDED.evidence, confidence = EXCLUDED.confidence,
                    extracted = EXCLUDED.extracted, extractor_version = EXCLUDED.extractor_version
            """
        ),
        {
            "event_id": event_id,
            "article_id": article_id,
            "evidence": event.evidence,
            "confidence": event.confidence,
            "extracted": event.model_dump_json(),
            "version": version,
        },
    )


def _merge_into(conn: Connection, event_id: int, event: ExtractedEvent) -> bool:
    """Let a new report complete an existing event; True when anything changed."""
    row = conn.execute(
        sa.text(
            "SELECT type, event_date, date_source, location, country FROM events WHERE id = :id"
        ),
        {"id": event_id},
    ).one()
    updates: dict[str, object] = {}
    # A city is more exact than no place or only a country ("in Libya" → "in Tripoli").
    vague_place = row.location is None or row.location == row.country
    if vague_place and event.location and event.location != event.country:
        updates |= {"location": event.location, "country": event.country}
    if row.date_source == "published" and event.date_source == "text" and event.date:
        updates |= {"event_date": event.date, "date_source": "text"}
    if TYPE_PRECEDENCE.index(event.type) < TYPE_PRECEDENCE.index(row.type):
        updates |= {"type": event.type, "plover": event.plover}
    if updates:
        assignments = ", ".join(f"{column} = :{column}" for column in updates)
        conn.execute(
            sa.text(f"UPDATE events SET {assignments}, updated_at = now() WHERE id = :id"),
            {"id": event_id, **updates},
        )
    conn.execute(
        sa.text("UPDATE events SET confidence = GREATEST(confidence, :c) WHERE id = :id"),
        {"id": event_id, "c": event.confidence},
    )
    return bool(updates)


def save_event(
    conn: Connection, *, article_id: int, event: ExtractedEvent, extractor_version: str
) -> StoredEvent:
    """Store one extracted event: merged into its real-world event, or as a new one."""
    existing = find_matching_event(conn, event)
    if existing is not None:
        changed = _merge_into(conn, existing, event)
        changed = _add_participants(conn, existing, event.participants) or changed
        if changed:
            # A new revision: channels that want updates hear about it once.
            conn.execute(
                sa.text(
                    "UPDATE events SET updated_at = now(), revision = revision + 1 WHERE id = :id"
                ),
                {"id": existing},
            )
        _add_mention(conn, existing, article_id, event, extractor_version)
        return StoredEvent(existing, created=False, changed=changed)
    event_id = conn.execute(
        sa.text(
            """
            INSERT INTO events (type, plover, status, event_date, date_source, location,
                                country, confidence, extractor_version)
            VALUES (:type, :plover, :status, :date, :date_source, :location, :country,
                    :confidence, :version)
            RETURNING id
            """
        ),
        {
            **event.model_dump(
                include={
                    "type",
                    "plover",
                    "status",
                    "date",
                    "date_source",
                    "location",
                    "country",
                    "confidence",
                }
            ),
            "version": extractor_version,
        },
    ).scalar_one()
    _add_participants(conn, event_id, event.participants)
    _add_mention(conn, event_id, article_id, event, extractor_version)
    return StoredEvent(event_id, created=True, changed=False)
