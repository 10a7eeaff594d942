from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from app.errors import BadFilter, NotFound, is_control, preview
from sqlalchemy.orm import Session

from app.config import Settings


def read_session(request: Request) -> Iterator[Session]:
    # At most one os.stat per request: a swapped-in database file is picked up here (app.db.LiveDatabase).
    with request.app.state.sessionmaker() as session:
        yield session


def app_settings(request: Request) -> Settings:
    return request.app.state.settings


SessionDep = Annotated[Session, Depends(read_session)]
SettingsDep = Annotated[Settings, Depends(app_settings)]


def check_request_text(request: Request) -> None:
    """Every route's path and query string, checked once: no control characters (NUL, %1C, U+2028),
    which no slug or filter holds and which `strip()` would silently turn into "no filter", and no
    parameter given twice, which would otherwise be a silent last-wins.

    The API's parameters say so in their schema; this also covers the pages' paths and parameters.
    """
    path = request.scope["path"]
    if any(is_control(c) for c in path):
        raise NotFound(f"There is no page at {preview(path)}: a path cannot hold a control character such as a NUL byte (%00).")
    seen: set[str] = set()
    for name, value in request.query_params.multi_items():
        if name in seen:
            raise BadFilter(
                f"{preview(name)} is given more than once; give each parameter at most once.",
                parameter=name,
                value=value,
                allowed=["one value"],
            )
        seen.add(name)
        if any(is_control(c) for c in value):
            raise BadFilter(
                f"{preview(name)} '{preview(value)}' contains a control character, which no parameter allows "
                "(such as a NUL byte (%00), %1C or U+2028).",
                parameter=name,
                value=value,
            )
