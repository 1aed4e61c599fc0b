"""One settings object, read from the environment (prefix ``LTWATCH_``) and an optional ``.env``.

Secrets (database passwords, alert-channel tokens) only ever come from here or from
Airflow connections, never from files in the repository.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = PROJECT_ROOT / "crawlers" / "sources.yaml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LTWATCH_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy/libpq URL of the PostgreSQL database. Unset: an embedded "
        "PostgreSQL is started from the pgserver wheel in `data_dir`.",
    )
    data_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("ltwatch")),
        description="Per-user directory for the embedded database.",
    )
    alert_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Apprise URLs, space- or comma-separated. Empty: alerts go to the terminal.",
    )
    alerts_file: Path | None = Field(
        default=None,
        description="YAML file of named alert channels with modes and filters "
        "(see alerts.example.yaml); used together with alert_urls.",
    )
    sources: Path = Field(default=DEFAULT_SOURCES, description="Path of the sources YAML file.")
    source_alert_threshold: int = Field(
        default=3,
        ge=1,
        description="Runs in a row a source may fail or yield nothing before the operators "
        "are alerted (once; a recovery notice follows).",
    )
    html_retention_days: int = Field(
        default=180,
        ge=1,
        description="`ltwatch db prune-html` empties raw HTML older than this; clean text "
        "and events are kept.",
    )
    airflow_database_url: str | None = Field(
        default=None,
        description="`ltwatch airflow`: URL of Airflow's metadata database. Unset: a "
        "database `airflow` on the project's PostgreSQL server, created on first use.",
    )
    celery_broker_url: str = Field(
        default="redis://127.0.0.1:6379/0",
        description="`ltwatch airflow --executor celery`: the Redis that brokers task "
        "messages between the scheduler and the Celery workers.",
    )
    turkish_morphology: Literal["rules", "spacy-lookups", "snowball"] = Field(
        default="rules",
        description="How Turkish triggers are read: `rules`, the patterns alone; "
        "`spacy-lookups` or `snowball`, also a contact verb's lemma where no pattern matches "
        "(the `turkish-nlp` extra; measured by bench/bench_turkish_nlp.py).",
    )
    user_agent: str = "libya-turkiye-watch/0.1 (+https://github.com/libya-turkiye-watch)"
    crawl_timeout: int = Field(default=900, description="Seconds one crawl may take in all.")

    @field_validator("alert_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        # Apprise URLs never contain spaces or bare commas outside their query strings'
        # values in practice, so "a, b c" splits on both, as the README documents.
        if isinstance(value, str):
            return [part for part in re.split(r"[\s,]+", value.strip()) if part]
        return value


@cache
def get_settings() -> Settings:
    return Settings()
