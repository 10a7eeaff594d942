"""translations of the records' text (uk, ru), and search documents per language

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 10:00:00

`translations` holds, per language, the text of every translatable field of every record
(seeds/translations/<locale>.yaml); a reaction's quotes one row per quote, `position` its index.

Search documents get a `locale`. English keeps its stemming; Ukrainian and Russian get none:
- SQLite: `search_fts` (Porter over unicode61, as in 0002) now indexes the English rows only,
  through the view `search_fts_en_rows`; `search_fts_plain` indexes the uk and ru rows through
  `search_fts_translated_rows` with unicode61 alone (case folding, Cyrillic included; no stemmer).
- PostgreSQL: a second GIN index on to_tsvector('simple', …) for the uk and ru rows.
Rows already there are English ('en'); the next import adds the other languages.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    "DROP TABLE search_fts",
    "CREATE VIEW search_fts_en_rows AS SELECT id, title, body FROM search_document WHERE locale = 'en'",
    "CREATE VIEW search_fts_translated_rows AS SELECT id, title, body FROM search_document WHERE locale <> 'en'",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body,
    content='search_fts_en_rows', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
)""",
    """CREATE VIRTUAL TABLE search_fts_plain USING fts5(
    title, body,
    content='search_fts_translated_rows', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
)""",
    "INSERT INTO search_fts(search_fts) VALUES('rebuild')",
    "INSERT INTO search_fts_plain(search_fts_plain) VALUES('rebuild')",
]
SQLITE_DOWN = [
    "DROP TABLE search_fts_plain",
    "DROP TABLE search_fts",
    "DROP VIEW search_fts_translated_rows",
    "DROP VIEW search_fts_en_rows",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body,
    content='search_document', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
)""",
    "INSERT INTO search_fts(search_fts) VALUES('rebuild')",
]
PG_INDEX = """
CREATE INDEX ix_search_document_tsv_simple ON search_document
USING gin (to_tsvector('simple', title || ' ' || body))
"""


def upgrade() -> None:
    op.create_table('translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_kind', sa.Enum('source', 'actor', 'proposal', 'reaction', 'event', name='record_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('record_slug', sa.String(length=160), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translations')),
    sa.UniqueConstraint('locale', 'record_kind', 'record_slug', 'field', 'position', name=op.f('uq_translations_locale')),
    )
    # Plain ADD COLUMN (no batch copy of the table): the search rows are rebuilt by every import.
    op.add_column('search_document', sa.Column('locale', sa.String(length=8), nullable=False, server_default='en'))
    op.create_index(op.f('ix_search_document_locale'), 'search_document', ['locale'], unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for statement in SQLITE_UP:
            op.execute(statement)
    elif dialect == 'postgresql':
        op.execute(PG_INDEX)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    # Only the English rows existed before: the others go with the column.
    op.execute("DELETE FROM search_document WHERE locale <> 'en'")
    if dialect == 'sqlite':
        for statement in SQLITE_DOWN[:4]:
            op.execute(statement)
    elif dialect == 'postgresql':
        op.execute('DROP INDEX ix_search_document_tsv_simple')
    op.drop_index(op.f('ix_search_document_locale'), table_name='search_document')
    # SQLite 3.35+ drops a column in place (no copy); PostgreSQL as usual.
    op.execute('ALTER TABLE search_document DROP COLUMN locale')
    if dialect == 'sqlite':
        for statement in SQLITE_DOWN[4:]:
            op.execute(statement)
    op.drop_table('translations')
