"""Publish a finished build as the warehouse readers see, atomically.

The build file is copied next to the published file, verified, and renamed over it with
os.replace: readers see the old snapshot or the new one, never a half-written file. Readers
holding the old file open keep reading it until they reconnect.

Verified means: every table of the star schema is there, and the ones that can never be empty
in a good build hold rows. The star schema is every model dbt builds into the marts schema, read
from the dbt manifest, so a fact or dimension added later is guarded without a change here.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

MARTS_SCHEMA = "marts"
# The central fact: a snapshot without order lines has nothing to analyse. Dimensions always
# hold rows too (at least their unknown member); other facts may be empty (no CRM cases yet).
FACT_THAT_MUST_HOLD_ROWS = "marts.fct_order_lines"


class PublishError(RuntimeError):
    pass


@dataclass(frozen=True)
class Published:
    path: Path
    size_bytes: int
    rows_by_table: dict[str, int]


def mart_tables(manifest_path: Path) -> tuple[str, ...]:
    """`marts.<name>` of every enabled dbt model built into the marts schema, sorted."""
    try:
        nodes = json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"]
    except (OSError, ValueError, KeyError) as error:
        raise PublishError(
            f"Not published: cannot read the dbt manifest {manifest_path} to know which marts "
            f"the build must hold ({error})."
        ) from error
    tables = {
        f"{node['schema']}.{node.get('alias') or node['name']}"
        for node in nodes.values()
        if node["resource_type"] == "model"
        and node["schema"] == MARTS_SCHEMA
        and node["config"].get("materialized") != "ephemeral"  # no relation to check
    }
    if FACT_THAT_MUST_HOLD_ROWS not in tables:
        raise PublishError(f"Not published: the dbt manifest {manifest_path} has no marts.")
    return tuple(sorted(tables))


def publish(build_path: Path, published_path: Path, required_tables: tuple[str, ...]) -> Published:
    """Swap `build_path` in as `published_path` once it holds every one of `required_tables`."""
    if not build_path.exists():
        raise PublishError(f"Nothing to publish: the build file {build_path} does not exist.")
    with duckdb.connect(str(build_path)) as con:
        con.execute("checkpoint")  # fold the write-ahead log into the file before copying it
    staging_path = published_path.with_name(f".{published_path.name}.publishing-{os.getpid()}")
    try:
        shutil.copyfile(build_path, staging_path)
        with open(staging_path, "rb") as handle:
            os.fsync(handle.fileno())
        rows = _verify(staging_path, required_tables)
        os.replace(staging_path, published_path)
    finally:
        staging_path.unlink(missing_ok=True)
    return Published(published_path, published_path.stat().st_size, rows)


def _must_hold_rows(table: str) -> bool:
    return table == FACT_THAT_MUST_HOLD_ROWS or table.startswith(f"{MARTS_SCHEMA}.dim_")


def _verify(path: Path, required_tables: tuple[str, ...]) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        present = {
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables() "
                "union all select schema_name, view_name from duckdb_views()"
            ).fetchall()
        }
        missing = [table for table in required_tables if table not in present]
        if missing:
            raise PublishError(
                f"Not published: the build lacks {', '.join(missing)} (every mart of the dbt "
                "project must be there)."
            )
        rows = {
            table: con.execute(f"select count(*) from {table}").fetchall()[0][0]
            for table in required_tables
        }
    empty = [table for table in required_tables if rows[table] == 0 and _must_hold_rows(table)]
    if empty:
        raise PublishError(f"Not published: {', '.join(empty)} is empty in the build.")
    return rows
