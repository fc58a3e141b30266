"""Every setting of ProfitLens, read from the environment when asked for (never at import).

Defaults make `make run` work on a laptop with nothing configured; `.env.example` documents
each variable. Relative paths are resolved against the repository root, so the same settings
work from any working directory (DuckDB views and dbt need absolute paths).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from dagster_project.lib.memory import memory_limit

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_models"

PUBLISHED_FILE_NAME = "profitlens.duckdb"
BUILD_FILE_NAME = "profitlens_build.duckdb"


def _path(variable: str, default: str) -> Path:
    path = Path(os.environ.get(variable) or default).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def _amount(variable: str, default: str) -> Decimal:
    """A non-negative amount. dbt pastes it into SQL as it is, so only a plain number may pass."""
    text = (os.environ.get(variable) or default).strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise ValueError(
            f"{variable}={text!r} is not a non-negative number; set it to an amount in the "
            f"reporting currency such as {default} (a dot for decimals, no currency sign)."
        )
    return amount + 0  # + 0 turns -0 into 0


def format_amount(amount: Decimal) -> str:
    """`Decimal("1.2E+3")` -> `"1200"`: plain notation, as SQL reads a number."""
    return format(amount, "f")


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse_dir: Path
    reporting_currency: str
    schedule_timezone: str
    duckdb_memory_limit: str  # DuckDB size syntax, e.g. "14GB"; default: a share of the RAM
    # Cost-to-serve of a CRM case in the reporting currency (docs/model.md, rule 3); dbt reads
    # them as vars cost_per_case and cost_per_case_hour.
    cost_per_case: Decimal
    cost_per_case_hour: Decimal

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
        duckdb_memory_limit=memory_limit("PROFITLENS_DUCKDB_MEMORY_LIMIT"),
        cost_per_case=_amount("PROFITLENS_COST_PER_CASE", "1200"),
        cost_per_case_hour=_amount("PROFITLENS_COST_PER_CASE_HOUR", "40"),
    )
