"""Publish a finished build as the warehouse readers see, atomically.

The build file is copied next to the published file, verified, and renamed over it with
os.replace: readers see the old snapshot or the new one, never a half-written file. Readers
holding the old file open keep reading it until they reconnect.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

# Tables that must exist and hold rows before a snapshot may go live.
REQUIRED_TABLES = ("marts.fct_order_lines", "marts.dim_customers", "marts.dim_products", "marts.dim_dates")


class PublishError(RuntimeError):
    pass


@dataclass(frozen=True)
class Published:
    path: Path
    size_bytes: int
    rows_by_table: dict[str, int]


def publish(build_path: Path, published_path: Path) -> Published:
    if not build_path.exists():
        raise PublishError(f"Nothing to publish: the build file {build_path} does not exist.")
    with duckdb.connect(str(build_path)) as con:
        con.execute("checkpoint")  # fold the write-ahead log into the file before copying it
    staging_path = published_path.with_name(f".{published_path.name}.publishing-{os.getpid()}")
    try:
        shutil.copyfile(build_path, staging_path)
        with open(staging_path, "rb") as handle:
            os.fsync(handle.fileno())
        rows = _verify(staging_path)
        os.replace(staging_path, published_path)
    finally:
        staging_path.unlink(missing_ok=True)
    return Published(published_path, published_path.stat().st_size, rows)


def _verify(path: Path) -> dict[str, int]:
    rows = {}
    with duckdb.connect(str(path), read_only=True) as con:
        for table in REQUIRED_TABLES:
            try:
                rows[table] = con.execute(f"select count(*) from {table}").fetchone()[0]
            except duckdb.Error as error:
                raise PublishError(f"Not published: {table} is missing from the build ({error}).") from error
            if rows[table] == 0:
                raise PublishError(f"Not published: {table} is empty in the build.")
    return rows
