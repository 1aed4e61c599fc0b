"""Whether the run that left a row behind is still alive, asked of PostgreSQL itself.

A crawl leaves ``crawl_reports`` rows ``running`` and the alert stage leaves outbox rows
``sending`` while it works. When its process is killed, or loses the database for good,
those rows stay so. Rather than guess from their age, every live run holds a session-level
*advisory lock* named after its run id, on a connection of its own, for as long as it runs
(the crawl's parent and its Scrapy child both hold it, shared). PostgreSQL drops the lock
the moment that session ends, however the process died. A later run that can take the
lock exclusively knows, at once and for certain, that nobody is working on those rows.

(A run whose connection dropped while its process lives on — a database restart — loses
its lock too; a later run may then close its rows early. Each run's own final write
overwrites such a row with the truth, so nothing is lost, the report is only early.)
"""

from __future__ import annotations

from typing import Any

# The first key of the two-key advisory lock: one per kind of run, so that a crawl run id
# and an alert run token never collide. ("lt" + 1 / 2.)
CRAWL_RUN = 0x6C74_0001
ALERT_RUN = 0x6C74_0002

HOLD = "SELECT pg_advisory_lock_shared(%(kind)s, hashtext(%(run)s))"
TRY_EXCLUSIVE = "SELECT pg_try_advisory_lock(%(kind)s, hashtext(%(run)s))"
RELEASE = "SELECT pg_advisory_unlock(%(kind)s, hashtext(%(run)s))"


def hold(cursor: Any, kind: int, run: str) -> None:
    """Mark ``run`` alive for as long as the session of ``cursor`` lasts.

    ``cursor``: anything with ``execute(sql, params)`` in psycopg's ``%(name)s`` style — a
    psycopg connection, or a SQLAlchemy connection's ``exec_driver_sql``-able DBAPI cursor.
    """
    cursor.execute(HOLD, {"kind": kind, "run": run})


def is_dead(cursor: Any, kind: int, run: str) -> bool:
    """True when no session holds ``run``'s lock: its process is gone (or lost the database).

    Takes and at once releases the lock; call it on a connection in autocommit mode.
    """
    params = {"kind": kind, "run": run}
    got = cursor.execute(TRY_EXCLUSIVE, params).fetchone()[0]
    if got:
        cursor.execute(RELEASE, params)
    return bool(got)
