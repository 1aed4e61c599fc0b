"""Postgres for analysts: the worked queries in sql/queries/, the views, search, the
read-only role and raw-HTML retention, against a real, seeded PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection, Engine, make_url

from pipeline import db, store
from pipeline.queries import QUERIES_DIR, find_query, load_query
from pipeline.records import CleanArticle, ExtractedEvent, Participant
from pipeline.retention import drop_raw_html
from tests.conftest import ltwatch

QUERY_FILES = sorted(QUERIES_DIR.glob("*.sql"))
READER = "ltwatch_reader"
VIEWS = ["v_events", "v_event_participants", "v_event_sources", "v_articles", "v_meetings",
         "v_actors"]  # fmt: skip


def run(conn: Connection, name: str, **params: object) -> list[sa.Row]:
    """Run sql/queries/<name>.sql with its documented defaults, overridden by ``params``."""
    query = find_query(name)
    return conn.execute(sa.text(query.sql), {**query.defaults, **params}).all()


# ------------------------------------------------------------------------- the seed data

TODAY = dt.date.today()
KALIN = Participant(name="Ibrahim Kalin", side="turkiye", role="MIT Director")
FIDAN = Participant(name="Hakan Fidan", side="turkiye", role="Foreign Minister")
ERDOGAN = Participant(name="Recep Tayyip Erdogan", side="turkiye", role="President")
CAVUSOGLU = Participant(name="Mevlüt Çavuşoğlu", side="turkiye", role="Foreign Minister")
HAFTAR = Participant(name="Khalifa Haftar", side="libya", role="LNA commander")
SADDAM = Participant(name="Saddam Haftar", side="libya", role="LNA deputy commander")
DBEIBAH = Participant(name="Abdulhamid Dbeibah", side="libya", role="Prime Minister")
MENFI = Participant(name="Mohamed al-Menfi", side="libya", role="Presidential Council head")
CAMPS = {
    "Khalifa Haftar": "east",
    "Saddam Haftar": "east",
    "Abdulhamid Dbeibah": "tripoli",
    "Mohamed al-Menfi": "tripoli",
}

# key: (type, status, days from today, location, participants, confidence,
#       reports as (source, days from today published, title, text), first seen days ago)
EVENTS: dict[str, tuple] = {
    "kalin_haftar": (
        "meeting", "occurred", -10, "Benghazi", [KALIN, HAFTAR], 0.9,
        [
            ("wire", -10, "Kalin meets Haftar in Benghazi",
             "Turkish intelligence chief Ibrahim Kalin met Khalifa Haftar in Benghazi on "
             "Monday. Talks covered the delivery of Turkish drones and maritime negotiations."),
            ("trt", -9, "Kalın in Benghazi",
             "İbrahim Kalın held talks with Haftar in Benghazi about reconstruction."),
            ("observer", -9, "A spy chief in the east",
             "Kalin and Haftar met in Benghazi, a first for the eastern commander."),
            ("aa", -9, "MIT chief visits Benghazi",
             "The MIT director met Khalifa Haftar in Benghazi, sources said."),
        ],
        5,
    ),
    "fidan_dbeibah": (
        "visit", "occurred", -40, "Tripoli", [FIDAN, DBEIBAH], 0.8,
        [
            ("trt", -40, "Fidan in Tripoli",
             "Foreign Minister Hakan Fidan visited Tripoli and met Prime Minister Abdulhamid "
             "Dbeibah to discuss energy cooperation."),
            ("wire", -39, "Turkish minister visits Libya",
             "Hakan Fidan met Abdulhamid Dbeibah in Tripoli; they discussed electricity."),
        ],
        38,
    ),
    "erdogan_menfi_call": (
        "call", "occurred", -1, None, [ERDOGAN, MENFI], 0.4,
        [
            ("observer", -1, "A phone call",
             "Erdogan reportedly spoke by phone with Mohamed al-Menfi about the elections."),
        ],
        0,
    ),
    "fidan_dbeibah_today": (
        "meeting", "occurred", 0, "Ankara", [FIDAN, DBEIBAH, MENFI], 0.85,
        [
            ("aa", 0, "Dbeibah and Menfi in Ankara",
             "Hakan Fidan received Abdulhamid Dbeibah and Mohamed al-Menfi in Ankara today."),
            ("trt", 0, "Libyan leaders in Ankara",
             "Fidan hosted Dbeibah and Menfi in Ankara for talks on migration."),
        ],
        0,
    ),
    "erdogan_visit_planned": (
        "visit", "planned", 14, "Tripoli", [ERDOGAN, DBEIBAH], 0.7,
        [
            ("wire", -2, "Erdogan to visit Tripoli",
             "President Erdogan will visit Tripoli in two weeks to meet Dbeibah."),
        ],
        0,
    ),
    "kalin_saddam": (
        "meeting", "occurred", -70, "Ankara", [KALIN, SADDAM], 0.75,
        [
            ("observer", -70, "Saddam Haftar in Ankara",
             "Saddam Haftar met Ibrahim Kalin in Ankara to discuss military training."),
        ],
        69,
    ),
    "cavusoglu_haftar_old": (
        "meeting", "occurred", -800, "Benghazi", [CAVUSOGLU, HAFTAR], 0.8,
        [
            ("wire", -800, "Çavuşoğlu meets Haftar",
             "Mevlüt Çavuşoğlu met Khalifa Haftar in Benghazi."),
        ],
        799,
    ),
}  # fmt: skip


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def add_article(
    conn: Connection, source: str, published: dt.date, title: str, text: str,
    *, fetched_days_ago: int = 0, html: str = "<html><body>…</body></html>",
) -> int:  # fmt: skip
    url = f"http://example.test/{source}/{uuid.uuid4().hex[:8]}"
    page_id = conn.execute(
        sa.text(
            "INSERT INTO pages (source, url, http_status, html, fetched_at) "
            "VALUES (:s, :u, 200, :html, now() - make_interval(days => :ago)) RETURNING id"
        ),
        {"s": source, "u": url, "html": html, "ago": fetched_days_ago},
    ).scalar_one()
    return store.save_article(
        conn,
        page_id=page_id,
        source=source,
        url=url,
        article=CleanArticle(title=title, text=text, published=published, language="en"),
        relevant=True,
        cleaner_version="test",
        extractor_version="test",
    )


def seed(conn: Connection) -> dict[str, int]:
    """Store every event of EVENTS through pipeline.store; return their ids by key."""
    ids: dict[str, int] = {}
    for key, (type_, status, offset, place, people, conf, reports, seen_ago) in EVENTS.items():
        for source, published, title, text in reports:
            article_id = add_article(
                conn, source, day(published), title, text, fetched_days_ago=-published
            )
            stored = store.save_event(
                conn,
                article_id=article_id,
                event=ExtractedEvent(
                    type=type_,
                    status=status,
                    date=day(offset),
                    date_source="text",
                    location=place,
                    participants=people,
                    evidence=text.split(". ")[0],
                    confidence=conf,
                ),
                extractor_version="test",
            )
            ids.setdefault(key, stored.event_id)
            assert stored.event_id == ids[key], f"{key}: reports must merge into one event"
        conn.execute(
            sa.text("UPDATE events SET first_seen_at = now() - make_interval(days => :d) "
                    "WHERE id = :id"),
            {"d": seen_ago, "id": ids[key]},
        )  # fmt: skip
    # The extractor will fill camps from the gazetteer; here they are set directly.
    for name, camp in CAMPS.items():
        conn.execute(
            sa.text("UPDATE event_participants SET camp = :c WHERE name = :n"),
            {"c": camp, "n": name},
        )
    # An article that reports no event, for search.
    add_article(
        conn, "aa", day(-5), "Negotiations on the maritime deal",
        "Ankara and Tripoli negotiated the maritime memorandum again.",
    )  # fmt: skip
    return ids


@pytest.fixture
def seeded(clean_db: str) -> Iterator[tuple[Engine, dict[str, int]]]:
    engine = db.get_engine(clean_db)
    with engine.begin() as conn:
        ids = seed(conn)
    yield engine, ids


@pytest.fixture
def conn(seeded: tuple[Engine, dict[str, int]]) -> Iterator[Connection]:
    engine, _ = seeded
    with engine.connect() as connection:
        yield connection


@pytest.fixture
def ids(seeded: tuple[Engine, dict[str, int]]) -> dict[str, int]:
    return seeded[1]


def reader_url(database_url: str) -> str:
    """The same database, as ltwatch_reader (trust auth on the test servers)."""
    return make_url(database_url).set(username=READER, password=None).render_as_string(False)


@pytest.fixture
def reader(seeded: tuple[Engine, dict[str, int]], clean_db: str) -> Iterator[Connection]:
    engine = sa.create_engine(reader_url(clean_db), poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT current_user")).scalar() == READER
        yield connection
    engine.dispose()


# ------------------------------------------------------------------------- the queries


def test_there_are_at_least_ten_documented_queries():
    assert len(QUERY_FILES) >= 10
    for path in QUERY_FILES:
        header = path.read_text().splitlines()[0]
        assert header.startswith("-- Question:"), path.name
        # Every bind parameter the SQL uses is documented with a default.
        used = set(re.findall(r"(?<![:\w]):(\w+)(?!:)", path.read_text()))
        assert used == set(load_query(path).defaults), path.name


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_runs_with_its_defaults(conn: Connection, path: Path):
    conn.execute(sa.text(path.read_text()), load_query(path).defaults).all()


def test_meetings_per_month_by_camp(conn: Connection):
    rows = run(conn, "01")
    counts = {(r.month, r.camp): (r.contacts, r.meetings, r.visits, r.calls) for r in rows}
    expected: dict[tuple[dt.date, str], list[int]] = {}
    for type_, status, offset, _, people, *_ in EVENTS.values():
        when = day(offset)
        if status != "occurred" or offset < -700 or when > TODAY:
            continue
        month = when.replace(day=1)
        for camp in {CAMPS[p.name] for p in people if p.side == "libya"}:
            row = expected.setdefault((month, camp), [0, 0, 0, 0])
            row[0] += 1
            row[["meeting", "visit", "call"].index(type_) + 1] += 1
    assert counts == {key: tuple(value) for key, value in expected.items()}
    assert {r.camp for r in rows} == {"east", "tripoli"}


def test_contacts_of_a_person_whatever_the_spelling(conn: Connection, ids: dict[str, int]):
    for spelling in ("Hafter", "Haftar", "HAFTAR"):
        rows = run(conn, "02", person=spelling)
        assert {r.event_id for r in rows} == {
            ids["kalin_haftar"], ids["kalin_saddam"], ids["cavusoglu_haftar_old"]
        }, spelling  # fmt: skip
    rows = run(conn, "02", person="khalifa hafter")
    assert [r.event_id for r in rows] == [ids["kalin_haftar"], ids["cavusoglu_haftar_old"]]
    assert rows[0].counterparts == "Ibrahim Kalin (turkiye)"
    assert rows[0].matched_name == "Khalifa Haftar"
    # Accents folded both ways.
    assert [r.event_id for r in run(conn, "02", person="Cavusoglu")] == [
        ids["cavusoglu_haftar_old"]
    ]
    assert {r.event_id for r in run(conn, "02", person="Kalın")} == {
        ids["kalin_haftar"], ids["kalin_saddam"]
    }  # fmt: skip
    assert run(conn, "02", person="Bashagha") == []


def test_events_with_more_than_three_sources(conn: Connection, ids: dict[str, int]):
    rows = run(conn, "03")
    assert [(r.event_id, r.source_count) for r in rows] == [(ids["kalin_haftar"], 4)]
    assert "Ibrahim Kalin" in rows[0].participants
    assert [r.event_id for r in run(conn, "03", more_than=1)] == [
        ids["kalin_haftar"], ids["fidan_dbeibah_today"], ids["fidan_dbeibah"]
    ]  # fmt: skip


def test_new_events_since_yesterday(conn: Connection, ids: dict[str, int]):
    rows = run(conn, "04")
    assert {r.event_id for r in rows} == {
        ids["erdogan_menfi_call"], ids["fidan_dbeibah_today"], ids["erdogan_visit_planned"]
    }  # fmt: skip


def test_articles_mentioning_a_term_by_stem(conn: Connection):
    [hit] = run(conn, "05", term="drone")  # the text says "drones"
    assert hit.title == "Kalin meets Haftar in Benghazi"
    assert "**drones**" in hit.snippet
    # "negotiate" finds "negotiations" and "negotiated", in titles too; best match first.
    rows = run(conn, "05", term="negotiate")
    assert [r.title for r in rows] == [
        "Negotiations on the maritime deal", "Kalin meets Haftar in Benghazi"
    ]  # fmt: skip
    # Websearch syntax and folded accents.
    assert [r.source for r in run(conn, "05", term='"Kalın held talks"')] == ["trt"]
    assert run(conn, "05", term="drone -Benghazi") == []


def test_contacts_between_two_people(conn: Connection, ids: dict[str, int]):
    rows = run(conn, "06", person_a="Kalin", person_b="Hafter")
    assert [(r.event_id, r.person_b) for r in rows] == [
        (ids["kalin_haftar"], "Khalifa Haftar"), (ids["kalin_saddam"], "Saddam Haftar")
    ]  # fmt: skip
    assert run(conn, "06", person_a="Fidan", person_b="Haftar") == []
    rows = run(conn, "06", person_a="Fidan", person_b="Dbeibah")
    assert [r.event_id for r in rows] == [ids["fidan_dbeibah_today"], ids["fidan_dbeibah"]]


def test_most_active_turkish_officials_this_year(conn: Connection):
    rows = run(conn, "07")
    expected: dict[str, int] = {}
    for _, status, offset, _, people, *_ in EVENTS.values():
        when = day(offset)
        if status == "occurred" and when.year == TODAY.year and when <= TODAY:
            for p in people:
                if p.side == "turkiye":
                    expected[p.name] = expected.get(p.name, 0) + 1
    assert {r.name: r.contacts for r in rows} == expected
    fidan = next(r for r in rows if r.name == "Hakan Fidan")
    assert fidan.latest_role == "Foreign Minister"
    assert fidan.last_contact == TODAY
    assert fidan.libyan_counterparts == 2  # Dbeibah and Menfi, however often


def test_events_by_place(conn: Connection):
    rows = run(conn, "08")
    by_place = {r.location: r.events for r in rows}
    assert by_place == {"Benghazi": 1, "Tripoli": 1, "Ankara": 2,
                        "(no place: calls, statements)": 1}  # fmt: skip
    [ankara] = run(conn, "08", place="ankar")
    assert (ankara.location, ankara.meetings, ankara.last_event) == ("Ankara", 2, TODAY)


def test_planned_visits_upcoming(conn: Connection, ids: dict[str, int]):
    [row] = run(conn, "09")
    assert row.event_id == ids["erdogan_visit_planned"]
    assert row.event_date == day(14)
    assert row.libyan_camps == ["tripoli"]
    assert row.turkish_side == "Recep Tayyip Erdogan (President)"


def test_first_outlet_to_report(conn: Connection, ids: dict[str, int]):
    rows = {r.event_id: r for r in run(conn, "10")}
    first = rows[ids["kalin_haftar"]]
    assert (first.first_source, first.reports, first.outlets) == ("wire", 4, 4)
    assert first.first_published == day(-10)
    assert rows[ids["fidan_dbeibah_today"]].outlets == 2
    assert ids["fidan_dbeibah"] not in rows  # 40 days ago, outside the default 30


def test_single_outlet_low_confidence(conn: Connection, ids: dict[str, int]):
    [row] = run(conn, "11")
    assert (row.event_id, row.source) == (ids["erdogan_menfi_call"], "observer")
    assert float(row.confidence) == pytest.approx(0.4)
    assert {r.event_id for r in run(conn, "11", max_confidence=0.8)} == {
        ids["erdogan_menfi_call"], ids["erdogan_visit_planned"], ids["kalin_saddam"]
    }  # fmt: skip


def test_sources_of_an_event(conn: Connection, ids: dict[str, int]):
    rows = run(conn, "12", event_id=ids["kalin_haftar"])
    assert rows[0].source == "wire"
    assert sorted(r.source for r in rows) == ["aa", "observer", "trt", "wire"]
    assert all(r.url.startswith("http://example.test/") and r.evidence for r in rows)


# ------------------------------------------------------------------------- the views


def test_every_view_and_column_is_documented(conn: Connection):
    undocumented = conn.execute(
        sa.text(
            """
            SELECT c.relname, a.attname
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace
              AND c.relname LIKE 'v\\_%' AND a.attnum > 0 AND NOT a.attisdropped
              AND col_description(c.oid, a.attnum) IS NULL
            UNION ALL
            SELECT c.relname, NULL FROM pg_class c
            WHERE c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace
              AND obj_description(c.oid, 'pg_class') IS NULL
            """
        )
    ).all()
    assert undocumented == []
    views = conn.execute(
        sa.text("SELECT relname FROM pg_class WHERE relkind = 'v' "
                "AND relnamespace = 'public'::regnamespace ORDER BY 1")
    ).scalars().all()  # fmt: skip
    assert sorted(VIEWS) == views


def test_no_view_exposes_raw_html(conn: Connection):
    columns = conn.execute(
        sa.text(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name LIKE 'v\\_%'"
        )
    ).all()
    assert columns and not [c for c in columns if "html" in c.column_name and "dropped" not in
                            c.column_name]  # fmt: skip


def test_participants_carry_their_camp(conn: Connection, ids: dict[str, int]):
    participants = conn.execute(
        sa.text("SELECT participants FROM v_events WHERE id = :id"), {"id": ids["kalin_haftar"]}
    ).scalar_one()
    assert {"name": "Khalifa Haftar", "side": "libya", "camp": "east",
            "role": "LNA commander"} in participants  # fmt: skip
    with pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text("UPDATE event_participants SET camp = 'west'"))


def test_trigram_search_over_actor_names(conn: Connection):
    names = conn.execute(
        sa.text("SELECT DISTINCT name FROM v_event_participants "
                "WHERE CAST(:q AS text) <% name ORDER BY name"), {"q": "Hafter"}
    ).scalars().all()  # fmt: skip
    # pg_trgm's default word_similarity_threshold (0.6) is stricter than the queries' 0.5.
    assert names in ([], ["Khalifa Haftar", "Saddam Haftar"])
    names = (
        conn.execute(
            sa.text("SELECT name FROM v_actors WHERE word_similarity(:q, name) >= 0.5 ORDER BY 1"),
            {"q": "Hafter"},
        )
        .scalars()
        .all()
    )
    assert names == ["Khalifa Haftar", "Saddam Haftar"]
    actors = conn.execute(sa.text("SELECT name, side, camp FROM v_actors ORDER BY name")).all()
    assert len(actors) == 8
    assert ("Saddam Haftar", "libya", "east") in actors


def test_search_column_is_generated_and_indexed(conn: Connection):
    conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(
        conn.execute(
            sa.text(
                "EXPLAIN SELECT id FROM v_articles "
                "WHERE search @@ websearch_to_tsquery('english', 'drone')"
            )
        ).scalars()
    )
    assert "articles_search_idx" in plan
    assert "pages" not in plan  # the unused LEFT JOIN is removed
    conn.rollback()


# ------------------------------------------------------------------------- the reader role


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_reader_runs_every_query(reader: Connection, conn: Connection, path: Path):
    params = load_query(path).defaults
    sql = sa.text(path.read_text())
    assert reader.execute(sql, params).all() == conn.execute(sql, params).all()
    reader.rollback()


REFUSED = [
    "INSERT INTO events (type, status, confidence, extractor_version) "
    "VALUES ('call', 'occurred', 1, 'x')",
    "UPDATE events SET confidence = 0",
    "DELETE FROM event_mentions",
    "TRUNCATE articles",
    "INSERT INTO v_events (id) VALUES (1)",
    "UPDATE v_articles SET text = ''",
    "DELETE FROM v_event_sources",
    "CREATE TABLE notes (id int)",
    "CREATE TEMP TABLE notes (id int)",
    "CREATE VIEW v_mine AS SELECT 1",
    "DROP VIEW v_events",
    "ALTER VIEW v_events RENAME TO v_gone",
    "COMMENT ON VIEW v_events IS 'mine'",
    "SELECT html FROM pages",
    "SELECT * FROM articles",
    "SELECT * FROM alert_outbox",
]


@pytest.mark.parametrize("read_write", [False, True], ids=["default", "read-write-session"])
@pytest.mark.parametrize("statement", REFUSED)
def test_reader_cannot_write_or_read_tables(reader: Connection, statement: str, read_write: bool):
    if read_write:
        # default_transaction_read_only is only a default: a session can turn it off, and
        # the privileges must still refuse everything.
        reader.execute(sa.text("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"))
        reader.commit()
    with pytest.raises(sa.exc.DBAPIError) as refused:
        reader.execute(sa.text(statement))
    # Views that are not updatable are refused before any privilege check.
    allowed: tuple[type[Exception], ...] = (
        psycopg.errors.InsufficientPrivilege,
        psycopg.errors.ObjectNotInPrerequisiteState,
    )
    if not read_write:
        allowed += (psycopg.errors.ReadOnlySqlTransaction,)
    assert isinstance(refused.value.orig, allowed), refused.value.orig
    reader.rollback()


def test_reader_is_read_only_by_default(reader: Connection):
    assert reader.execute(sa.text("SHOW default_transaction_read_only")).scalar() == "on"


# ------------------------------------------------------------------------- retention


def test_retention_drops_old_html_and_keeps_text_and_events(clean_db: str):
    engine = db.get_engine(clean_db)
    with engine.begin() as conn:
        old = add_article(conn, "trt", day(-200), "Old", "Old text about drones.",
                          fetched_days_ago=200, html="<html>old</html>")  # fmt: skip
        new = add_article(conn, "trt", day(-10), "New", "New text.", fetched_days_ago=10,
                          html="<html>new</html>")  # fmt: skip
        event = store.save_event(
            conn,
            article_id=old,
            event=ExtractedEvent(type="meeting", date=day(-200), participants=[KALIN, HAFTAR],
                                 evidence="Old text.", confidence=0.9),
            extractor_version="test",
        )  # fmt: skip
    assert drop_raw_html(engine, dt.timedelta(days=90)) == 1
    assert drop_raw_html(engine, dt.timedelta(days=90)) == 0  # idempotent
    with engine.connect() as conn:
        pages = conn.execute(
            sa.text("SELECT a.id, p.html, p.html_dropped_at IS NOT NULL AS dropped, p.url "
                    "FROM pages p JOIN articles a ON a.page_id = p.id ORDER BY a.id")
        ).all()  # fmt: skip
        assert [(p.id, p.html, p.dropped) for p in pages] == [
            (old, "", True), (new, "<html>new</html>", False)
        ]  # fmt: skip
        article = conn.execute(
            sa.text("SELECT text, raw_html_dropped_at FROM v_articles WHERE id = :id"),
            {"id": old},
        ).one()
        assert article.text == "Old text about drones." and article.raw_html_dropped_at
        assert (
            conn.execute(
                sa.text("SELECT source_count FROM v_events WHERE id = :id"), {"id": event.event_id}
            ).scalar_one()
            == 1
        )
    # Everything older than a day goes with a shorter age.
    assert drop_raw_html(engine, dt.timedelta(days=1)) == 1


# ------------------------------------------------------------------------- the migration


def test_migration_downgrades_and_upgrades_again(database_url: str):
    """0002 down and up on a scratch database of the same server: the reader role is
    shared with the session database, so its DROP ROLE must give way, not fail."""
    name = f"ltwatch_mig_{uuid.uuid4().hex[:8]}"
    admin = db.libpq_url(database_url)
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    url = make_url(database_url).set(database=name).render_as_string(False)
    try:
        db.upgrade(url)
        command.downgrade(db.alembic_config(url), "0001")
        assert db.current_revision(url) == "0001"
        with db.get_engine(url).connect() as c:
            assert c.execute(sa.text("SELECT to_regclass('v_articles')")).scalar() is None
            assert c.execute(sa.text("SELECT count(*) FROM v_events")).scalar() == 0
        db.upgrade(url)
        assert db.current_revision(url) not in (None, "0001")  # head: later migrations too
        with db.get_engine(url).connect() as c:
            assert c.execute(
                sa.text("SELECT has_table_privilege(:r, 'v_articles', 'SELECT'), "
                        "has_table_privilege(:r, 'pages', 'SELECT')"), {"r": READER}
            ).one() == (True, False)  # fmt: skip
    finally:
        db.get_engine(url).dispose()
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_ltwatch_query_runs_a_worked_query_by_its_number(seeded, clean_db: str):
    result = ltwatch(
        "query", "12", "-p", "event_id=1", env={"LTWATCH_DATABASE_URL": clean_db}, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "12_sources_of_an_event" in result.stdout and "url" in result.stdout
