"""Read the export files of one entity into a temporary stage table, each byte parsed once.

Every format lands in the same shape, `_ingest_stage`: `_file_id`, `_row` (Parquet row number),
the contract's columns with their declared types, `_problem` (NULL for a good row, else the
first broken rule and its reason), `_raw` (the original text of a broken row, when known),
`_blank` (an empty line of a JSON Lines file), `_key_hash` (of file and primary key, for the
duplicate check) and, for CSV timestamps, `_t_<column>` (the text as written, to rebuild a
rejected line exactly). The stage table is filled in file order, so its rowid is the order of
the rows in their files: that is how line numbers are derived.

- CSV: DuckDB's CSV reader with the contract's column types, date and timestamp formats and
  `store_rejects`: lines it cannot split or cast go to its rejects table with their line and
  text; the value rules run in the same statement.
- JSON Lines: DuckDB's CSV reader returns each physical line as one text value (no quoting, so
  line numbers are exact and a broken line keeps its text), and DuckDB's JSON functions parse it.
- Parquet: DuckDB's Parquet reader with `file_row_number`; values are cast to the contract.
Files are read in one scan per entity, a large file in a scan of its own (see _OWN_SCAN_BYTES);
if a scan fails, each file is retried on its own so a bad file is rejected by name and the
others still load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dagster_project.contracts import Column, Entity, System
from dagster_project.lib.ingest.fingerprint import FileFacts, Rejection
from dagster_project.lib.ingest.landing import ExportFile
from dagster_project.lib.ingest.rules import FileProblem, Rule, latest_allowed_date
from dagster_project.lib.ingest.sql import (
    Check,
    case_of,
    cast_text,
    expectation,
    ident,
    kind,
    lit,
    parse_checks,
    value_checks,
)
from dagster_project.lib.ingest.transcode import TranscodingPipes

STAGE = "_ingest_stage"
# Given several files, DuckDB's readers put one thread on each file, so a large export among
# small ones (the initial extract and a week of deltas) would be read by one thread: a file this
# large gets a scan of its own, which DuckDB splits across threads.
_OWN_SCAN_BYTES = 32 << 20
_JSON_LINE_DELIMITER = "\x1e"  # never in valid JSON text; a line holding it is malformed anyway


@dataclass(frozen=True)
class ScanFile:
    file_id: int
    export: ExportFile
    facts: FileFacts

    @property
    def bound(self) -> str:
        return str(latest_allowed_date(self.export.batch_date))


@dataclass(frozen=True)
class ParseReject:
    """A line DuckDB's reader rejected; `record` is its line as the reader counts them."""

    file_id: int
    record: int
    raw_line: str
    rule: Rule
    reason: str


@dataclass
class Staged:
    parse_rejects: list[ParseReject] = field(default_factory=list)
    rejections: dict[int, Rejection] = field(default_factory=dict)  # file-level, found in the scan
    parquet_rows: dict[int, int] = field(default_factory=dict)  # rows per Parquet file (metadata)


def stage(
    con: duckdb.DuckDBPyConnection, system: System, entity: Entity, files: list[ScanFile]
) -> Staged:
    _create_stage(con, system, entity)
    staged = Staged()
    if not files:
        return staged
    reader = {"csv": _stage_csv, "jsonl": _stage_jsonl, "parquet": _stage_parquet}[system.format]
    try:
        for scan in _scans(files):  # in file order: the stage's rowids follow the files
            reader(con, system, entity, scan, staged)
    except duckdb.Error as error:
        if len(files) == 1:
            staged.rejections[files[0].file_id] = _unreadable(files[0], error)
        else:
            # One bad file must not stop the others: start again, a file at a time.
            _create_stage(con, system, entity)
            staged = Staged()
            for scan_file in files:
                try:
                    reader(con, system, entity, [scan_file], staged)
                except duckdb.Error as file_error:
                    staged.rejections[scan_file.file_id] = _unreadable(scan_file, file_error)
    drop_files(con, staged, list(staged.rejections))
    return staged


