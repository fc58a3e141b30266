"""Render generated records in a system's export format, exactly as its contract declares.

Values arrive typed (a dict of numpy arrays, one per contract column): DECIMAL(p,s) as
integers scaled by 10**s, so money stays exact; DATE as datetime64[D]; TIMESTAMPTZ as UTC
datetime64[s]; BOOLEAN as bool; VARCHAR as str/object (None = missing); VARCHAR[] as lists.
Missing numbers and dates use a mask column `<name>__null` when needed.

Text formats (CSV, JSON Lines) are rendered to lines first, so the mess injector can
corrupt individual lines exactly as a faulty export would; Parquet is written typed.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dagster_project.contracts import Entity, System

_DECIMAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")
# CSV exports show timestamps in the company's local time, as the systems' users see them.
CSV_UTC_OFFSET = np.timedelta64(8, "h")
CSV_OFFSET_TEXT = "+08:00"

Records = dict[str, np.ndarray]


def decimal_scale(sql_type: str) -> int | None:
    match = _DECIMAL.fullmatch(sql_type)
    return int(match.group(2)) if match else None


def text_columns(system: System, entity: Entity, records: Records) -> dict[str, pa.Array]:
    """Each contract column rendered as the export's text (null = empty field)."""
    return {c.name: _one_array(_render(records, c.name, c.type, system)) for c in entity.columns}


def _one_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Large inputs come back from pyarrow in chunks; the mess injector needs one array."""
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def csv_lines(system: System, columns: dict[str, pa.Array], string_columns: set[str]) -> list[str]:
    """The data lines of a CSV export from its text columns (no header), quoted only where needed,
    as Excel and most ERPs write them."""
    special = f'[{re.escape(system.delimiter)}"\\n\\r]'
    quoted = []
    for name, array in columns.items():
        if name not in string_columns:  # numbers and dates never need quotes
            quoted.append(array)
            continue
        needs = pc.fill_null(pc.match_substring_regex(array, special), False)
        escaped = pc.binary_join_element_wise('"', pc.replace_substring(array, '"', '""'), '"', "")
        quoted.append(pc.if_else(needs, escaped, array))
    lines = pc.binary_join_element_wise(
        *quoted, system.delimiter, null_handling="replace", null_replacement=""
    )
    return lines.to_pylist()


def csv_header(system: System, entity: Entity) -> str:
    return system.delimiter.join(entity.column_names)


def json_lines(system: System, entity: Entity, records: Records) -> list[str]:
    """JSON Lines: numbers as JSON numbers (exact fixed-point text), timestamps as ISO text,
    arrays as arrays, missing values as null. Built column-wise, not record by record."""
    parts = []
    for index, column in enumerate(entity.columns):
        value = _json_values(records, column.name, column.type, system)
        key = ("{" if index == 0 else ",") + json.dumps(column.name) + ":"
        parts.append(pc.binary_join_element_wise(key, value, ""))
    lines = pc.binary_join_element_wise(*parts, "}", "")
    return lines.to_pylist()


def _json_values(records: Records, name: str, sql_type: str, system: System) -> pa.Array:
    values = records[name]
    if sql_type.endswith("[]"):
        return pa.array(
            [json.dumps(list(v), ensure_ascii=False) if v is not None else "null" for v in values]
        )
    if sql_type in ("VARCHAR", "DATE", "TIMESTAMPTZ"):
        text = _render(records, name, sql_type, system)
        escaped = pc.replace_substring(pc.replace_substring(text, "\\", "\\\\"), '"', '\\"')
        quoted = pc.binary_join_element_wise('"', escaped, '"', "")
    else:  # numbers and booleans: their text is already JSON
        quoted = _render(records, name, sql_type, system)
    return pc.fill_null(quoted, "null")


def arrow_table(system: System, entity: Entity, records: Records) -> pa.Table:
    """A typed table for Parquet exports, with the contract's types."""
    arrays = {}
    for column in entity.columns:
        values = records[column.name]
        missing = records.get(f"{column.name}__null")
        mask = None if missing is None else np.asarray(missing, dtype=bool)
        scale = decimal_scale(column.type)
        if scale is not None:
            precision = int(_DECIMAL.fullmatch(column.type).group(1))
            # scaled integers -> exact fixed-point text -> decimal: no float on the way
            text = _fixed_point(np.asarray(values, dtype=np.int64), scale)
            decimals = pc.cast(text, pa.decimal128(precision, scale))
            arrays[column.name] = (
                decimals
                if mask is None
                else pc.if_else(pa.array(mask), pa.scalar(None, decimals.type), decimals)
            )
        elif column.type == "TIMESTAMPTZ":
            arrays[column.name] = pa.array(values.astype("datetime64[s]"), mask=mask).cast(
                pa.timestamp("s", tz="UTC")
            )
        elif column.type == "DATE":
            arrays[column.name] = pa.array(
                values.astype("datetime64[D]"), mask=mask, type=pa.date32()
            )
        elif column.type in ("INTEGER", "BIGINT"):
            arrays[column.name] = pa.array(np.asarray(values, dtype=np.int64), mask=mask).cast(
                pa.int32() if column.type == "INTEGER" else pa.int64()
            )
        elif column.type == "BOOLEAN":
            arrays[column.name] = pa.array(values, mask=mask, type=pa.bool_())
        else:
            arrays[column.name] = pa.array(values, type=pa.string(), from_pandas=True)
    return pa.table(arrays)


