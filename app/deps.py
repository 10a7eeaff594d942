from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.config import Settings, get_settings
from app.db import read_session

SessionDep = Annotated[Session, Depends(read_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
