"""Alembic environment: online migrations only, serialised by an advisory lock.

The lock matters because `ltwatch run`, the Airflow tasks and the tests may all call
`upgrade()` at the same moment against the same database.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

# An arbitrary constant shared by every process that migrates this schema.
MIGRATION_LOCK_ID = 0x1715_7A7C

config = context.config
engine = sa.create_engine(config.get_main_option("sqlalchemy.url"), poolclass=sa.pool.NullPool)

with engine.connect() as connection:
    connection.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    connection.commit()
    try:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    finally:
        connection.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
        connection.commit()
engine.dispose()
