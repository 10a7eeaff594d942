"""derived table: the timeline's items per date, for everyone, each actor and each proposal

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 21:30:00

Built at import by app/derived.py, in the import's transaction, so the timeline's counts, its
month selector and its axis read one choice's rows instead of grouping every reaction. An
unchanged seed set is re-imported when the derived tables are empty (app.importer), so a
database migrated past this revision gets them at its next `truce import`.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'derived_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('who', sa.String(length=40), nullable=False),
        sa.Column('day', sa.Date(), nullable=True),
        sa.Column('end', sa.Date(), nullable=True),
        sa.Column('precision', sa.Enum('day', 'month', 'year', 'approximate', 'unknown', name='precision', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('rough', sa.Boolean(), nullable=False),
        sa.Column('items', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_derived_day')),
    )
    op.create_index('ix_derived_day_who_day', 'derived_day', ['who', 'day'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_derived_day_who_day', table_name='derived_day')
    op.drop_table('derived_day')
