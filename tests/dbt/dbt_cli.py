"""dbt and the ingest as the dbt tests drive them: on a warehouse file of the test's own."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from dagster_project.defs.dbt.resources import DBT_EXECUTABLE
from dagster_project.lib.ingest import load_all
from dagster_project.lib.settings import DBT_PROJECT_DIR, load_settings


def ingest(landing_dir: Path, database: Path) -> None:
    """Every entity of every system in `landing_dir` loaded into `database`."""
    load_all(database, landing_dir)


def run_dbt(
    database: Path, work_dir: Path, command: str, *args: str
) -> subprocess.CompletedProcess:
    """`dbt <command> <args>` on `database` (default settings, reporting currency CNY);
    target and logs stay in `work_dir`."""
    env = {
        **os.environ,
        "PROFITLENS_BUILD_PATH": str(database),
        "PROFITLENS_DUCKDB_MEMORY_LIMIT": load_settings().duckdb_memory_limit,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    env.pop("PROFITLENS_REPORTING_CURRENCY", None)
    return subprocess.run(
        [
            str(DBT_EXECUTABLE), command,
            "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs"),
            *args,
        ],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
