"""stance basis (stated or inferred) and the corrections log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 09:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BASIS = sa.Enum('stated', 'inferred', name='basis', native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table('reaction', schema=None) as batch_op:
        # Existing rows are marked 'stated' until the next import says otherwise.
        batch_op.add_column(sa.Column('basis', BASIS, nullable=False, server_default='stated'))
        batch_op.add_column(sa.Column('rationale', sa.Text(), nullable=False, server_default=''))
        batch_op.create_index('ix_reaction_basis_proposal', ['basis', 'proposal_id'], unique=False)
    with op.batch_alter_table('reaction', schema=None) as batch_op:
        # The model sets the values; the defaults above were only for the rows already there.
        batch_op.alter_column('basis', server_default=None)
        batch_op.alter_column('rationale', server_default=None)

    op.create_table('correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('corrected_on', sa.Date(), nullable=False),
    sa.Column('record_kind', sa.Enum('source', 'actor', 'proposal', 'reaction', 'event', name='record_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('record_slug', sa.String(length=160), nullable=False),
    sa.Column('change', sa.Enum('corrected', 'marked-inferred', 'removed', 'added', name='correction_change', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('what_changed', sa.Text(), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('document', sa.String(length=120), nullable=False),
    sa.Column('position_in_log', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_correction_proposal_id_proposal'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_correction'))
    )
    with op.batch_alter_table('correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correction_corrected_on'), ['corrected_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_correction_proposal_id'), ['proposal_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_correction_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_correction_corrected_on'))
    op.drop_table('correction')
    with op.batch_alter_table('reaction', schema=None) as batch_op:
        batch_op.drop_index('ix_reaction_basis_proposal')
        batch_op.drop_constraint(op.f('ck_reaction_basis'), type_='check')
        batch_op.drop_column('rationale')
        batch_op.drop_column('basis')
