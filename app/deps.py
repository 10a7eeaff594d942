from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from app.errors import BadFilter, NotFound
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
    """No parameter or slug may hold a NUL byte (%00); PostgreSQL text cannot store one.

    The API's parameters say so in their schema; this also covers the pages' paths and parameters.
    """
    if "\x00" in request.scope["path"]:
        raise NotFound(f"There is no page at {request.scope['path'].replace(chr(0), '%00')}: a path cannot hold a NUL byte (%00).")
    for name, value in request.query_params.multi_items():
        if "\x00" in value:
            raise BadFilter(
                f"{name} contains a NUL byte (%00), which no parameter allows.",
                parameter=name,
                value=value.replace("\x00", "%00"),
            )
