from functools import lru_cache
from pathlib import Path

from pydantic import field_validator
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

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")


@lru_cache
def get_settings() -> Settings:
    return Settings()
