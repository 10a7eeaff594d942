"""What was imported last: the seed files' hash and when."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import DataVersion


def latest_data_version(session: Session) -> DataVersion | None:
    return session.scalars(select(DataVersion).order_by(DataVersion.id.desc()).limit(1)).first()
