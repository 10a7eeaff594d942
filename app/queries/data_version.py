"""What was imported last: the seed files' hash and when."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import DataVersion


def latest_data_version(session: Session) -> DataVersion | None:
    return session.scalars(select(DataVersion).order_by(DataVersion.id.desc()).limit(1)).first()


def data_version_key(session: Session) -> str:
    """The latest import as "id-content_hash" (an import of older seeds is still a new version):
    the one place that says what "the data changed" means; only the two short columns are read."""
    latest = session.execute(
        select(DataVersion.id, DataVersion.content_hash).order_by(DataVersion.id.desc()).limit(1)
    ).first()
    return f"{latest.id}-{latest.content_hash}" if latest else "none"