def _render(records: Records, name: str, sql_type: str, system: System) -> pa.Array:
    values = records[name]
    missing = records.get(f"{name}__null")
    mask = None if missing is None else np.asarray(missing, dtype=bool)
    scale = decimal_scale(sql_type)
    if scale is not None:
        text = _fixed_point(np.asarray(values, dtype=np.int64), scale)
    elif sql_type == "DATE":
        iso = np.datetime_as_string(values.astype("datetime64[D]"), unit="D")
        text = pa.array(iso if system.date_format == "%Y-%m-%d" else np.char.replace(iso, "-", ""))
        if system.date_format not in ("%Y-%m-%d", "%Y%m%d"):
            raise ValueError(f"the writer has no date format {system.date_format}")
    elif sql_type == "TIMESTAMPTZ":
        if system.format == "csv":
            local = np.datetime_as_string(
                (values + CSV_UTC_OFFSET).astype("datetime64[s]"), unit="s"
            )
            text = pc.binary_join_element_wise(pa.array(local), CSV_OFFSET_TEXT, "")
        else:
            utc = np.datetime_as_string(values.astype("datetime64[s]"), unit="s")
            text = pc.binary_join_element_wise(pa.array(utc), "Z", "")
    elif sql_type in ("INTEGER", "BIGINT"):
        text = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    elif sql_type == "BOOLEAN":
        text = pa.array(np.where(np.asarray(values, dtype=bool), "true", "false"))
    elif sql_type == "VARCHAR":
        return pa.array(values, type=pa.string(), from_pandas=True)
    else:
        raise ValueError(f"the writer has no text format for type {sql_type}")
    return text if mask is None else pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), text)


def _fixed_point(scaled: np.ndarray, scale: int) -> pa.Array:
    """Integers scaled by 10**scale -> fixed-point text, e.g. 4736000 (scale 2) -> '47360.00'."""
    whole, fraction = np.divmod(np.abs(scaled), 10**scale)
    text = pc.cast(pa.array(whole), pa.string())
    if scale:
        digits = pc.utf8_lpad(pc.cast(pa.array(fraction), pa.string()), width=scale, padding="0")
        text = pc.binary_join_element_wise(text, digits, ".")
    return pc.if_else(pa.array(scaled < 0), pc.binary_join_element_wise("-", text, ""), text)
