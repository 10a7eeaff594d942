from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from app.errors import ClientError
from sqlalchemy.orm import Session

from app.config import Settings


def read_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessionmaker() as session:
        yield session


def app_settings(request: Request) -> Settings:
    return request.app.state.settings


SessionDep = Annotated[Session, Depends(read_session)]
SettingsDep = Annotated[Settings, Depends(app_settings)]


def reject_nul_bytes(request: Request) -> None:
    """No parameter or slug may hold a NUL byte (%00); PostgreSQL text cannot store one."""
    for name, value in [("path", request.scope["path"]), *request.query_params.multi_items()]:
        if "\x00" in value:
            raise ClientError(
                f"{name} contains a NUL byte (%00), which no parameter allows.",
                parameter=name,
                value=value.replace("\x00", "%00"),
            )
