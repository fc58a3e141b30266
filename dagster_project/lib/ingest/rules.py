"""Every way an export row or file can break its contract, named once.

Row rules put one row into `raw._rejects`; file problems put a whole file there (status
`file_rejected` in `raw._loads`). docs/ingest_rules.md explains each to operators; a test keeps
that page and this module in step.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class Rule(StrEnum):
    """Why a row was rejected. A row breaking several rules gets the first, in this order."""

    # Parse errors: the line cannot be read as the contract's columns and types.
    WRONG_COLUMN_COUNT = "wrong_column_count"
    MALFORMED_CSV = "malformed_csv"
    MALFORMED_JSON = "malformed_json"
    UNPARSABLE_NUMBER = "unparsable_number"
    UNPARSABLE_DATE = "unparsable_date"
    UNPARSABLE_BOOLEAN = "unparsable_boolean"
    UNPARSABLE_LIST = "unparsable_list"
    # Value rules: the row parses but breaks what the contract says about its values.
    MISSING_KEY = "missing_key"
    MISSING_VALUE = "missing_value"
    UNKNOWN_CODE = "unknown_code"
    NEGATIVE_VALUE = "negative_value"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    # Checked last, among rows that passed every other rule, so that a broken copy of a row
    # never displaces the good row it copies.
    DUPLICATE_KEY = "duplicate_key"


PARSE_RULES = frozenset(
    {
        Rule.WRONG_COLUMN_COUNT,
        Rule.MALFORMED_CSV,
        Rule.MALFORMED_JSON,
        Rule.UNPARSABLE_NUMBER,
        Rule.UNPARSABLE_DATE,
        Rule.UNPARSABLE_BOOLEAN,
        Rule.UNPARSABLE_LIST,
    }
)

RULE_DESCRIPTIONS: dict[Rule, str] = {
    Rule.WRONG_COLUMN_COUNT: "A CSV line has more or fewer fields than the contract has columns.",
    Rule.MALFORMED_CSV: (
        "A CSV line cannot be split into fields: a quote is never closed or is followed by "
        "text, or the line is longer than the reader's limit."
    ),
    Rule.MALFORMED_JSON: "A JSON Lines line is not one valid JSON object (e.g. cut off).",
    Rule.UNPARSABLE_NUMBER: "A number column holds text that is not a number of the declared type.",
    Rule.UNPARSABLE_DATE: (
        "A date or timestamp column holds text that is not a valid date/time in the system's "
        "declared format (e.g. 2025-02-30, or 2025-03-31 where YYYYMMDD is declared)."
    ),
    Rule.UNPARSABLE_BOOLEAN: "A boolean column holds something other than true/false.",
    Rule.UNPARSABLE_LIST: "A list column (VARCHAR[]) holds something other than a JSON array.",
    Rule.MISSING_KEY: "A primary-key column is empty.",
    Rule.MISSING_VALUE: "A required (non-nullable) column other than the key is empty.",
    Rule.UNKNOWN_CODE: "A coded column holds a value outside the contract's allowed values.",
    Rule.NEGATIVE_VALUE: "A quantity or amount the contract declares non-negative is below zero.",
    Rule.DATE_OUT_OF_RANGE: (
        "A date or timestamp is before 2000-01-01 or more than 3 years after the batch date "
        "(9999-12-31, the usual open end of a validity period, is accepted)."
    ),
    Rule.DUPLICATE_KEY: (
        "The primary key already appeared earlier in the same file; the first occurrence is "
        "loaded, later ones are rejected."
    ),
}


class FileProblem(StrEnum):
    """Why a whole file was rejected (`raw._loads.status = 'file_rejected'`)."""

    EMPTY_FILE = "empty_file"
    TRUNCATED_FILE = "truncated_file"
    WRONG_ENCODING = "wrong_encoding"
    MISSING_COLUMN = "missing_column"
    RENAMED_COLUMN = "renamed_column"
    UNEXPECTED_COLUMN = "unexpected_column"
    COLUMN_ORDER = "column_order"
    UNREADABLE_FILE = "unreadable_file"
    MISSING_FILE = "missing_file"


FILE_PROBLEM_DESCRIPTIONS: dict[FileProblem, str] = {
    FileProblem.EMPTY_FILE: "A CSV or Parquet file with no bytes at all (not even a header).",
    FileProblem.TRUNCATED_FILE: (
        "A text file whose last line has no line break: the export was cut off mid-line."
    ),
    FileProblem.WRONG_ENCODING: (
        "Bytes that are not valid in the system's declared encoding (UTF-8 for CRM and TMS, "
        "GB18030 for ERP), or an ERP file that is really UTF-8."
    ),
    FileProblem.MISSING_COLUMN: "A contract column is not in the header / schema / records.",
    FileProblem.RENAMED_COLUMN: (
        "A contract column is missing and an unknown column is there instead."
    ),
    FileProblem.UNEXPECTED_COLUMN: "The CSV header has a column the contract does not declare.",
    FileProblem.COLUMN_ORDER: "The CSV header has the contract's columns in another order.",
    FileProblem.UNREADABLE_FILE: (
        "DuckDB cannot read the file at all (e.g. a corrupt Parquet file)."
    ),
    FileProblem.MISSING_FILE: "A complete export folder (with _SUCCESS) lacks this entity's file.",
}

# Date rules.
MIN_DATE = dt.date(2000, 1, 1)
MAX_YEARS_AFTER_BATCH = 3
OPEN_END_DATE = dt.date(9999, 12, 31)


def latest_allowed_date(batch_date: dt.date) -> dt.date:
    """The last date a row of this batch may carry: 3 years after the batch date."""
    try:
        return batch_date.replace(year=batch_date.year + MAX_YEARS_AFTER_BATCH)
    except ValueError:  # 29 February
        return batch_date.replace(year=batch_date.year + MAX_YEARS_AFTER_BATCH, day=28)


def human_format(strftime_format: str) -> str:
    """'%Y%m%d' -> 'YYYYMMDD', '%Y-%m-%dT%H:%M:%S%z' -> 'YYYY-MM-DDTHH:MM:SS+HH:MM'."""
    parts = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%H": "HH", "%M": "MM", "%S": "SS"}
    parts["%z"] = "+HH:MM"
    text = strftime_format
    for code, shown in parts.items():
        text = text.replace(code, shown)
    return text
