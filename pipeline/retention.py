"""Retention: drop raw HTML that is old enough, keep everything made from it.

Raw HTML is the bulk of the database and is only kept so that a newer cleaner can
reprocess a page. Past a configurable age that is no longer worth its space: the HTML is
replaced by '' and ``pages.html_dropped_at`` records when. The page row stays, so its URL
is still known (never crawled again) and its article, events and mentions are untouched.
"""

from __future__ import annotations

import datetime as dt
import logging

import sqlalchemy as sa
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

# Small transactions: dropping months of pages in one UPDATE would hold row locks on all of
# them (the crawler updates pages too) and leave one huge transaction for vacuum to clean.
BATCH_SIZE = 5_000


def drop_raw_html(engine: Engine, older_than: dt.timedelta, *, batch_size: int = BATCH_SIZE) -> int:
    """Empty the raw HTML of pages fetched more than ``older_than`` ago; return how many.

    Idempotent: pages whose HTML was already dropped are not counted again. The space is
    reused by PostgreSQL after (auto)vacuum; it is returned to the OS only by VACUUM FULL.
    """
    if older_than < dt.timedelta(0):
        raise ValueError("older_than must not be negative")
    cutoff = sa.text("SELECT now() - :age").bindparams(age=older_than)
    with engine.connect() as conn:
        # One cutoff for the whole run, so that batches do not chase a moving clock.
        before = conn.execute(cutoff).scalar_one()
    dropped = 0
    while True:
        with engine.begin() as conn:
            count = conn.execute(
                sa.text(
                    """
                    WITH batch AS (
                        SELECT id FROM pages
                        WHERE html_dropped_at IS NULL AND fetched_at < :before
                        ORDER BY fetched_at
                        LIMIT :limit
                        FOR UPDATE SKIP LOCKED
                    )
                    UPDATE pages p SET html = '', html_dropped_at = now()
                    FROM batch WHERE p.id = batch.id
                    """
                ),
                {"before": before, "limit": batch_size},
            ).rowcount
        dropped += count
        if count < batch_size:
            break
    log.info("dropped the raw HTML of %d pages fetched before %s", dropped, before)
    return dropped
