"""full-text search: FTS5 on SQLite, a GIN tsvector index on PostgreSQL

Revision ID: 0002
Revises: 0001
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Porter stemming over unicode61 so "rejects" finds "rejected"; content lives in search_document.
SQLITE_FTS = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body,
    content='search_document', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
)
"""
PG_INDEX = """
CREATE INDEX ix_search_document_tsv ON search_document
USING gin (to_tsvector('english', title || ' ' || body))
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(SQLITE_FTS)
    elif dialect == "postgresql":
        op.execute(PG_INDEX)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE search_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX ix_search_document_tsv")
