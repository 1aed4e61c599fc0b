"""Which alert run claimed an outbox row, so that a dead run's claims are seen at once.

- ``alert_outbox.claimed_by``: the token of the alert run that set the row ``sending``.
  That run holds an advisory lock named after the token while it runs
  (``pipeline.runlocks``); the next run that can take the lock knows the claimer is gone
  and marks its rows ``uncertain`` at once, instead of after a stale-claim window.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE alert_outbox ADD COLUMN claimed_by text")
    op.execute(
        "CREATE INDEX alert_outbox_sending_idx ON alert_outbox (claimed_by) "
        "WHERE status = 'sending'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS alert_outbox_sending_idx")
    op.execute("ALTER TABLE alert_outbox DROP COLUMN IF EXISTS claimed_by")
