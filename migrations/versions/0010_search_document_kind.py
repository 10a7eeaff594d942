"""an index on search_document.kind

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 03:50:00

A search for actors (or for one page's proposals) bounds the full-text match by the span of
rowids their documents hold (app/search.py), instead of matching every document first: at 200k
reactions a common word is in ~90,000 documents. The span of one kind is read through this index.
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_search_document_kind', 'search_document', ['kind'])


def downgrade() -> None:
    op.drop_index('ix_search_document_kind', table_name='search_document')
