from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'truce.db'}"
ALLOWED_DATABASE_URLS = "sqlite:///PATH/TO/FILE.db or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DBNAME"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    # Absolute origin for og:url and share cards; the request's own origin is used when empty.
    base_url: str = ""
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    # The source articles the seeds curate, for `truce check` (quotes verbatim, summaries not copied).
    articles_dir: Path = PROJECT_ROOT.parent / "shared" / "seeds"
    # `truce serve` processes (uvicorn workers); each has its own response cache.
    workers: int = Field(1, ge=1)
    # The in-process response cache (app/cache.py): bytes of rendered responses kept per process;
    # 0 turns it off (ETags and Cache-Control stay). A response over the entry cap is served, not kept.
    response_cache_bytes: int = Field(64 * 1024 * 1024, ge=0)
    response_cache_entry_bytes: int = Field(4 * 1024 * 1024, ge=0)
    # Cache-Control of cacheable responses: seconds browsers and shared caches may reuse them
    # (s-maxage defaults to max-age, so "new data within max-age" holds through nginx or a CDN too).
    cache_max_age: int = Field(60, ge=0)
    cache_s_maxage: int | None = Field(None, ge=0)
    cache_stale_while_revalidate: int = Field(600, ge=0)

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")


@lru_cache
def get_settings() -> Settings:
    return Settings()
