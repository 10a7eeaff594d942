"""derived tables: what each (who, position, basis) choice reaches, and its counts by day

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 16:40:00

Built at import by app/derived.py, in the import's transaction, so a view reads a few indexed
rows instead of passing over every reaction. The next import fills them.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'derived_reach',
        sa.Column('who', sa.String(length=40), nullable=False),
        sa.Column('position', sa.String(length=16), nullable=False),
        sa.Column('basis', sa.String(length=16), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('known_from', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_derived_reach_proposal_id_proposal'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('who', 'position', 'basis', 'proposal_id', name=op.f('pk_derived_reach')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'derived_count',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('who', sa.String(length=40), nullable=False),
        sa.Column('position', sa.String(length=16), nullable=False),
        sa.Column('basis', sa.String(length=16), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=True),
        sa.Column('proposals', sa.Integer(), nullable=False),
        sa.Column('stances', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_derived_count')),
    )
    op.create_index('ix_derived_count_choice_as_of', 'derived_count', ['who', 'position', 'basis', 'as_of'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_derived_count_choice_as_of', table_name='derived_count')
    op.drop_table('derived_count')
    op.drop_table('derived_reach')
