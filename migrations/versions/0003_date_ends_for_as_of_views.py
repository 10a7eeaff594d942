"""date ends for as-of views

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 00:07:46.444193
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The importer fills the new columns; `truce import` after `truce migrate` (as `make run` does).
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('occurred_on_end', sa.Date(), nullable=True))

    with op.batch_alter_table('reaction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stated_on_end', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reaction_stated_on_end'), ['stated_on_end'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reaction_stated_on_end'))
        batch_op.drop_column('stated_on_end')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('occurred_on_end')

