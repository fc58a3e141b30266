"""The dbt project as Dagster sees it, and keeping its manifest current."""

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from dagster_project.lib.settings import DBT_PROJECT_DIR, format_amount, load_settings

# The venv's dbt, found whether or not the venv is on PATH: dbt's command line as
# dagster_project/lib/dbt_command.py runs it (no cyclic garbage collector, no log lines formatted
# only to be dropped).
DBT_EXECUTABLE = Path(sys.executable).with_name("profitlens-dbt")
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target="build")


def dbt_environment() -> dict[str, str]:
    """What dbt's profile and vars read, from the settings module (validated there).

    profiles.yml and dbt_project.yml read these variables with env_var(); every dbt run gets
    them from here, so a value dbt sees is one the settings accepted.
    """
    settings = load_settings()
    return {
        "PROFITLENS_BUILD_PATH": str(settings.build_path),
        "PROFITLENS_DUCKDB_MEMORY_LIMIT": settings.duckdb_memory_limit,
        "PROFITLENS_REPORTING_CURRENCY": settings.reporting_currency,
        "PROFITLENS_COST_PER_CASE": format_amount(settings.cost_per_case),
        "PROFITLENS_COST_PER_CASE_HOUR": format_amount(settings.cost_per_case_hour),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # dbt's log file at debug level holds every SQL statement it sends; writing it costs
        # dbt's single Python thread seconds a night. Info keeps each node's start, result
        # and error; set DBT_LOG_LEVEL_FILE=debug to trace the statements of a build.
        "DBT_LOG_LEVEL_FILE": os.environ.get("DBT_LOG_LEVEL_FILE", "info"),
    }


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than any project file.

    Dagster builds the dbt assets from the manifest when the definitions load, so it must
    exist first; a whole parse costs several seconds and is skipped when nothing changed.
    """
    manifest = dbt_project.manifest_path
    sources = [
        path
        for folder in ("models", "macros", "data-tests", "seeds", "snapshots")
        for path in (DBT_PROJECT_DIR / folder).rglob("*")
        if path.is_file()
    ] + [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    newest = max(path.stat().st_mtime for path in sources if path.exists())
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return manifest
    subprocess.run(
        [
            str(DBT_EXECUTABLE),
            "parse",
            "--quiet",
            # a whole parse: dbt's partial parse was seen to drop the config of singular
            # tests declared in data-tests/*.yml (their meta.dagster.ref), and with it the
            # reconciliation checks of the facts in Dagster
            "--no-partial-parse",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target",
            "build",
        ],
        check=True,
        env={**os.environ, **dbt_environment()},
    )
    return manifest


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROJECT_DIR),
        target="build",
        dbt_executable=str(DBT_EXECUTABLE),
    )
