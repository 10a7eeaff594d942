"""date ends for as-of views

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 00:07:46.444193
"""
import calendar
import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _last_day(start: dt.date, precision: str) -> dt.date:
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == "year":
        return start.replace(month=12, day=31)
    return start  # day; approximate without a known bound (the importer refines it from `until`)


def _backfill(table: str, column: str) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(f"SELECT id, {column}, {column}_precision FROM {table} WHERE {column} IS NOT NULL")
    ).all()
    for row_id, start, precision in rows:
        if isinstance(start, str):  # SQLite hands dates back as text
            start = dt.date.fromisoformat(start)
        connection.execute(
            sa.text(f"UPDATE {table} SET {column}_end = :end WHERE id = :id"),
            {"end": _last_day(start, precision), "id": row_id},
        )


def upgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('occurred_on_end', sa.Date(), nullable=True))

    with op.batch_alter_table('reaction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stated_on_end', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reaction_stated_on_end'), ['stated_on_end'], unique=False)

    # Existing rows get their end now, so "as of" views work before the next import.
    _backfill("reaction", "stated_on")
    _backfill("event", "occurred_on")



def downgrade() -> None:
    with op.batch_alter_table('reaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reaction_stated_on_end'))
        batch_op.drop_column('stated_on_end')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('occurred_on_end')

