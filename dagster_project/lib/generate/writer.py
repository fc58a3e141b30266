"""Write generated records in a system's export format, exactly as its contract declares.

Values arrive typed: DECIMAL(p,s) columns as integers scaled by 10**s (so money is exact),
DATE as datetime64[D], TIMESTAMPTZ as UTC datetime64, BOOLEAN as bool, strings as str,
missing values as None/NaT/pd.NA. Large files are written in chunks: call `write` again
with append=True.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from dagster_project.contracts import Entity, System

_DECIMAL = re.compile(r"DECIMAL\(\d+,(\d+)\)")
# Exports show timestamps in the company's local time, as the systems' users see them.
EXPORT_UTC_OFFSET = np.timedelta64(8, "h")
EXPORT_OFFSET_TEXT = "+08:00"


def write(path: Path, system: System, entity: Entity, records: pd.DataFrame, append: bool) -> int:
    """Write `records` to `path` by the contract; returns the number of rows written."""
    if list(records.columns) != entity.column_names:
        raise ValueError(
            f"{system.name}.{entity.name}: generated columns {list(records.columns)} "
            f"do not match the contract {entity.column_names}"
        )
    text = pd.DataFrame(
        {column.name: _format(records[column.name], column.type, system) for column in entity.columns}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # A BOM belongs at the start of the file only, never in front of an appended chunk.
    encoding = "utf-8" if append and system.encoding == "utf-8-sig" else system.encoding
    with open(path, "ab" if append else "wb") as handle:
        text.to_csv(
            handle,
            index=False,
            header=not append,
            sep=system.delimiter,
            encoding=encoding,
            lineterminator="\n",
        )
    return len(records)


def _format(values: pd.Series, sql_type: str, system: System) -> pd.Series:
    decimal = _DECIMAL.fullmatch(sql_type)
    if decimal:
        return _format_scaled(values, int(decimal.group(1)))
    if sql_type == "DATE":
        return _format_by_unique(values, lambda day: pd.Timestamp(day).strftime(system.date_format))
    if sql_type == "TIMESTAMPTZ":
        local = values + EXPORT_UTC_OFFSET
        return _format_by_unique(
            local, lambda ts: pd.Timestamp(ts).strftime("%Y-%m-%dT%H:%M:%S") + EXPORT_OFFSET_TEXT
        )
    if sql_type == "BOOLEAN":
        return values.map({True: "true", False: "false"}).fillna("")
    if sql_type in ("INTEGER", "BIGINT"):
        return values.astype("Int64").astype("string").fillna("")
    if sql_type == "VARCHAR":
        return values.astype("string").fillna("")
    raise ValueError(f"the writer has no format for type {sql_type}")


def _format_scaled(values: pd.Series, scale: int) -> pd.Series:
    """Integers scaled by 10**scale -> fixed-point text, e.g. 4736000 (scale 2) -> '47360.00'."""
    missing = values.isna().to_numpy()
    scaled = values.astype("Int64").fillna(0).to_numpy(dtype=np.int64)
    sign = np.where(scaled < 0, "-", "")
    whole, fraction = np.divmod(np.abs(scaled), 10**scale)
    text = np.char.add(sign, whole.astype(str))
    if scale:
        text = np.char.add(np.char.add(text, "."), np.char.zfill(fraction.astype(str), scale))
    return pd.Series(np.where(missing, "", text), index=values.index, dtype="string")


def _format_by_unique(values: pd.Series, render) -> pd.Series:
    """Format each distinct value once: dates repeat a lot, strftime is slow."""
    missing = values.isna().to_numpy()
    if missing.all():
        return pd.Series("", index=values.index, dtype="string")
    uniques, inverse = np.unique(values.fillna(values.dropna().min()).to_numpy(), return_inverse=True)
    rendered = np.array([render(value) for value in uniques], dtype=object)[inverse]
    return pd.Series(np.where(missing, "", rendered), index=values.index, dtype="string")
