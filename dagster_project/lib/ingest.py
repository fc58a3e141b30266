"""Load export files into raw.<system>__<entity> with DuckDB's reader and the declared contract.

Nothing sniffs types: the reader gets the contract's columns and formats. Files in encodings
DuckDB cannot read (GB18030) are transcoded to UTF-8 in a stream, chunk by chunk.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dagster_project.contracts import Entity, System

RAW_SCHEMA = "raw"
_TRANSCODE_CHUNK = 4 << 20
_DUCKDB_NATIVE_ENCODINGS = {"utf-8", "utf-8-sig", "utf8"}
METADATA_COLUMNS = {
    "_batch": "VARCHAR",  # the export folder, an ISO date: later batches are newer
    "_source_file": "VARCHAR",
    "_loaded_at": "TIMESTAMPTZ",
}


class ExportFileError(ValueError):
    """An export file that does not match its contract; the message says what to fix."""


@dataclass(frozen=True)
class EntityLoad:
    table: str
    files: list[Path]
    rows_by_file: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.rows_by_file.values())


def export_files(landing_dir: Path, system: System, entity: Entity) -> list[Path]:
    """Every export of this entity, oldest batch first: landing/<system>/<batch>/<entity>.<ext>."""
    return sorted((Path(landing_dir) / system.name).glob(f"*/{system.file_name(entity)}"))


def create_raw_table(con: duckdb.DuckDBPyConnection, system: System, entity: Entity) -> str:
    """(Re)create the entity's empty raw table with the contract's columns and load metadata."""
    table = f"{RAW_SCHEMA}.{system.raw_table(entity)}"
    columns = [(c.name, c.type) for c in entity.columns] + list(METADATA_COLUMNS.items())
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(
        f"create or replace table {table} ("
        + ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns)
        + ")"
    )
    return table


def load_entity(
    con: duckdb.DuckDBPyConnection, landing_dir: Path, system: System, entity: Entity
) -> EntityLoad:
    """Replace the entity's raw table with the rows of all its export files."""
    table = create_raw_table(con, system, entity)
    files = export_files(landing_dir, system, entity)
    rows_by_file = {}
    for path in files:
        with _utf8_copy(path, system.encoding) as readable:
            try:
                inserted = con.execute(
                    f"insert into {table} select *, ? as _batch, ? as _source_file, now() as _loaded_at "
                    f"from {read_csv_sql(system, entity)}",
                    [path.parent.name, str(path), str(readable)],
                ).fetchone()[0]
            except duckdb.Error as error:
                raise ExportFileError(
                    f"{path}: does not match the {system.name}.{entity.name} contract "
                    f"(see docs/sources.md): {error}"
                ) from error
        rows_by_file[str(path)] = inserted
    return EntityLoad(table, files, rows_by_file)


def read_csv_sql(system: System, entity: Entity) -> str:
    """A DuckDB read_csv call for one file (bound as the last parameter) by the contract."""
    columns = ", ".join(f"'{c.name}': '{c.type}'" for c in entity.columns)
    return (
        f"read_csv(?, columns = {{{columns}}}, header = true, auto_detect = false, "
        f"delim = '{system.delimiter}', quote = '\"', escape = '\"', "
        f"dateformat = '{system.date_format}', timestampformat = '{system.timestamp_format}')"
    )


@contextmanager
def _utf8_copy(path: Path, encoding: str) -> Iterator[Path]:
    """The file itself when DuckDB reads its encoding, else a streamed UTF-8 transcoding of it."""
    if encoding.lower() in _DUCKDB_NATIVE_ENCODINGS:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="profitlens-transcode-") as tmp:
        target = Path(tmp) / path.name
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        with open(path, "rb") as source, open(target, "w", encoding="utf-8", newline="") as sink:
            offset = 0
            try:
                while chunk := source.read(_TRANSCODE_CHUNK):
                    sink.write(decoder.decode(chunk))
                    offset += len(chunk)
                sink.write(decoder.decode(b"", final=True))
            except UnicodeDecodeError as error:
                raise ExportFileError(
                    f"{path}: byte {offset + error.start} is not valid {encoding}; the contract "
                    f"says this system exports {encoding}. Re-export the file in {encoding}."
                ) from error
        yield target