def _scans(files: list[ScanFile]) -> list[list[ScanFile]]:
    """The files in order, in runs of small files, each large file a run of its own."""
    scans: list[list[ScanFile]] = []
    small: list[ScanFile] = []
    for scan_file in files:
        if scan_file.facts.size < _OWN_SCAN_BYTES:
            small.append(scan_file)
            continue
        if small:
            scans.append(small)
            small = []
        scans.append([scan_file])
    return scans + ([small] if small else [])


def drop_files(con: duckdb.DuckDBPyConnection, staged: Staged, file_ids: list[int]) -> None:
    """Take rejected files' rows out of the stage (a rejected file loads nothing)."""
    if not file_ids:
        return
    con.execute(f"delete from {STAGE} where list_contains(?, _file_id)", [file_ids])
    staged.parse_rejects = [r for r in staged.parse_rejects if r.file_id not in file_ids]


def _unreadable(scan_file: ScanFile, error: duckdb.Error) -> Rejection:
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "state machine" in first_line:
        first_line += (
            " (usually mixed line endings, or a carriage return outside quotes; "
            "re-export the file with one kind of line break)"
        )
    return Rejection(
        FileProblem.UNREADABLE_FILE, f"{scan_file.export.path}: DuckDB cannot read it: {first_line}"
    )


def _create_stage(con: duckdb.DuckDBPyConnection, system: System, entity: Entity) -> None:
    columns = ", ".join(f"{ident(c.name)} {c.type}" for c in entity.columns)
    texts = "".join(f", {ident(text_column(c))} VARCHAR" for c in verbatim_columns(system, entity))
    con.execute(
        f"create or replace temp table {STAGE} (_file_id INTEGER, _row BIGINT, {columns}{texts}, "
        f"_problem VARCHAR, _raw VARCHAR, _blank BOOLEAN, _key_hash UBIGINT)"
    )


def verbatim_columns(system: System, entity: Entity) -> list[Column]:
    """CSV columns kept as read, next to their typed value, so a rejected line is rebuilt exactly:
    timestamps (their UTC offset is not kept by the typed value)."""
    if system.format != "csv":
        return []
    return [c for c in entity.columns if kind(c.type) == "timestamp"]


def text_column(column: Column) -> str:
    return "_t_" + column.name


def _value_checks(entity: Entity, system: System, files: list[ScanFile]) -> list[Check]:
    """The value rules over the typed columns; the batch bound comes from $bounds by _idx."""
    kept = {c.name for c in verbatim_columns(system, entity)}
    return value_checks(
        entity,
        system,
        lambda c: ident(c.name),
        "list_extract($bounds::DATE[], _idx)",
        lit(min(f.bound for f in files)),
        lambda c: ident(text_column(c)) if c.name in kept else None,
    )


def _execute(con, sql: str, files: list[ScanFile], paths: list[str]) -> None:
    """Run a stage statement with the named parameters it uses ($ids, $bounds, $paths)."""
    values = {"ids": [f.file_id for f in files], "bounds": [f.bound for f in files], "paths": paths}
    con.execute(sql, {name: value for name, value in values.items() if f"${name}" in sql})


def _columns_and_rules(entity: Entity, checks: list[Check], blank: str = "false") -> str:
    """The contract's columns, the row's first broken rule, and a hash of (file, key) for the
    duplicate check (computed here, in the one pass over the data)."""
    problem = case_of(checks)
    if blank != "false":
        problem = f"case when {blank} then NULL else {problem} end"
    key = ", ".join(ident(c) for c in entity.primary_key)
    return (
        ", ".join(ident(c.name) for c in entity.columns)
        + f", {problem} as _problem, hash(_file_id, {key}) as _key_hash"
    )


# CSV ----------------------------------------------------------------------------------------


