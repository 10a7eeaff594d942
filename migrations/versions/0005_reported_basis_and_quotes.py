"""a third basis, reported (with who reports it), several quotes per reaction, and proposals
whose proposer the source does not name

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 09:00:00

Existing rows: a `stated` reaction whose evidence is someone else's account (an unnamed press
report, another actor's account, an analyst's assessment) was never the actor's own word, so it
becomes `reported`, and `reported_by` is its source's outlet (true of every such row: that is who
relays it) until the next import names who attributes it. Inferred rows stay inferred: our reading
is still ours. Each row's quote becomes its one-item `quotes` list.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECOND_HAND = ('press-report-unnamed', 'second-hand-account', 'analyst-assessment')


def _check(values: tuple[str, ...], column: str) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _swap_check(table: str, name: str, column: str, values: tuple[str, ...]) -> None:
    # The enums are VARCHAR plus a named CHECK (native_enum=False), the same on SQLite and
    # PostgreSQL: widening one is dropping and re-creating its CHECK (SQLite rebuilds the table).
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
        batch_op.create_check_constraint(name, _check(values, column))


def upgrade() -> None:
    _swap_check('reaction', 'basis', 'basis', ('stated', 'reported', 'inferred'))
    _swap_check('correction', 'correction_change', 'change', ('corrected', 'marked-inferred', 'marked-reported', 'removed', 'added'))
    with op.batch_alter_table('reaction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reported_by', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reported_by_actor_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quotes', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_index(batch_op.f('ix_reaction_reported_by_actor_id'), ['reported_by_actor_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_reaction_reported_by_actor_id_actor'), 'actor', ['reported_by_actor_id'], ['id'], ondelete='SET NULL'
        )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposer_unknown', sa.Boolean(), nullable=False, server_default=sa.false()))

    second_hand = ', '.join(repr(v) for v in SECOND_HAND)
    op.execute(
        "UPDATE reaction SET basis = 'reported', "
        "reported_by = (SELECT source.outlet FROM source WHERE source.id = reaction.source_id) "
        f"WHERE basis = 'stated' AND evidence IN ({second_hand})"
    )
    as_list = "json_build_array(quote)" if op.get_bind().dialect.name == 'postgresql' else "json_array(quote)"
    op.execute(f"UPDATE reaction SET quotes = {as_list} WHERE quote <> ''")

    with op.batch_alter_table('reaction', schema=None) as batch_op:
        # The model sets the values; the defaults above were only for the rows already there.
        batch_op.alter_column('reported_by', server_default=None)
        batch_op.alter_column('quotes', server_default=None)
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.alter_column('proposer_unknown', server_default=None)


def downgrade() -> None:
    # Reported rows go back to the only other basis there was for a position someone else relays.
    op.execute("UPDATE reaction SET basis = 'stated' WHERE basis = 'reported'")
    op.execute("UPDATE correction SET change = 'corrected' WHERE change = 'marked-reported'")
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_column('proposer_unknown')
    with op.batch_alter_table('reaction', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reaction_reported_by_actor_id_actor'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reaction_reported_by_actor_id'))
        batch_op.drop_column('quotes')
        batch_op.drop_column('reported_by_actor_id')
        batch_op.drop_column('reported_by')
    _swap_check('correction', 'correction_change', 'change', ('corrected', 'marked-inferred', 'removed', 'added'))
    _swap_check('reaction', 'basis', 'basis', ('stated', 'inferred'))
