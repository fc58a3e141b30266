"""Route generated records into export folders and files, as the source systems would write them.

History comes as one initial extract (a folder dated with the first batch day), then one
folder per night up to the last. Snapshot entities are written whole into every folder; a
delta record goes into the folder of the night after it changed. Each folder gets an empty
`_SUCCESS` file last, when it is complete.

Rendering (`Exporter`, pure: can run in a worker process) is separate from writing
(`FileSink`, in the parent, in chunk order), so the bytes do not depend on which worker
rendered what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dagster_project.contracts import Entity, System
from dagster_project.lib.generate import mess, writer

SUCCESS_MARKER = "_SUCCESS"


@dataclass
class Piece:
    """Rows rendered for one export file: text lines (encoded) or a typed table (Parquet)."""

    key: str  # <system>/<batch>/<file>
    system: System
    entity: Entity
    payload: bytes | pa.Table
    rows: int  # real rows, without the broken copies
    rules: list[str]  # the rule each broken copy breaks


class Exporter:
    """Renders records into Pieces; `stream` separates the mess of one chunk from another's."""

    def __init__(self, batch_days: np.ndarray, seed: int, stream: int, malformed_rate: float):
        self.batch_days = batch_days  # sorted datetime64[D]: the initial extract, then each night
        self.seed, self.stream, self.calls = seed, stream, 0
        self.malformed_rate = malformed_rate
        self.pieces: list[Piece] = []

    def batch_of(self, days: np.ndarray) -> np.ndarray:
        """Index of the folder each change day is exported in (changes up to the initial day: 0)."""
        return np.clip(
            np.searchsorted(self.batch_days, days.astype("datetime64[D]"), side="left"),
            0,
            len(self.batch_days) - 1,
        )

    def snapshot(self, system: System, entity: Entity, records_for_batch: Callable) -> None:
        """A full snapshot in every folder; records_for_batch(index, day) -> records.
        Nights that return the same records object reuse its rendered text."""
        rendered: dict[int, dict] = {}
        for index, day in enumerate(self.batch_days):
            records = records_for_batch(index, day)
            if system.format == "csv" and id(records) not in rendered:
                rendered = {id(records): writer.text_columns(system, entity, records)}
            self.append(system, entity, day, records, rendered.get(id(records)))

    def delta(
        self, system: System, entity: Entity, records: writer.Records, changed: np.ndarray
    ) -> None:
        """Each record into the folder of its change day; later changes are not exported."""
        keep = changed.astype("datetime64[D]") <= self.batch_days[-1]
        batch = self.batch_of(changed)
        for index, day in enumerate(self.batch_days):
            rows = np.flatnonzero(keep & (batch == index))
            self.append(
                system, entity, day, {name: values[rows] for name, values in records.items()}
            )

    def append(
        self,
        system: System,
        entity: Entity,
        batch_day: np.datetime64,
        records: writer.Records,
        text: dict | None = None,
    ) -> None:
        key = f"{system.name}/{batch_day}/{system.file_name(entity)}"
        rows = len(next(iter(records.values()))) if records else 0
        self.calls += 1
        rng = np.random.default_rng([self.seed, 3, self.stream, self.calls])
        if system.format == "parquet":
            table, rules = mess.corrupt_table(
                rng,
                system,
                entity,
                writer.arrow_table(system, entity, records),
                self.malformed_rate,
            )
            self.pieces.append(Piece(key, system, entity, table, rows, rules))
            return
        lines, rules = [], []
        if rows and system.format == "jsonl":
            lines, rules = mess.corrupt_json_lines(
                rng, system, entity, writer.json_lines(system, entity, records), self.malformed_rate
            )
        elif rows:
            columns = text or writer.text_columns(system, entity, records)
            columns, extra_field, rules = mess.corrupt_text(
                rng, system, entity, columns, self.malformed_rate
            )
            lines = writer.csv_lines(
                system, columns, {c.name for c in entity.columns if c.type == "VARCHAR"}
            )
            for position in extra_field.tolist():
                lines[position] = mess.line_with_extra_field(lines[position], system.delimiter)
        # utf-8-sig writes its BOM only at the start of a file: the sink adds it with the header
        encoding = "utf-8" if system.encoding == "utf-8-sig" else system.encoding
        payload = ("\n".join(lines) + "\n").encode(encoding) if lines else b""
        self.pieces.append(Piece(key, system, entity, payload, rows, rules))

    def take(self) -> list[Piece]:
        pieces, self.pieces = self.pieces, []
        return pieces


class FileSink:
    """Writes pieces to the landing folder in the order given, and counts what it wrote."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.counter = mess.MessCounter()
        self._parquet: dict[Path, pq.ParquetWriter] = {}
        self._started: set[Path] = set()
        self._folders: set[Path] = set()

    def write(self, pieces: list[Piece]) -> None:
        for piece in pieces:
            path = self.out_dir / piece.key
            self._folders.add(path.parent)
            self.counter.rows_by_file[piece.key] += piece.rows + len(piece.rules)
            self.counter.by_file[piece.key] += len(piece.rules)
            self.counter.by_rule.update(piece.rules)
            if isinstance(piece.payload, pa.Table):
                self._parquet_writer(path, piece.payload.schema).write_table(piece.payload)
                continue
            new = path not in self._started
            if new:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._started.add(path)
            with open(path, "wb" if new else "ab") as handle:
                if new and piece.system.format == "csv":
                    header = writer.csv_header(piece.system, piece.entity) + "\n"
                    handle.write(header.encode(piece.system.encoding))
                handle.write(piece.payload)

    def _parquet_writer(self, path: Path, schema: pa.Schema) -> pq.ParquetWriter:
        if path not in self._parquet:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._parquet[path] = pq.ParquetWriter(path, schema, compression="zstd")
        return self._parquet[path]

    def close(self) -> None:
        """Finish every file, then mark each folder complete."""
        for parquet_writer in self._parquet.values():
            parquet_writer.close()
        for folder in sorted(self._folders):
            (folder / SUCCESS_MARKER).touch()