def _stage_csv(con, system: System, entity: Entity, files: list[ScanFile], staged: Staged) -> None:
    piped = [
        (f.export.path, f"{f.file_id}/{f.export.batch}/{f.export.path.name}")
        for f in files
        if not _duckdb_reads(system, f.facts)
    ]
    with TranscodingPipes(piped, system.encoding) as pipes:
        paths = [str(pipes.fifos.get(f.export.path, f.export.path)) for f in files]
        verbatim = verbatim_columns(system, entity)
        read_as = {c.name: "VARCHAR" if c in verbatim else c.type for c in entity.columns}
        columns = "{" + ", ".join(f"{lit(n)}: {lit(t)}" for n, t in read_as.items()) + "}"
        typed = ", ".join(
            f"{cast_text(c, ident(c.name), system)} as {ident(c.name)}, "
            f"{ident(c.name)} as {ident(text_column(c))}"
            if c in verbatim
            else ident(c.name)
            for c in entity.columns
        )
        texts = "".join(f", {ident(text_column(c))}" for c in verbatim)
        checks = parse_checks(
            entity, system, lambda c: ident(text_column(c)), lambda c: ident(c.name), verbatim
        )
        checks += _value_checks(entity, system, files)
        _execute(
            con,
            f"""
            insert into {STAGE} by name
            select list_extract($ids::INTEGER[], _idx) as _file_id,
                   {_columns_and_rules(entity, checks)}{texts}, false as _blank
            from (
            select _idx, {typed}
            from (
                select list_position($paths, filename) as _idx, * exclude (filename)
                from read_csv($paths, columns = {columns}, header = true, auto_detect = false,
                              delim = {lit(system.delimiter)}, quote = '"', escape = '"',
                              dateformat = {lit(system.date_format)},
                              timestampformat = {lit(system.timestamp_format)},
                              store_rejects = true, rejects_table = '_ingest_reader_rejects',
                              rejects_scan = '_ingest_reader_scans', filename = true)
            ))
            """,
            files,
            paths,
        )
    # Read after the pump thread has finished: it notes a failure only once it has closed the
    # pipe, which can be after DuckDB has read the pipe to its end.
    for path, rejection in pipes.errors.items():
        staged.rejections[_id_of(files, path)] = rejection
    staged.parse_rejects += _csv_rejects(con, system, entity, files)


def _duckdb_reads(system: System, facts: FileFacts) -> bool:
    """DuckDB reads UTF-8; a GB18030 file that is pure ASCII is UTF-8 too."""
    return system.encoding.lower().replace("_", "-") in ("utf-8", "utf-8-sig", "utf8") or (
        facts.is_ascii
    )


def _id_of(files: list[ScanFile], path: Path) -> int:
    return next(f.file_id for f in files if f.export.path == path)


_STRUCTURAL = {
    "MISSING COLUMNS": Rule.WRONG_COLUMN_COUNT,
    "TOO MANY COLUMNS": Rule.WRONG_COLUMN_COUNT,
}
_COUNTS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
_CAST_VALUE = re.compile(r'Could not convert string "(.*)" to ', re.DOTALL)


def _csv_rejects(con, system: System, entity: Entity, files: list[ScanFile]) -> list[ParseReject]:
    """The reader's rejected lines, one per line (its first error), with rule and reason."""
    rows = con.execute(
        "select file_id, line, column_idx, column_name, error_type, csv_line, error_message "
        "from _ingest_reader_rejects order by file_id, line, column_idx"
    ).fetchall()
    con.execute("drop table if exists _ingest_reader_rejects")
    con.execute("drop table if exists _ingest_reader_scans")
    by_line: dict[tuple[int, int], list[tuple]] = {}
    for row in rows:
        by_line.setdefault((row[0], row[1]), []).append(row)
    rejects = []
    for (file_index, line), errors in by_line.items():
        # Structural errors first (the fields are not the contract's), then the first column.
        errors.sort(key=lambda e: (e[4] == "CAST", e[2] if e[2] is not None else -1))
        _, _, _, column_name, error_type, csv_line, message = errors[0]
        rule, reason = _csv_reason(system, entity, column_name, error_type, message, csv_line)
        rejects.append(
            ParseReject(files[file_index].file_id, line, _clean_line(csv_line), rule, reason)
        )
    return rejects


