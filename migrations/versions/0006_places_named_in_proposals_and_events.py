"""places named in proposals and events (ISO 3166-2 codes)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 21:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('proposal', 'event')


def upgrade() -> None:
    # A JSON list of codes: the same column type on SQLite (text) and PostgreSQL (json). Plain
    # ADD COLUMN, never a batch copy: recreating a parent table on SQLite would cascade-delete
    # its reactions. Rows already there name no place ('[]') until the next import says otherwise.
    for table in TABLES:
        op.add_column(table, sa.Column('places', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    for table in TABLES:
        # SQLite 3.35+ drops a column in place (no copy, so no cascade); PostgreSQL as usual.
        op.execute(f'ALTER TABLE {table} DROP COLUMN places')
