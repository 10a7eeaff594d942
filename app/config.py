import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'truce.db'}"
_EMAIL = re.compile(r"^[^@\s/:]+@[^@\s/]+\.[^@\s/]+$")
ALLOWED_DATABASE_URLS = "sqlite:///PATH/TO/FILE.db or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DBNAME"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    # The one origin every absolute link (canonical, og:url, Atom ids, CSV urls) is built from.
    # Never the request's Host header: that is the client's to choose. Unset, it is http://HOST:PORT.
    base_url: str = ""
    # Host names a request may carry (comma-separated; "*.example.org" allowed). Any other Host is
    # a 400. Unset, it is BASE_URL's host plus the loopback names, for health checks on the box.
    allowed_hosts: Annotated[list[str], NoDecode] = []
    # Strict-Transport-Security and the cross-origin isolation headers; also on when BASE_URL is https.
    hsts: bool = False
    # uvicorn's limits (truce serve): the longest a client may take to send its request headers,
    # how long an idle keep-alive connection stays open, and the most connections served at once.
    header_timeout: float = 10.0
    keep_alive_timeout: float = 5.0
    max_connections: int = 1000
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
    # Where readers report an error: an e-mail address or an http(s) URL, shown on /corrections and
    # at the foot of every permalink. Unset, those pages say how to reach the publisher instead.
    corrections_contact: str = ""

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError(f"BASE_URL {value!r} must start with http:// or https://")
        return value

    @field_validator("corrections_contact")
    @classmethod
    def _check_contact(cls, value: str) -> str:
        value = value.strip()
        if value.lower().startswith("mailto:"):
            value = value[len("mailto:"):]
        parts = urlsplit(value)
        if value and not _EMAIL.match(value) and not (parts.scheme in ("http", "https") and parts.hostname):
            raise ValueError(
                f"CORRECTIONS_CONTACT {value!r} must be an e-mail address (corrections@example.org) "
                "or a URL starting with http:// or https://"
            )
        return value

    @property
    def corrections_contact_href(self) -> str | None:
        """The contact as a link: mailto: for an address, else the URL itself."""
        if not self.corrections_contact:
            return None
        return f"mailto:{self.corrections_contact}" if _EMAIL.match(self.corrections_contact) else self.corrections_contact

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [host.strip() for host in value.split(",") if host.strip()]
        return value

    @model_validator(mode="after")
    def _fill_defaults(self) -> "Settings":
        if not self.base_url:
            self.base_url = f"http://{self.host}:{self.port}"
        if not self.allowed_hosts:
            self.allowed_hosts = list(dict.fromkeys([self.origin_host, "127.0.0.1", "localhost"]))
        return self

    @property
    def origin_host(self) -> str:
        return urlsplit(self.base_url).hostname or "127.0.0.1"

    @property
    def https(self) -> bool:
        return self.hsts or self.base_url.startswith("https://")


@lru_cache
def get_settings() -> Settings:
    return Settings()