def _clean_line(csv_line: str | None) -> str:
    return (csv_line or "").lstrip("\r\n").rstrip("\r\n")


def _csv_reason(system, entity, column_name, error_type, message, csv_line) -> tuple[Rule, str]:
    if error_type in _STRUCTURAL:
        counts = _COUNTS.search(message or "")
        found = f"found {counts.group(2)}" if counts else (message or "").strip()
        return Rule.WRONG_COLUMN_COUNT, (
            f"expected {len(entity.columns)} fields (the contract's columns "
            f"{entity.column_names[0]} ... {entity.column_names[-1]}), {found}"
        )
    if error_type == "CAST" and column_name in entity.column_names:
        column = entity.column(column_name)
        match = _CAST_VALUE.search(message or "")
        value = match.group(1) if match else "?"
        rule = {
            "number": Rule.UNPARSABLE_NUMBER,
            "date": Rule.UNPARSABLE_DATE,
            "timestamp": Rule.UNPARSABLE_DATE,
            "boolean": Rule.UNPARSABLE_BOOLEAN,
        }.get(kind(column.type), Rule.MALFORMED_CSV)
        return rule, f"{column.name} is '{value}'; expected {expectation(column, system)}"
    spans = _clean_line(csv_line).count("\n")
    detail = (message or error_type or "unreadable line").strip().splitlines()[0]
    if spans:
        detail += f" (the field runs over {spans + 1} lines, possibly to the end of the file)"
    return Rule.MALFORMED_CSV, f"the line cannot be split into fields: {detail}"


# JSON Lines ---------------------------------------------------------------------------------


def _stage_jsonl(con, system: System, entity: Entity, files: list[ScanFile], staged) -> None:
    paths = [str(f.export.path) for f in files]
    structure = "{" + ", ".join(f'"{c.name}": "{_json_type(c)}"' for c in entity.columns) + "}"

    def text(column: Column) -> str:
        return ident("_t_" + column.name)

    typed = ", ".join(
        f"{cast_text(c, f'_j.{ident(c.name)}', system)} as {ident(c.name)}, "
        f"_j.{ident(c.name)} as {text(c)}"
        for c in entity.columns
    )
    malformed = Check(
        Rule.MALFORMED_JSON,
        "_invalid",
        lit("the line is not one valid JSON object (cut off or malformed)"),
    )
    checks = [
        malformed,
        *parse_checks(entity, system, text, lambda c: ident(c.name)),
        *_value_checks(entity, system, files),
    ]
    _execute(
        con,
        f"""
        insert into {STAGE} by name
        select _file_id, {_columns_and_rules(entity, checks, blank="_blank")}, _blank,
               case when not _blank and _problem is not null then _line end as _raw
        from (
            select list_extract($ids::INTEGER[], _idx) as _file_id, _idx, _line, _blank,
                   _j is null as _invalid, {typed}
            from (
                select list_position($paths, filename) as _idx, line as _line,
                       -- trim() copies the whole line: only for a line not starting with {{
                       case when line ^@ '{{' then false
                            else coalesce(trim(line), '') = '' end as _blank,
                       case when (case when line ^@ '{{' then true else ltrim(line) ^@ '{{' end)
                                 and json_valid(line)
                            then from_json(line, {lit(structure)}) end as _j
                from read_csv($paths, columns = {{'line': 'VARCHAR'}}, header = false,
                              auto_detect = false, delim = {lit(_JSON_LINE_DELIMITER)},
                              quote = '', escape = '', strict_mode = false,
                              store_rejects = true, rejects_table = '_ingest_reader_rejects',
                              rejects_scan = '_ingest_reader_scans', filename = true)
            )
        )
        """,
        files,
        paths,
    )
    rows = con.execute(
        "select file_id, line, csv_line, error_message from _ingest_reader_rejects "
        "order by file_id, line"
    ).fetchall()
    con.execute("drop table if exists _ingest_reader_rejects")
    con.execute("drop table if exists _ingest_reader_scans")
    seen = set()
    for file_index, line, csv_line, message in rows:
        if (file_index, line) in seen:
            continue
        seen.add((file_index, line))
        detail = (message or "").strip().splitlines()[0] if (message or "").strip() else ""
        staged.parse_rejects.append(
            ParseReject(
                files[file_index].file_id,
                line,
                _clean_line(csv_line),
                Rule.MALFORMED_JSON,
                f"the line is not one valid JSON object: {detail}",
            )
        )


