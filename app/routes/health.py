import datetime as dt

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from app.deps import SessionDep
from app.queries.data_version import latest_data_version
from app.schemas import Health

router = APIRouter()


@router.get("/healthz", response_model=Health, tags=["health"], responses={503: {"model": Health}})
def healthz(session: SessionDep) -> Health | JSONResponse:
    """Liveness plus the data version: a hash of the imported seed files, and when they were imported."""
    try:
        latest = latest_data_version(session)
    except SQLAlchemyError:
        return JSONResponse(
            Health(status="error", data_version=None, imported_at=None, file_count=None).model_dump(mode="json"),
            status_code=503,
        )
    if latest is None:
        return Health(status="ok", data_version=None, imported_at=None, file_count=None)
    # SQLite hands the UTC timestamp back without its zone; OpenAPI's date-time needs one.
    imported_at = latest.imported_at if latest.imported_at.tzinfo else latest.imported_at.replace(tzinfo=dt.UTC)
    file_count = len(latest.files.split(", ")) if latest.files else 0
    return Health(status="ok", data_version=latest.content_hash, imported_at=imported_at, file_count=file_count)
