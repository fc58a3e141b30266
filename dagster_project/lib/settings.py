"""Every setting of ProfitLens, read from the environment when asked for (never at import).

Defaults make `make run` work on a laptop with nothing configured; `.env.example` documents
each variable. Relative paths are resolved against the repository root, so the same settings
work from any working directory (DuckDB views and dbt need absolute paths).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_models"

PUBLISHED_FILE_NAME = "profitlens.duckdb"
BUILD_FILE_NAME = "profitlens_build.duckdb"


def _path(variable: str, default: str) -> Path:
    path = Path(os.environ.get(variable) or default).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse_dir: Path
    reporting_currency: str
    schedule_timezone: str
    duckdb_memory_limit: str

    @property
    def published_path(self) -> Path:
        """The checked snapshot that the app and SQL users read (read-only)."""
        return self.warehouse_dir / PUBLISHED_FILE_NAME

    @property
    def build_path(self) -> Path:
        """The file the build writes; readers never open it."""
        return self.warehouse_dir / "build" / BUILD_FILE_NAME


def load_settings() -> Settings:
    currency = (os.environ.get("PROFITLENS_REPORTING_CURRENCY") or "CNY").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValueError(
            f"PROFITLENS_REPORTING_CURRENCY={currency!r} is not an ISO 4217 code; "
            "set it to a three-letter code such as CNY, USD or EUR."
        )
    return Settings(
        landing_dir=_path("PROFITLENS_LANDING_DIR", "data/landing"),
        warehouse_dir=_path("PROFITLENS_WAREHOUSE_DIR", "data/warehouse"),
        reporting_currency=currency,
        schedule_timezone=os.environ.get("PROFITLENS_SCHEDULE_TIMEZONE") or "UTC",
        duckdb_memory_limit=os.environ.get("PROFITLENS_DUCKDB_MEMORY_LIMIT") or "8GB",
    )
