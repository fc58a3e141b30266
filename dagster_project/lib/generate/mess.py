"""Deliberately malformed rows, as real exports carry them, counted so tests can check ingest.

A malformed row is an extra, broken copy of a real row, written right after it: the real
records (and so the truth totals) stay intact, and each broken copy breaks exactly one rule
of the ingest contract, so `raw._rejects` must end up with exactly the counted rows.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import pyarrow as pa

from dagster_project.contracts import Entity, System

# The rules a broken copy can break, by export format (Parquet is typed: nothing to misparse).
RULES_BY_FORMAT = {
    "csv": (
        "wrong_column_count",
        "unparsable_number",
        "unparsable_date",
        "missing_key",
        "negative_value",
        "unknown_code",
        "duplicate_key",
        "date_out_of_range",
    ),
    "jsonl": (
        "malformed_json",
        "unparsable_number",
        "missing_key",
        "negative_value",
        "unknown_code",
        "duplicate_key",
        "date_out_of_range",
    ),
    "parquet": (
        "missing_key",
        "negative_value",
        "unknown_code",
        "duplicate_key",
        "date_out_of_range",
    ),
}
_NUMERIC_PREFIXES = ("DECIMAL", "INTEGER", "BIGINT")
# no delimiter inside: number columns are written unquoted, so "1,234.50" would split the line
_UNPARSABLE_NUMBERS = ("N/A", "1 234.50", "12..5", "abc")
_UNPARSABLE_DATES = {
    "%Y%m%d": ("2025-03-31", "20251345", "31.12.2025"),
    "%Y-%m-%d": ("31/12/2025", "2025-02-30", "20250331"),
}
_UNPARSABLE_TIMESTAMP = "2025-02-30T25:61:00+08:00"


@dataclass
class MessCounter:
    by_file: Counter = field(default_factory=Counter)
    by_rule: Counter = field(default_factory=Counter)
    rows_by_file: Counter = field(default_factory=Counter)


def applicable_rules(system: System, entity: Entity) -> list[str]:
    types = [c.type for c in entity.columns]
    rules = []
    for rule in RULES_BY_FORMAT[system.format]:
        if rule == "unparsable_number" and not any(t.startswith(_NUMERIC_PREFIXES) for t in types):
            continue
        if rule == "unparsable_date" and not any(t in ("DATE", "TIMESTAMPTZ") for t in types):
            continue
        if rule == "date_out_of_range" and not any(t in ("DATE", "TIMESTAMPTZ") for t in types):
            continue
        if rule == "negative_value" and not any(c.non_negative for c in entity.columns):
            continue
        if rule == "unknown_code" and not any(c.allowed_values for c in entity.columns):
            continue
        rules.append(rule)
    return rules


def pick(rng: np.random.Generator, rows: int, rate: float) -> np.ndarray:
    """Rows to follow with a broken copy: each row independently with probability `rate`."""
    if rate <= 0 or rows == 0:
        return np.array([], dtype=np.int64)
    return np.flatnonzero(rng.random(rows) < rate)


def corrupt_text(rng, system: System, entity: Entity, columns: dict[str, pa.Array], rate: float):
    """Insert broken copies into text columns. Returns (columns, rows to widen, rules)."""
    rows = len(next(iter(columns.values())))
    chosen = pick(rng, rows, rate)
    if not len(chosen):
        return columns, np.array([], dtype=np.int64), []
    rules = [str(r) for r in rng.choice(applicable_rules(system, entity), len(chosen))]
    copies = {name: array.take(pa.array(chosen)).to_pylist() for name, array in columns.items()}
    for i, rule in enumerate(rules):
        _break_text_row(rng, system, entity, copies, i, rule)
    order = np.argsort(np.concatenate([np.arange(rows) * 2, chosen * 2 + 1]), kind="stable")
    merged = {
        name: pa.concat_arrays([array, pa.array(copies[name], type=pa.string())]).take(
            pa.array(order)
        )
        for name, array in columns.items()
    }
    copy_positions = np.flatnonzero(order >= rows)
    extra_field = copy_positions[[rule == "wrong_column_count" for rule in rules]]
    return merged, extra_field, rules


def _break_text_row(rng, system, entity, copies, i, rule) -> None:
    columns = entity.columns
    if rule in ("wrong_column_count", "duplicate_key"):
        return  # the line gets an extra field later / stays an exact copy
    if rule == "malformed_json":
        return  # the whole line is truncated when rendered
    if rule == "missing_key":
        copies[entity.primary_key[0]][i] = None
    elif rule == "unparsable_number":
        column = _choose(rng, [c for c in columns if c.type.startswith(_NUMERIC_PREFIXES)])
        copies[column.name][i] = str(rng.choice(_UNPARSABLE_NUMBERS))
    elif rule == "unparsable_date":
        column = _choose(rng, [c for c in columns if c.type in ("DATE", "TIMESTAMPTZ")])
        bad = (
            _UNPARSABLE_TIMESTAMP
            if column.type == "TIMESTAMPTZ"
            else str(rng.choice(_UNPARSABLE_DATES[system.date_format]))
        )
        copies[column.name][i] = bad
    elif rule == "negative_value":
        column = _choose(rng, [c for c in columns if c.non_negative])
        value = copies[column.name][i]
        copies[column.name][i] = "-" + value if value and float(value) > 0 else "-1"
    elif rule == "unknown_code":
        column = _choose(rng, [c for c in columns if c.allowed_values])
        copies[column.name][i] = "ZZZ"
    elif rule == "date_out_of_range":
        column = _choose(rng, [c for c in columns if c.type in ("DATE", "TIMESTAMPTZ")])
        if column.type == "DATE":
            copies[column.name][i] = "18991231" if system.date_format == "%Y%m%d" else "1899-12-31"
        else:
            copies[column.name][i] = "1899-12-31T00:00:00" + (
                "Z" if system.format == "jsonl" else "+08:00"
            )


def corrupt_json_lines(rng, system: System, entity: Entity, lines: list[str], rate: float):
    """Insert broken copies into JSON Lines; returns (lines, rules)."""
    chosen = pick(rng, len(lines), rate)
    if not len(chosen):
        return lines, []
    rules = [str(r) for r in rng.choice(applicable_rules(system, entity), len(chosen))]
    broken_after = {}
    for row, rule in zip(chosen.tolist(), rules, strict=False):
        record = json.loads(lines[row])
        if rule == "malformed_json":
            broken_after[row] = lines[row][: len(lines[row]) // 2]
            continue
        if rule != "duplicate_key":
            _break_json_record(rng, entity, record, rule)
        broken_after[row] = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    out = []
    for row, line in enumerate(lines):
        out.append(line)
        if row in broken_after:
            out.append(broken_after[row])
    return out, rules


def _break_json_record(rng, entity: Entity, record: dict, rule: str) -> None:
    columns = entity.columns
    if rule == "missing_key":
        record[entity.primary_key[0]] = None
    elif rule == "unparsable_number":
        column = _choose(rng, [c for c in columns if c.type.startswith(_NUMERIC_PREFIXES)])
        record[column.name] = str(rng.choice(_UNPARSABLE_NUMBERS))
    elif rule == "negative_value":
        column = _choose(rng, [c for c in columns if c.non_negative])
        value = record[column.name]
        record[column.name] = -value if value else -1
    elif rule == "unknown_code":
        column = _choose(rng, [c for c in columns if c.allowed_values])
        record[column.name] = "ZZZ"
    elif rule == "date_out_of_range":
        column = _choose(rng, [c for c in columns if c.type in ("DATE", "TIMESTAMPTZ")])
        record[column.name] = "1899-12-31" if column.type == "DATE" else "1899-12-31T00:00:00Z"


def corrupt_table(rng, system: System, entity: Entity, table: pa.Table, rate: float):
    """Insert broken copies into a typed (Parquet) table; returns (table, rules)."""
    chosen = pick(rng, table.num_rows, rate)
    if not len(chosen):
        return table, []
    rules = [str(r) for r in rng.choice(applicable_rules(system, entity), len(chosen))]
    copies = table.take(pa.array(chosen)).to_pylist()
    for record, rule in zip(copies, rules, strict=False):
        if rule == "missing_key":
            record[entity.primary_key[0]] = None
        elif rule == "negative_value":
            column = _choose(rng, [c for c in entity.columns if c.non_negative])
            value = record[column.name]
            record[column.name] = (
                -value if value else (type(value)(-1) if value is not None else -1)
            )
        elif rule == "unknown_code":
            column = _choose(rng, [c for c in entity.columns if c.allowed_values])
            record[column.name] = "ZZZ"
        elif rule == "date_out_of_range":
            column = _choose(rng, [c for c in entity.columns if c.type in ("DATE", "TIMESTAMPTZ")])
            record[column.name] = (
                date(1899, 12, 31) if column.type == "DATE" else datetime(1899, 12, 31, tzinfo=UTC)
            )
    broken = pa.Table.from_pylist(copies, schema=table.schema)
    order = np.argsort(
        np.concatenate([np.arange(table.num_rows) * 2, chosen * 2 + 1]), kind="stable"
    )
    return pa.concat_tables([table, broken]).take(pa.array(order)), rules


def _choose(rng, columns):
    return columns[int(rng.integers(0, len(columns)))]


def line_with_extra_field(line: str, delimiter: str) -> str:
    return line + delimiter + "EXTRA"
