"""Opening the warehouse files: one place that knows the connection settings."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dagster_project.lib.settings import Settings


def connect_build(settings: Settings, path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Read-write connection to the build file (or to `path`, a test's or a benchmark's own
    file), with the build's settings. Close it before dbt runs: one writer per file."""
    path = path or settings.build_path
    path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), config={"memory_limit": settings.duckdb_memory_limit})


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """Read-only connection to a warehouse file (the published snapshot, or the build's file
    when no build runs); many readers may hold one at once."""
    if not path.exists():
        raise FileNotFoundError(
            f"No warehouse file at {path}. Build one with `make run` or `profitlens build`."
        )
    return duckdb.connect(str(path), read_only=True)
