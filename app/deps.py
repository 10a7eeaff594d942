from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from app.errors import BadFilter, Code, NotFound, Text, is_control, preview_text
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
        raise NotFound(
            Text.gettext(
                "There is no page at %(path)s: a path cannot hold a control character such as a NUL byte (%%00).",
                path=Code(preview_text(path)),
            )
        )
    seen: set[str] = set()
    for name, value in request.query_params.multi_items():
        if name in seen:
            raise BadFilter(
                Text.gettext("%(parameter)s is given more than once; give each parameter at most once.", parameter=Code(preview_text(name))),
                parameter=name,
                value=value,
                allowed=[Text.gettext("one value")],
            )
        seen.add(name)
        if any(is_control(c) for c in value):
            raise BadFilter(
                Text.gettext(
                    "%(parameter)s '%(value)s' contains a control character, which no parameter allows "
                    "(such as a NUL byte (%%00), %%1C or U+2028).",
                    parameter=Code(preview_text(name)),
                    value=Code(preview_text(value)),
                ),
                parameter=name,
                value=value,
            )