def _json_type(column: Column) -> str:
    # Lists stay JSON so a non-array can be told from an array; everything else as text.
    return "JSON" if kind(column.type) == "list" else "VARCHAR"


# Parquet ------------------------------------------------------------------------------------


def _stage_parquet(con, system: System, entity: Entity, files: list[ScanFile], staged) -> None:
    problems = _parquet_schema_problems(con, entity, files)
    staged.rejections.update(problems)
    readable = [f for f in files if f.file_id not in problems]
    if not readable:
        return
    paths = [str(f.export.path) for f in readable]
    for file_path, rows in con.execute(
        "select file_name, num_rows from parquet_file_metadata(?)", [paths]
    ).fetchall():
        staged.parquet_rows[_id_of(readable, Path(file_path))] = rows

    def source(column: Column) -> str:
        return ident("_s_" + column.name)

    originals = ", ".join(f"{ident(c.name)} as {source(c)}" for c in entity.columns)
    typed = ", ".join(
        f"try_cast({source(c)} as {c.type}) as {ident(c.name)}" for c in entity.columns
    )
    checks = parse_checks(entity, system, source, lambda c: ident(c.name))
    checks += _value_checks(entity, system, readable)
    original_row = ", ".join(f"{ident(c.name)} := {source(c)}" for c in entity.columns)
    _execute(
        con,
        f"""
        insert into {STAGE} by name
        select _file_id, _row, {_columns_and_rules(entity, checks)}, false as _blank,
               case when _problem is not null
                    then cast(to_json(struct_pack({original_row})) as VARCHAR) end as _raw
        from (
            select list_extract($ids::INTEGER[], _idx) as _file_id, _idx, _row, {typed},
                   {", ".join(source(c) for c in entity.columns)}
            from (
                select list_position($paths, filename) as _idx, file_row_number as _row,
                       {originals}
                from read_parquet($paths, file_row_number = true, filename = true,
                                  union_by_name = true)
            )
        )
        """,
        readable,
        paths,
    )


def _parquet_schema_problems(con, entity: Entity, files: list[ScanFile]) -> dict[int, Rejection]:
    """Files DuckDB cannot open as Parquet, or whose schema lacks a contract column."""
    problems: dict[int, Rejection] = {}
    for scan_file in files:
        path = scan_file.export.path
        try:
            found = [
                name
                for (name,) in con.execute(
                    "select name from parquet_schema(?) where coalesce(num_children, 0) = 0",
                    [str(path)],
                ).fetchall()
            ]
        except duckdb.Error as error:
            problems[scan_file.file_id] = _unreadable(scan_file, error)
            continue
        missing = [c for c in entity.column_names if c not in found]
        if not missing:
            continue
        unknown = [n for n in found if n not in entity.column_names]
        names = ", ".join(f"'{m}'" for m in missing)
        contract = f"The contract's columns are: {', '.join(entity.column_names)}."
        if unknown:
            problems[scan_file.file_id] = Rejection(
                FileProblem.RENAMED_COLUMN,
                f"{path}: column {names} is missing from the Parquet schema, which has "
                f"{', '.join(repr(u) for u in unknown)} instead (renamed?). {contract}",
            )
        else:
            problems[scan_file.file_id] = Rejection(
                FileProblem.MISSING_COLUMN,
                f"{path}: column {names} is missing from the Parquet schema. {contract}",
            )
    return problems
