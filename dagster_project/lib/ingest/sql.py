"""SQL expressions built from a contract: casts, the row rules in their order, reasons, raw lines.

Each row rule becomes one `when <condition> then '<rule>' || chr(31) || <reason>` branch of a
CASE, so a row gets exactly its first broken rule and a reason that names the column, the value
and what the contract expects. The expressions run inside DuckDB over whole columns; only the
few broken rows ever evaluate a reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from dagster_project.contracts import Column, Entity, System
from dagster_project.lib.ingest.rules import MIN_DATE, OPEN_END_DATE, Rule, human_format

SEPARATOR = "chr(31)"  # between rule and reason in the CASE result
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
_NUMBER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT", "REAL")


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def kind(sql_type: str) -> str:
    """number | date | timestamp | boolean | list | text"""
    upper = sql_type.upper()
    if upper.endswith("[]"):
        return "list"
    if upper.startswith("DECIMAL") or upper in _NUMBER_TYPES:
        return "number"
    if upper == "DATE":
        return "date"
    if upper in ("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP"):
        return "timestamp"
    if upper == "BOOLEAN":
        return "boolean"
    return "text"


PARSE_RULE_BY_KIND = {
    "number": Rule.UNPARSABLE_NUMBER,
    "date": Rule.UNPARSABLE_DATE,
    "timestamp": Rule.UNPARSABLE_DATE,
    "boolean": Rule.UNPARSABLE_BOOLEAN,
    "list": Rule.UNPARSABLE_LIST,
}


def expectation(column: Column, system: System) -> str:
    """What the contract expects in a column, for people: 'a date as YYYYMMDD'."""
    column_kind = kind(column.type)
    if column_kind == "number":
        decimal = _DECIMAL.fullmatch(column.type)
        if decimal:
            return f"a number with at most {decimal.group(2)} decimals ({column.type})"
        return f"a whole number ({column.type})"
    if column_kind == "date":
        return f"a date as {human_format(system.date_format)}"
    if column_kind == "timestamp":
        return f"a timestamp as {human_format(system.timestamp_format)}"
    if column_kind == "boolean":
        return "true or false"
    if column_kind == "list":
        return "a JSON array of strings"
    return "text"


def cast_text(column: Column, text: str, system: System) -> str:
    """The typed value of a text expression, NULL when it does not parse."""
    column_kind = kind(column.type)
    if column_kind == "date":
        return f"cast(try_strptime({text}, {lit(system.date_format)}) as DATE)"
    if column_kind == "timestamp":
        parsed = f"try_strptime({text}, {lit(system.timestamp_format)})"
        # Without %z the text is UTC (e.g. ...Z): read it as a UTC instant.
        return parsed if "%z" in system.timestamp_format else f"timezone('UTC', {parsed})"
    if column_kind in ("number", "boolean"):
        return f"try_cast({text} as {column.type})"
    if column_kind == "list":
        return f"case when json_type({text}) = 'ARRAY' then try_cast({text} as {column.type}) end"
    return text


def render_text(column: Column, value: str, system: System) -> str:
    """A typed value as the export writes it (for rebuilding a rejected row's line)."""
    column_kind = kind(column.type)
    if column_kind == "date":
        return f"strftime({value}, {lit(system.date_format)})"
    if column_kind == "timestamp":
        return f"strftime({value}, {lit(system.timestamp_format)})"
    if column_kind == "boolean":
        return f"case when {value} then 'true' when not {value} then 'false' end"
    if column_kind == "list":
        return f"cast(to_json({value}) as VARCHAR)"
    return f"cast({value} as VARCHAR)"


def render_csv_line(
    entity: Entity,
    system: System,
    value: Callable[[Column], str],
    verbatim: Callable[[Column], str | None] = lambda column: None,
) -> str:
    """The CSV line of a typed row, quoted where needed as the contract's writer does.
    `verbatim(column)` may give the field's text as read, used as it is."""
    delimiter = lit(system.delimiter)
    fields = []
    for column in entity.columns:
        text = verbatim(column) or render_text(column, value(column), system)
        special = lit("[" + re.escape(system.delimiter) + '"\\r\\n]')
        quote_when = f"regexp_matches({text}, {special})"
        quoted = f"'\"' || replace({text}, '\"', '\"\"') || '\"'"
        fields.append(f"coalesce(case when {quote_when} then {quoted} else {text} end, '')")
    return f"concat_ws({delimiter}, {', '.join(fields)})"


def render_json_line(entity: Entity, system: System, value: Callable[[Column], str]) -> str:
    """A typed row as one JSON object (JSON Lines, Parquet); dates in the contract format."""
    parts = []
    for column in entity.columns:
        column_kind = kind(column.type)
        rendered = value(column)
        if column_kind in ("date", "timestamp"):
            rendered = render_text(column, rendered, system)
        parts.append(f"{ident(column.name)} := {rendered}")
    return f"cast(to_json(struct_pack({', '.join(parts)})) as VARCHAR)"


@dataclass(frozen=True)
class Check:
    rule: Rule
    condition: str
    reason: str  # SQL expression


def case_of(checks: list[Check]) -> str:
    """NULL for a good row, else '<rule>' chr(31) '<reason>' of its first broken rule."""
    if not checks:
        return "cast(NULL as VARCHAR)"
    branches = " ".join(
        f"when {c.condition} then {lit(str(c.rule))} || {SEPARATOR} || {c.reason}" for c in checks
    )
    return f"case {branches} end"


def parse_checks(
    entity: Entity,
    system: System,
    text: Callable[[Column], str],
    typed: Callable[[Column], str],
    columns: list[Column] | None = None,
) -> list[Check]:
    """Text that is there but did not parse as the column's type: `text(column)` is the value
    as read, `typed(column)` its parsed value (NULL when it did not parse)."""
    checks = []
    for column in entity.columns if columns is None else columns:
        rule = PARSE_RULE_BY_KIND.get(kind(column.type))
        if rule is None:
            continue
        source = text(column)
        condition = f"{source} is not null and {typed(column)} is null"
        if kind(column.type) == "list":
            condition = f"json_type({source}) <> 'NULL' and {typed(column)} is null"
        reason = _concat(
            lit(f"{column.name} is '"),
            f"cast({source} as VARCHAR)",
            lit(f"'; expected {expectation(column, system)}"),
        )
        checks.append(Check(rule, condition, reason))
    return checks


def value_checks(
    entity: Entity,
    system: System,
    value: Callable[[Column], str],
    bound: str,
    min_bound: str,
    shown: Callable[[Column], str | None] = lambda column: None,
) -> list[Check]:
    """The value rules in order, over typed values. `bound` is the row's latest allowed DATE
    (3 years after its batch), `min_bound` the smallest such date in the scan (a literal);
    `shown(column)` may give the value's text as read, for the reason."""
    checks = []
    key = ", ".join(entity.primary_key)
    for column in entity.columns:
        if column.name in entity.primary_key:
            checks.append(
                Check(
                    Rule.MISSING_KEY,
                    _missing(column, value(column)),
                    lit(f"{column.name} is empty; it is part of the key ({key})"),
                )
            )
    for column in entity.columns:
        if not column.nullable and column.name not in entity.primary_key:
            checks.append(
                Check(
                    Rule.MISSING_VALUE,
                    _missing(column, value(column)),
                    lit(f"{column.name} is empty; the contract requires a value"),
                )
            )
    for column in entity.columns:
        if column.allowed_values:
            allowed = ", ".join(lit(v) for v in column.allowed_values)
            checks.append(
                Check(
                    Rule.UNKNOWN_CODE,
                    f"{value(column)} is not null and {value(column)} not in ({allowed})",
                    _concat(
                        lit(f"{column.name} is '"),
                        value(column),
                        lit(f"'; expected one of {', '.join(column.allowed_values)}"),
                    ),
                )
            )
    for column in entity.columns:
        if column.non_negative:
            checks.append(
                Check(
                    Rule.NEGATIVE_VALUE,
                    f"{value(column)} < 0",
                    _concat(
                        lit(f"{column.name} is "),
                        f"cast({value(column)} as VARCHAR)",
                        lit("; expected a number >= 0"),
                    ),
                )
            )
    for column in entity.columns:
        column_kind = kind(column.type)
        if column_kind not in ("date", "timestamp"):
            continue
        v = value(column)
        if column_kind == "date":
            too_early = f"{v} < DATE '{MIN_DATE}'"
            too_late = (
                f"({v} > DATE {min_bound} and {v} <> DATE '{OPEN_END_DATE}' and {v} > {bound})"
            )
            display = f"strftime({v}, '%Y-%m-%d')"
            what = "a date"
        else:
            too_early = f"{v} < timezone('UTC', TIMESTAMP '{MIN_DATE} 00:00:00')"
            too_late = (
                f"({v} >= timezone('UTC', cast(DATE {min_bound} + 1 as TIMESTAMP)) "
                f"and {v} >= timezone('UTC', cast({bound} + 1 as TIMESTAMP)))"
            )
            display = shown(column) or f"strftime({v}, '%Y-%m-%dT%H:%M:%SZ')"
            what = "a time"
        checks.append(
            Check(
                Rule.DATE_OUT_OF_RANGE,
                f"({too_early} or {too_late})",
                _concat(
                    lit(f"{column.name} is "),
                    display,
                    lit(f"; expected {what} from {MIN_DATE} to "),
                    f"strftime({bound}, '%Y-%m-%d')",
                    lit(" (3 years after the batch date)"),
                ),
            )
        )
    return checks


def _missing(column: Column, value: str) -> str:
    if kind(column.type) == "text":
        # Blank text is missing too; trim only the rare values that start with a blank.
        return f"({value} is null or (ascii({value}) <= 32 and trim({value}) = ''))"
    return f"{value} is null"


def _concat(*parts: str) -> str:
    return f"concat({', '.join(parts)})"
