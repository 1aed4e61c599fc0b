"""Benchmark of the analysts' queries (sql/queries/*.sql) at scale. A script, not a test.

    uv run python bench/bench_queries.py [--articles 1000000] [--events 100000] [--runs 7]

Creates a scratch database (on ``LTWATCH_DATABASE_URL``'s server when set, else on an
embedded PostgreSQL in a temporary directory), migrates it, seeds it server-side with
``INSERT … SELECT generate_series`` (pages, articles with realistic short texts, events
with participants and mentions), runs ANALYZE, then runs every query ``--runs`` times with
its documented default parameters and prints the median and max time, and the top plan
node of any query whose median is over the target (100 ms). The scratch database is
dropped at the end (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import db  # noqa: E402
from pipeline.queries import load_queries  # noqa: E402

TARGET_MS = 100.0


# The seed's vocabulary. Actors: (name, side, camp, role, weight); weights make a few
# principals frequent and most rare, as in the news.
ACTORS = [
    ("Recep Tayyip Erdogan", "turkiye", None, "President", 10),
    ("Hakan Fidan", "turkiye", None, "Foreign Minister", 14),
    ("Ibrahim Kalin", "turkiye", None, "MIT Director", 12),
    ("Yasar Guler", "turkiye", None, "Defence Minister", 8),
    ("Guven Begec", "turkiye", None, "Ambassador to Libya", 6),
    ("Alparslan Bayraktar", "turkiye", None, "Energy Minister", 4),
    ("Omer Bolat", "turkiye", None, "Trade Minister", 3),
    ("Numan Kurtulmus", "turkiye", None, "Speaker of Parliament", 2),
    ("Cevdet Yilmaz", "turkiye", None, "Vice President", 3),
    ("Mevlüt Çavuşoğlu", "turkiye", None, "Foreign Minister", 3),
    ("Khalifa Haftar", "libya", "east", "LNA commander", 10),
    ("Saddam Haftar", "libya", "east", "LNA deputy commander", 8),
    ("Belqasem Haftar", "libya", "east", "Reconstruction Fund head", 3),
    ("Aguila Saleh", "libya", "east", "Speaker of the House of Representatives", 4),
    ("Osama Hammad", "libya", "east", "Prime Minister (east)", 3),
    ("Abdulhamid Dbeibah", "libya", "tripoli", "Prime Minister", 14),
    ("Mohamed al-Menfi", "libya", "tripoli", "Presidential Council head", 8),
    ("Mohamed Takala", "libya", "tripoli", "High Council of State head", 3),
    ("Taher al-Baour", "libya", "tripoli", "Acting Foreign Minister", 4),
    ("Abdulsalam Zoubi", "libya", "tripoli", "Deputy Defence Minister", 3),
    ("Walid Ellafi", "libya", "tripoli", "Minister of State", 2),
    ("Hanna Tetteh", "other", None, "UN envoy", 2),
]
PLACES = [("Ankara", "Türkiye", 10), ("Istanbul", "Türkiye", 6), ("Tripoli", "Libya", 12),
          ("Benghazi", "Libya", 6), ("Misrata", "Libya", 2), ("Sirte", "Libya", 1),
          ("Antalya", "Türkiye", 2), ("Rome", "Italy", 1), ("Cairo", "Egypt", 1)]  # fmt: skip
SOURCES = ["trt", "aa", "dailysabah", "hurriyet", "libyaobserver", "libyaherald", "alwasat",
           "reuters", "afp", "middleeasteye", "aljazeera", "libyareview"]  # fmt: skip
# Sentences an article is assembled from; rare topics (drones, the maritime memorandum)
# give search terms a realistic selectivity.
SENTENCES = [
    "The two sides discussed bilateral relations and regional developments.",
    "Officials reviewed economic cooperation and trade between the two countries.",
    "The talks focused on the political process and the planned elections.",
    "Both delegations stressed the importance of stability and unity in Libya.",
    "The meeting addressed energy projects, electricity supply and oil exports.",
    "They exchanged views on migration across the central Mediterranean.",
    "Security cooperation and military training programmes were on the agenda.",
    "Turkish companies are expected to take part in reconstruction projects.",
    "The visit comes amid renewed diplomatic activity between Ankara and Tripoli.",
    "Sources said the discussions were constructive and would continue.",
    "The ministry published photographs of the meeting on its official account.",
    "Analysts see the contacts as part of a broader regional rapprochement.",
    "The parliament in the east has yet to ratify the agreement.",
    "Flights between Istanbul and Benghazi resumed earlier this year.",
    "The central bank dispute weighed on the talks.",
    "Negotiations on the maritime memorandum of understanding were discussed again.",
    "Turkish drones delivered under the security agreement were mentioned.",
    "Coast guard training and naval port visits were also discussed.",
    "The delegation toured a power station built by a Turkish contractor.",
    "Health cooperation and scholarships for Libyan students were announced.",
]
# The first twelve (generic) sentences are four times as likely as the topical ones.
SENTENCE_POOL = SENTENCES[:12] * 4 + SENTENCES[12:]
OTHER_TOPICS = ["football", "weather", "markets", "tourism", "earthquake", "inflation",
                "elections in Europe", "a film festival", "wheat prices", "the lira"]  # fmt: skip


def sql_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def weighted(values: list[tuple]) -> list[tuple]:
    """Each entry repeated by its weight (last field): picking uniformly is then weighted."""
    return [v[:-1] for v in values for _ in range(v[-1])]


def seed_sql(articles: int, events: int, today: dt.date) -> list[tuple[str, str]]:
    """The seeding statements, as (label, SQL). Everything happens on the server."""
    actors = weighted(ACTORS)
    places = weighted(PLACES)
    days = 12 * 365  # twelve years of history up to today
    start = today - dt.timedelta(days=days)
    return [
        (
            "vocabulary",
            f"""
            CREATE TEMP TABLE v_actor AS
              SELECT row_number() OVER () - 1 AS i, a.* FROM unnest(
                {sql_array([a[0] for a in actors])}, {sql_array([a[1] for a in actors])},
                {sql_array([a[2] or "" for a in actors])}, {sql_array([a[3] for a in actors])}
              ) AS a(name, side, camp, role);
            CREATE TEMP TABLE v_place AS
              SELECT row_number() OVER () - 1 AS i, p.* FROM unnest(
                {sql_array([p[0] for p in places])}, {sql_array([p[1] for p in places])}
              ) AS p(location, country);
            """,
        ),
        (
            f"{articles:,} pages",
            f"""
            INSERT INTO pages (id, source, url, http_status, html, fetched_at)
            SELECT g,
                   ({sql_array(SOURCES)})[1 + abs(hashint8extended(g, 0)) % {len(SOURCES)}],
                   'https://news.example/' || g, 200, '<html><body><p>…</p></body></html>',
                   TIMESTAMPTZ '{start}' + (g::float8 / {articles} * {days}) * interval '1 day'
            FROM generate_series(1::bigint, {articles}) g;
            """,
        ),
        (
            f"{articles:,} articles",
            # Even-numbered articles report events and are written from the sentences above;
            # the others are about other things. hashint8extended(g, seed) gives each article
            # its own sentence choice without a random() call per word.
            f"""
            INSERT INTO articles (id, page_id, source, url, title, published, language, text,
                                  relevant, cleaner_version, extractor_version, cleaned_at)
            SELECT g, g, p.source, p.url,
                   CASE WHEN g % 2 = 0
                        THEN a1.name || ' meets ' || a2.name || ' in ' || pl.location
                        ELSE 'News about ' || t.topic END,
                   p.fetched_at::date, 'en',
                   CASE WHEN g % 2 = 0
                        THEN a1.role || ' ' || a1.name || ' met ' || a2.role || ' ' || a2.name
                             || ' in ' || pl.location || '. '
                             || s[1 + abs(hashint8extended(g, 1)) % {len(SENTENCE_POOL)}] || ' '
                             || s[1 + abs(hashint8extended(g, 2)) % {len(SENTENCE_POOL)}] || ' '
                             || s[1 + abs(hashint8extended(g, 3)) % {len(SENTENCE_POOL)}]
                        ELSE 'A report about ' || t.topic || ' and other matters of the day. '
                             || 'Readers were told about ' || t.topic || ' in detail.' END,
                   g % 2 = 0, 'bench', 'bench', p.fetched_at
            FROM generate_series(1::bigint, {articles}) g
            JOIN pages p ON p.id = g
            CROSS JOIN (SELECT {sql_array(SENTENCE_POOL)} AS s) sentences
            JOIN v_actor a1 ON a1.i = (g * 31) % {len(actors)}
            JOIN v_actor a2 ON a2.i = (g * 17 + 5) % {len(actors)}
            JOIN v_place pl ON pl.i = (g * 13) % {len(places)}
            JOIN (SELECT row_number() OVER () - 1 AS i, topic
                  FROM unnest({sql_array(OTHER_TOPICS)}) topic) t
              ON t.i = g % {len(OTHER_TOPICS)};
            """,
        ),
        (
            f"{events:,} events",
            # Spread over the twelve years, a few planned in the coming weeks; first seen
            # a day after the event. Types weighted towards meetings, as in the news.
            f"""
            INSERT INTO events (id, type, status, event_date, date_source, location, country,
                                confidence, first_seen_at, updated_at, extractor_version)
            SELECT g,
                   (ARRAY['meeting','meeting','meeting','visit','visit','call','call',
                          'agreement','military','other'])[1 + (g * 7) % 10],
                   CASE WHEN g > {events} - 200 THEN 'planned'
                        WHEN g % 97 = 0 THEN 'denied' ELSE 'occurred' END,
                   d, 'text',
                   CASE WHEN (g * 7) % 10 IN (5, 6) THEN NULL ELSE pl.location END,
                   CASE WHEN (g * 7) % 10 IN (5, 6) THEN NULL ELSE pl.country END,
                   0.3 + ((g * 37) % 70) / 100.0,
                   LEAST(d + interval '1 day', now() - (g % 30) * interval '1 day')
                       + (g % 24) * interval '1 hour',
                   d + interval '1 day', 'bench'
            FROM (
                SELECT g, CASE WHEN g > {events} - 200
                               THEN DATE '{today}' + (g % 30)
                               ELSE DATE '{start}' + (g::bigint * {days} / {events - 200})::int
                          END AS d
                FROM generate_series(1, {events}) g
            ) ev
            JOIN v_place pl ON pl.i = (g * 11) % {len(places)};
            """,
        ),
        (
            "participants",
            # One Turkish and one Libyan principal per event, a second Libyan one in a third
            # of them. Picks by hashing the event id into the weighted actor lists.
            """
            WITH tr AS (SELECT array_agg(i ORDER BY i) AS ids FROM v_actor WHERE side = 'turkiye'),
                 ly AS (SELECT array_agg(i ORDER BY i) AS ids FROM v_actor WHERE side = 'libya')
            INSERT INTO event_participants (event_id, name, side, camp, role)
            SELECT DISTINCT ON (e.id, a.name) e.id, a.name, a.side, NULLIF(a.camp, ''), a.role
            FROM events e, tr, ly,
                 LATERAL (VALUES (tr.ids[1 + (e.id * 2654435761) % cardinality(tr.ids)]),
                                 (ly.ids[1 + (e.id * 40503) % cardinality(ly.ids)]),
                                 (CASE WHEN e.id % 3 = 0
                                       THEN ly.ids[1 + (e.id * 7727) % cardinality(ly.ids)]
                                  END)) pick(i)
            JOIN v_actor a ON a.i = pick.i;
            """,
        ),
        (
            "mentions",
            # The relevant articles are dealt out to events: article g reports the event
            # dated near its publication date; events then have ~5 reports (1 to ~12).
            f"""
            INSERT INTO event_mentions (event_id, article_id, evidence, confidence, extracted,
                                        extractor_version, created_at)
            SELECT LEAST(GREATEST(1, (g * {events - 200} / {articles})::int
                                     + ((g * 13) % 5) - 2), {events - 200}),
                   g, split_part(a.text, '. ', 1), 0.3 + ((g * 37) % 70) / 100.0,
                   '{{}}'::jsonb, 'bench', a.cleaned_at
            FROM generate_series(2::bigint, {articles}, 2) g
            JOIN articles a ON a.id = g
            ON CONFLICT DO NOTHING;
            """,
        ),
        (
            "planned mentions",
            f"""
            INSERT INTO event_mentions (event_id, article_id, evidence, confidence, extracted,
                                        extractor_version)
            SELECT e.id, {articles} - 2 * (e.id % 1000), 'A visit is planned.', 0.7,
                   '{{}}'::jsonb, 'bench'
            FROM events e WHERE e.status = 'planned';
            """,
        ),
        (
            "sequences",
            """
            SELECT setval('pages_id_seq', (SELECT max(id) FROM pages));
            SELECT setval('articles_id_seq', (SELECT max(id) FROM articles));
            SELECT setval('events_id_seq', (SELECT max(id) FROM events));
            """,
        ),
    ]


def scratch_server(keep: bool) -> tuple[str, str]:
    """(admin libpq URL, URL of a new scratch database)."""
    name = f"ltwatch_bench_{uuid.uuid4().hex[:8]}"
    configured = os.environ.get("LTWATCH_DATABASE_URL")
    if configured:
        admin = db.libpq_url(configured)
    else:
        import pgserver

        # "delete": the temporary cluster (gigabytes once seeded) goes when the script
        # exits; --keep leaves it running for a look with psql.
        data_dir = Path(tempfile.mkdtemp(prefix="ltwatch-bench-"))
        server = pgserver.get_server(data_dir, cleanup_mode=None if keep else "delete")
        admin = db.libpq_url(server.get_uri())
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin, make_url(admin).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    admin, url = scratch_server(args.keep)
    print(f"database: {make_url(url).render_as_string(hide_password=True)}")
    try:
        started = time.perf_counter()
        db.upgrade(url)
        print(f"migrated in {time.perf_counter() - started:.1f} s")
        with psycopg.connect(db.libpq_url(url), autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            version = conn.execute("SHOW server_version").fetchone()[0]
            print(f"PostgreSQL {version}")
            seed_started = time.perf_counter()
            for label, statement in seed_sql(args.articles, args.events, dt.date.today()):
                step = time.perf_counter()
                conn.execute(statement)
                print(f"  seeded {label} in {time.perf_counter() - step:.1f} s")
            step = time.perf_counter()
            conn.execute("VACUUM ANALYZE")
            print(f"  vacuum analyze in {time.perf_counter() - step:.1f} s")
            seed_s = time.perf_counter() - seed_started
            counts = conn.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), "
                "(SELECT count(*) FROM event_participants), (SELECT count(*) FROM event_mentions)"
            ).fetchone()
            print(
                f"seed: {seed_s:.1f} s for {counts[0]:,} articles, {counts[1]:,} events, "
                f"{counts[2]:,} participants, {counts[3]:,} mentions"
            )
        run_queries(url, args.runs)
    finally:
        db.dispose_engines()
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def run_queries(url: str, runs: int) -> None:
    engine = sa.create_engine(db.sqlalchemy_url(url), poolclass=sa.pool.NullPool)
    print(f"\n{'query':45} {'rows':>7} {'median ms':>10} {'max ms':>9}")
    slow = []
    with engine.connect() as conn:
        # The queries' event_id default (1) is an early event; use a well-reported one.
        busiest = conn.execute(
            sa.text("SELECT event_id FROM event_mentions GROUP BY 1 ORDER BY count(*) DESC "
                    "LIMIT 1")
        ).scalar()  # fmt: skip
        for query in load_queries():
            path, sql, params = query.path, query.sql, dict(query.defaults)
            if "event_id" in params:
                params["event_id"] = busiest
            statement = sa.text(sql)
            timings = []
            rows = 0
            for _ in range(runs):
                started = time.perf_counter()
                rows = len(conn.execute(statement, params).all())
                timings.append((time.perf_counter() - started) * 1000)
                conn.rollback()
            median = statistics.median(timings)
            flag = "" if median < TARGET_MS else "  <-- over target"
            print(f"{path.stem:45} {rows:7} {median:10.1f} {max(timings):9.1f}{flag}")
            if median >= TARGET_MS:
                slow.append((path.stem, statement, params))
        for name, statement, params in slow:
            plan = conn.execute(
                sa.text("EXPLAIN (ANALYZE, BUFFERS) " + statement.text), params
            ).scalars().all()  # fmt: skip
            print(f"\n{name}:\n  " + "\n  ".join(plan[:12]))
    engine.dispose()
    print(f"\n{'all queries under' if not slow else 'over'} {TARGET_MS:.0f} ms median"
          + ("" if not slow else f": {', '.join(s[0] for s in slow)}"))  # fmt: skip


if __name__ == "__main__":
    main()
