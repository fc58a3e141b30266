"""Crafted export files for ingest tests: small, written by the contracts, in tmp folders.

`Landing` writes rows as the source systems do (CSV in the system's encoding, JSON Lines,
Parquet) into <landing>/<system>/<batch>/<entity>.<ext> and marks folders complete.
`row(entity, i)` is a valid row built from the contract's examples, with a unique key.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dagster_project.contracts import Entity, System
from dagster_project.lib.ingest import SUCCESS_MARKER, ledger_verdict, load_entity

BATCH = "2026-01-15"
Row = dict[str, str | None]


def row(entity: Entity, i: int, **values: str | None) -> Row:
    """A valid row from the contract's examples; text key columns get a unique value."""
    record: Row = {c.name: c.example for c in entity.columns}
    for name in entity.primary_key:
        column = entity.column(name)
        if column.type == "VARCHAR":
            record[name] = f"{column.example[:-4]}{i:04d}"
        elif column.type == "INTEGER":
            record[name] = str(10 * i)
    record.update(values)
    return record


def csv_line(system: System, values: list[str | None]) -> str:
    """One CSV line (no line break) quoted where needed, as the exports quote."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=system.delimiter, lineterminator="\n").writerow(
        ["" if v is None else v for v in values]
    )
    return buffer.getvalue()[:-1]


def json_row(entity: Entity, i: int, **values) -> dict:
    """A valid JSON Lines record: numbers as numbers, lists as lists (from the examples)."""
    record: dict = {}
    for name, text in row(entity, i).items():
        sql_type = entity.column(name).type
        if sql_type.startswith("DECIMAL"):
            record[name] = float(text)
        elif sql_type == "INTEGER":
            record[name] = int(text)
        elif sql_type == "BOOLEAN":
            record[name] = text == "true"
        elif sql_type.endswith("[]"):
            record[name] = json.loads(text)
        else:
            record[name] = text
    record.update(values)
    return record


def parquet_table(entity: Entity, rows: list[dict], **types: pa.DataType) -> pa.Table:
    """Rows of typed Python values as a Parquet table with the contract's types."""
    arrow_types = {
        "VARCHAR": pa.string(),
        "INTEGER": pa.int32(),
        "DATE": pa.date32(),
        "TIMESTAMPTZ": pa.timestamp("s", tz="UTC"),
        "BOOLEAN": pa.bool_(),
    }
    fields = []
    for column in entity.columns:
        if column.name in types:
            fields.append(pa.field(column.name, types[column.name]))
        elif column.type.startswith("DECIMAL"):
            precision, scale = column.type[8:-1].split(",")
            fields.append(pa.field(column.name, pa.decimal128(int(precision), int(scale))))
        else:
            fields.append(pa.field(column.name, arrow_types[column.type]))
    schema = pa.schema(fields)
    return pa.Table.from_pylist([{n: r.get(n) for n in schema.names} for r in rows], schema)


@dataclass
class Landing:
    root: Path

    def folder(self, system: System, batch: str = BATCH) -> Path:
        folder = self.root / system.name / batch
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def path(self, system: System, entity: Entity, batch: str = BATCH) -> Path:
        return self.folder(system, batch) / system.file_name(entity)

    def complete(self, system: System, batch: str = BATCH, fill: bool = False) -> None:
        """Write _SUCCESS; with `fill`, first an empty export for every entity not written."""
        if fill:
            for entity in system.entities:
                if not self.path(system, entity, batch).exists():
                    self._empty(system, entity, batch)
        (self.folder(system, batch) / SUCCESS_MARKER).touch()

    def _empty(self, system: System, entity: Entity, batch: str) -> None:
        path = self.path(system, entity, batch)
        if system.format == "csv":
            path.write_bytes((csv_line(system, entity.column_names) + "\n").encode(system.encoding))
        elif system.format == "jsonl":
            path.write_bytes(b"")
        else:
            pq.write_table(parquet_table(entity, []), path)

    def write_bytes(
        self, system: System, entity: Entity, data: bytes, batch: str = BATCH, complete=True
    ) -> Path:
        path = self.path(system, entity, batch)
        path.write_bytes(data)
        if complete:
            self.complete(system, batch)
        return path

    def csv(
        self,
        system: System,
        entity: Entity,
        rows: list[Row | str],
        batch: str = BATCH,
        header: list[str] | None = None,
        encoding: str | None = None,
        complete: bool = True,
    ) -> Path:
        """Rows as dicts (by the contract's columns) or as literal lines (str)."""
        lines = [csv_line(system, header or entity.column_names)]
        for item in rows:
            if isinstance(item, dict):  # by the contract's columns, under whatever header
                item = csv_line(system, [item[n] for n in entity.column_names])
            lines.append(item)
        data = ("\n".join(lines) + "\n").encode(encoding or system.encoding)
        return self.write_bytes(system, entity, data, batch, complete)

    def jsonl(
        self, system: System, entity: Entity, rows: list[dict | str], batch: str = BATCH
    ) -> Path:
        lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        return self.write_bytes(system, entity, data, batch)

    def parquet(self, system: System, entity: Entity, table: pa.Table, batch: str = BATCH) -> Path:
        path = self.path(system, entity, batch)
        pq.write_table(table, path)
        self.complete(system, batch)
        return path


@pytest.fixture
def landing(tmp_path: Path) -> Landing:
    return Landing(tmp_path / "landing")


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(tmp_path / "build.duckdb")) as connection:
        yield connection


def load(con, landing: Landing, system: System, entity: Entity, **options):
    """Load one entity and assert what must always hold: the ledger balances."""
    result = load_entity(con, landing.root, system, entity, **options)
    for file in result.files:
        assert file.rows_read == file.rows_loaded + file.rows_rejected, file
    verdict = ledger_verdict(con, system, entity)
    assert not verdict.unbalanced, verdict.unbalanced
    return result


def rejects(con, system: System, entity: Entity) -> list[dict]:
    cursor = con.execute(
        "select * from raw._rejects where system = ? and entity = ? "
        "order by source_file, line_number",
        [system.name, entity.name],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def raw_rows(con, system: System, entity: Entity, columns: str = "*") -> list[tuple]:
    """Raw rows by batch, then key (one file per batch, a key once per file; raw rows keep no
    order of their own)."""
    key = ", ".join(f'"{name}"' for name in entity.primary_key)
    return con.execute(
        f"select {columns} from raw.{system.raw_table(entity)} order by _batch, {key}"
    ).fetchall()


def physical_line(path: Path, number: int, encoding: str) -> str:
    return path.read_bytes().decode(encoding).split("\n")[number - 1].lstrip("\ufeff")
