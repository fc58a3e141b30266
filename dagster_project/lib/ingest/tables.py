"""The tables ingest writes: raw.<system>__<entity>, ledger raw._loads, quarantine raw._rejects."""

from __future__ import annotations

import duckdb

from dagster_project.contracts import Entity, System
from dagster_project.lib.ingest.sql import ident

RAW_SCHEMA = "raw"
LOADS_TABLE = f"{RAW_SCHEMA}._loads"
REJECTS_TABLE = f"{RAW_SCHEMA}._rejects"
LOAD_IDS = f"{RAW_SCHEMA}._load_ids"  # sequence numbering the rows of raw._loads

# Load metadata after the contract's columns in every raw table.
METADATA_COLUMNS: dict[str, str] = {
    "_batch": "VARCHAR",  # the export folder, an ISO date: later batches are newer
    "_load_id": "BIGINT",  # raw._loads.load_id of the load that wrote the row (file, checksum)
    "_loaded_at": "TIMESTAMPTZ",
}

LOADS_COLUMNS: dict[str, str] = {
    "load_id": "BIGINT",  # one per row; raw rows carry the load_id of the load that wrote them
    "source_file": "VARCHAR",
    "system": "VARCHAR",
    "entity": "VARCHAR",
    "batch": "VARCHAR",
    "size_bytes": "BIGINT",
    "sha256": "VARCHAR",
    "rows_read": "BIGINT",
    "rows_loaded": "BIGINT",
    "rows_rejected": "BIGINT",
    "status": "VARCHAR",  # loaded | skipped_unchanged | file_rejected
    "message": "VARCHAR",
    "started_at": "TIMESTAMPTZ",
    "finished_at": "TIMESTAMPTZ",
    "run_id": "VARCHAR",
}

REJECTS_COLUMNS: dict[str, str] = {
    "system": "VARCHAR",
    "entity": "VARCHAR",
    "batch": "VARCHAR",
    "source_file": "VARCHAR",
    "line_number": "BIGINT",
    "raw_line": "VARCHAR",
    "rule": "VARCHAR",
    "reason": "VARCHAR",
    "run_id": "VARCHAR",
    "rejected_at": "TIMESTAMPTZ",
}

STATUS_LOADED = "loaded"
STATUS_SKIPPED = "skipped_unchanged"
STATUS_REJECTED = "file_rejected"


def raw_table(system: System, entity: Entity) -> str:
    return f"{RAW_SCHEMA}.{system.raw_table(entity)}"


def raw_columns(entity: Entity) -> dict[str, str]:
    return {c.name: c.type for c in entity.columns} | METADATA_COLUMNS


def ensure_tables(con: duckdb.DuckDBPyConnection, system: System, entity: Entity) -> bool:
    """Create the ledger, the quarantine and the entity's raw table when missing.

    A raw table whose columns no longer match the contract (the contract changed, or it was
    written by an older loader) is recreated empty and the entity's ledger and rejects are
    cleared, so that every file is loaded again. Returns True when that happened.
    """
    table = raw_table(system, entity)
    expected = {
        LOADS_TABLE: LOADS_COLUMNS,
        REJECTS_TABLE: REJECTS_COLUMNS,
        table: raw_columns(entity),
    }
    existing = _columns(con, list(expected))
    if all(existing.get(name) == _normalised(columns) for name, columns in expected.items()):
        return False
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(f"create sequence if not exists {LOAD_IDS}")
    for name in (LOADS_TABLE, REJECTS_TABLE):
        if existing.get(name) not in (None, _normalised(expected[name])):
            con.execute(f"drop table {name}")
        con.execute(f"create table if not exists {name} ({_ddl(expected[name])})")
    if existing.get(table) == _normalised(expected[table]):
        return False
    con.execute(f"create or replace table {table} ({_ddl(expected[table])})")
    con.execute(
        f"delete from {LOADS_TABLE} where system = ? and entity = ?", [system.name, entity.name]
    )
    con.execute(
        f"delete from {REJECTS_TABLE} where system = ? and entity = ?", [system.name, entity.name]
    )
    return table in existing


def _ddl(columns: dict[str, str]) -> str:
    return ", ".join(f"{ident(name)} {sql_type}" for name, sql_type in columns.items())


def _columns(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, dict[str, str]]:
    """{schema.table: {column: type}} of the tables that exist."""
    found: dict[str, dict[str, str]] = {}
    for table in tables:
        try:
            rows = con.execute("select name, type from pragma_table_info(?)", [table]).fetchall()
        except duckdb.CatalogException:
            continue
        found[table] = dict(rows)
    return found


def _normalised(columns: dict[str, str]) -> dict[str, str]:
    """Column types as DuckDB's catalog spells them."""
    spelled = {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE", "INT": "INTEGER", "TEXT": "VARCHAR"}
    return {
        name: spelled.get(sql_type.upper(), sql_type.upper().replace(" ", ""))
        for name, sql_type in columns.items()
    }
