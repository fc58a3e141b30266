"""Load one entity's new and changed export files into its raw table, quarantining what breaks.

Per entity and run, in one transaction:
1. find the files in complete batch folders (`_SUCCESS`), and what the ledger knows of them;
2. skip files that are unchanged (same size and not modified since they were loaded, or, when
   re-read, the same sha256); checksum the rest in one pass, which also finds file-level
   problems (empty, truncated, wrong encoding, header not the contract's). For a new file the
   pass runs in a thread while DuckDB scans it; only the cheap checks of its head and last
   byte come first, and a problem the pass finds later (wrong encoding) rejects the file then;
3. read every remaining file once, in DuckDB scans (a large file in a scan of its own), into a
   stage table (see stage.py), with the value rules applied; then find duplicate keys within
   each file;
4. delete what earlier versions of these files loaded (raw rows and rejects), insert the good
   rows into raw.<system>__<entity> with their batch and load id, and every bad row into
   raw._rejects with its line number;
5. write one ledger row per file into raw._loads (load_id, rows read, loaded, rejected).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from dagster_project.contracts import Entity, System
from dagster_project.lib.ingest.fingerprint import (
    FileFacts,
    Rejection,
    fingerprint,
    first_look,
)
from dagster_project.lib.ingest.landing import ExportFile, discover
from dagster_project.lib.ingest.lines import FileLines, map_lines
from dagster_project.lib.ingest.rules import FileProblem, Rule
from dagster_project.lib.ingest.sql import SEPARATOR, ident, render_csv_line, render_json_line
from dagster_project.lib.ingest.stage import (
    STAGE,
    ScanFile,
    Staged,
    drop_files,
    stage,
    text_column,
    verbatim_columns,
)
from dagster_project.lib.ingest.tables import (
    LOAD_IDS,
    LOADS_COLUMNS,
    LOADS_TABLE,
    REJECTS_TABLE,
    STATUS_LOADED,
    STATUS_REJECTED,
    STATUS_SKIPPED,
    ensure_tables,
    raw_table,
)
from dagster_project.lib.settings import load_settings
from dagster_project.lib.warehouse import connect_build

_TEMP_TABLES = (
    STAGE,
    "_ingest_shifts",
    "_ingest_dup_groups",
    "_ingest_dups",
    "_ingest_row_rejects",
    "_ingest_parse_rejects",
)


@dataclass(frozen=True)
class FileLoad:
    """What happened to one file in this run (also its row in raw._loads)."""

    source_file: str
    batch: str
    status: str  # loaded | skipped_unchanged | file_rejected
    size_bytes: int | None
    sha256: str | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    message: str


@dataclass
class EntityLoad:
    system: str
    entity: str
    table: str
    run_id: str
    files: list[FileLoad] = field(default_factory=list)  # files this run looked into
    unchanged: int = 0  # files not re-read: same size, not modified since they were loaded
    incomplete_batches: list[str] = field(default_factory=list)
    ignored_folders: list[str] = field(default_factory=list)
    reset: bool = False  # the raw table was recreated (contract changed): everything reloaded
    seconds: float = 0.0

    def _with(self, status: str) -> list[FileLoad]:
        return [f for f in self.files if f.status == status]

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def files_loaded(self) -> int:
        return len(self._with(STATUS_LOADED))

    @property
    def files_skipped(self) -> int:
        return len(self._with(STATUS_SKIPPED)) + self.unchanged

    @property
    def files_rejected(self) -> int:
        return len(self._with(STATUS_REJECTED))

    @property
    def rejected_files(self) -> list[FileLoad]:
        return self._with(STATUS_REJECTED)


@dataclass(frozen=True)
class _Previous:
    sha256: str | None
    size_bytes: int | None
    started_at: dt.datetime
    status: str
    run_id: str
    message: str


def load_entity(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    system: System,
    entity: Entity,
    *,
    run_id: str | None = None,
    verify_checksums: bool = False,
) -> EntityLoad:
    """Load the entity's new and changed files; see the module docstring. Idempotent."""
    clock = time.perf_counter()
    started = _now()
    con.execute("set TimeZone = 'UTC'")
    result = EntityLoad(system.name, entity.name, raw_table(system, entity), run_id or _run_id())
    result.reset = ensure_tables(con, system, entity)
    found = discover(Path(landing_dir), system, entity)
    result.incomplete_batches = found.incomplete_batches
    result.ignored_folders = found.ignored_folders
    previous = _previous_loads(con, system, entity)

    candidates = []
    for export in found.files:
        before = previous.get(str(export.path))
        if before and not verify_checksums and _untouched(export.path, before):
            result.unchanged += 1
        else:
            candidates.append(export)
    # Two threads: hashlib releases the GIL, and DuckDB's scan runs alongside.
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="checksum")
    checksums = {e.path: pool.submit(fingerprint, e.path, system, entity) for e in candidates}
    facts = {}
    for export in candidates:
        # A file read before needs its checksum now: an unchanged one is skipped, not scanned.
        early = None if str(export.path) in previous else first_look(export.path, system, entity)
        facts[export.path] = early or checksums[export.path].result()

    ledger: list[FileLoad] = []
    rejected: list[tuple[ExportFile, FileFacts | None, Rejection]] = []
    to_scan: list[ScanFile] = []
    for export in candidates:
        before, fact = previous.get(str(export.path)), facts[export.path]
        if before and before.sha256 == fact.sha256:
            ledger.append(_skipped(export, fact, before))
        elif fact.rejection is not None:
            rejected.append((export, fact, fact.rejection))
        else:
            to_scan.append(ScanFile(len(to_scan), export, fact))
    for export in found.missing:
        if str(export.path) not in previous:
            message = (
                f"{export.path}: the export folder is marked complete (_SUCCESS) but has no "
                f"{export.path.name}."
            )
            rejected.append((export, None, Rejection(FileProblem.MISSING_FILE, message)))

    if not (ledger or rejected or to_scan):
        pool.shutdown()
        result.seconds = time.perf_counter() - clock
        return result  # nothing new: nothing to write
    in_transaction = False
    try:
        # The stage is a temporary table: reading needs no transaction, and a file that fails
        # to read must not abort one. Replacing rows and the ledger is one transaction.
        staged = stage(con, system, entity, to_scan)
        to_scan = _with_checksums(con, to_scan, checksums, staged)
        for scan_file in to_scan:
            if scan_file.file_id in staged.rejections:
                reason = staged.rejections[scan_file.file_id]
                rejected.append((scan_file.export, scan_file.facts, reason))
        scanned = [f for f in to_scan if f.file_id not in staged.rejections]
        con.begin()
        in_transaction = True
        replaced = [str(f.export.path) for f in scanned] + [str(e.path) for e, _, _ in rejected]
        _delete_earlier_rows(con, system, entity, [p for p in replaced if p in previous])
        loaded_at = _now()
        load_ids = _next_load_ids(con, [str(f.export.path) for f in scanned])
        ledger += _load_scanned(
            con, system, entity, scanned, staged, result.run_id, loaded_at, load_ids
        )
        ledger += [_file_rejected(export, fact, reason) for export, fact, reason in rejected]
        _write_ledger(con, system, entity, ledger, started, result.run_id, load_ids)
        con.commit()
        in_transaction = False
    except BaseException:
        if in_transaction:
            con.rollback()
        raise
    finally:
        pool.shutdown(cancel_futures=True)
        for table in _TEMP_TABLES:
            con.execute(f"drop table if exists {table}")
    result.files = sorted(ledger, key=lambda f: (f.batch, f.source_file))
    result.seconds = time.perf_counter() - clock
    return result


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _run_id() -> str:
    return f"adhoc-{uuid.uuid4()}"


def _previous_loads(con, system: System, entity: Entity) -> dict[str, _Previous]:
    """The latest ledger row of each file that was read (loaded, rejected or found unchanged)."""
    rows = con.execute(
        f"""
        select source_file, sha256, size_bytes, started_at, status, run_id, message
        from {LOADS_TABLE}
        where system = ? and entity = ?
        qualify row_number() over (partition by source_file order by finished_at desc) = 1
        """,
        [system.name, entity.name],
    ).fetchall()
    return {row[0]: _Previous(*row[1:]) for row in rows}


def _untouched(path: Path, before: _Previous) -> bool:
    """Same size and not modified since it was last read: unchanged without re-reading it."""
    if before.sha256 is None or before.size_bytes is None:
        return False
    stat = path.stat()
    read_at_ns = int(before.started_at.timestamp() * 1_000_000) * 1000
    return stat.st_size == before.size_bytes and stat.st_mtime_ns < read_at_ns


def _with_checksums(
    con, files: list[ScanFile], checksums: dict[Path, Future], staged: Staged
) -> list[ScanFile]:
    """The scanned files with their full facts; a file-level problem the checksum pass found
    (wrong encoding) rejects the file, and its reason wins over any the scan gave."""
    settled, found = [], []
    for scan_file in files:
        facts = checksums[scan_file.export.path].result()
        if facts.rejection is not None:
            staged.rejections[scan_file.file_id] = facts.rejection
            found.append(scan_file.file_id)
        settled.append(replace(scan_file, facts=facts))
    drop_files(con, staged, found)
    return settled


def _skipped(export: ExportFile, fact: FileFacts, before: _Previous) -> FileLoad:
    message = (
        f"unchanged: same sha256 as read in run {before.run_id} "
        f"({before.started_at:%Y-%m-%d %H:%M} UTC); not read again"
    )
    if before.status == STATUS_REJECTED or (
        before.status == STATUS_SKIPPED and before.message.startswith("still rejected")
    ):
        message = "still rejected, " + message
    return FileLoad(
        str(export.path),
        export.batch,
        STATUS_SKIPPED,
        fact.size,
        fact.sha256,
        0,
        0,
        0,
        message,
    )


def _file_rejected(export: ExportFile, fact: FileFacts | None, reason: Rejection) -> FileLoad:
    return FileLoad(
        str(export.path),
        export.batch,
        STATUS_REJECTED,
        fact.size if fact else None,
        fact.sha256 if fact else None,
        0,
        0,
        0,
        reason.text(),
    )


def _next_load_ids(con, paths: list[str]) -> dict[str, int]:
    """Ledger ids for files about to be loaded: their raw rows carry them."""
    if not paths:
        return {}
    ids = con.execute(f"select nextval('{LOAD_IDS}') from range(?)", [len(paths)]).fetchall()
    return {path: load_id for path, (load_id,) in zip(paths, ids, strict=True)}


def _delete_earlier_rows(con, system: System, entity: Entity, paths: list[str]) -> None:
    if not paths:
        return
    con.execute(
        f"""
        delete from {raw_table(system, entity)}
        where _load_id in (
            select load_id from {LOADS_TABLE}
            where system = $system and entity = $entity and list_contains($paths, source_file)
        )
        """,
        {"system": system.name, "entity": entity.name, "paths": paths},
    )
    con.execute(
        f"delete from {REJECTS_TABLE} where system = $system and entity = $entity "
        f"and list_contains($paths, source_file)",
        {"system": system.name, "entity": entity.name, "paths": paths},
    )


def _load_scanned(
    con,
    system: System,
    entity: Entity,
    files: list[ScanFile],
    staged: Staged,
    run_id: str,
    loaded_at: dt.datetime,
    load_ids: dict[str, int],
) -> list[FileLoad]:
    if not files:
        return []
    header_lines = 1 if system.format == "csv" else 0
    # Every per-file count in one pass over the stage (rows emitted, first rowid, blank lines,
    # rows passing the value rules, rows breaking one).
    stats = {
        row[0]: row[1:]
        for row in con.execute(
            f"""
            select _file_id, count(*), min(rowid), count(*) filter (where _blank),
                   count(*) filter (where _problem is null and not _blank),
                   count(*) filter (where _problem is not null and not _blank)
            from {STAGE} group by _file_id
            """
        ).fetchall()
    }
    rejects_by_file: dict[int, list] = {}
    for reject in staged.parse_rejects:
        rejects_by_file.setdefault(reject.file_id, []).append(reject)

    lines: dict[int, FileLines] = {}
    files_rows, shift_rows = [], []
    for scan_file in files:
        emitted, first_rowid, blanks = stats.get(scan_file.file_id, (0, 0, 0))[:3]
        if system.format == "parquet":
            read = staged.parquet_rows.get(scan_file.file_id, emitted)
            lines[scan_file.file_id] = FileLines(rows_read=read)
        else:
            mapped = map_lines(
                scan_file.export.path,
                scan_file.facts.physical_lines,
                emitted,
                [r.record for r in rejects_by_file.get(scan_file.file_id, [])],
                header_lines,
                quoted=system.format == "csv",
            )
            mapped.rows_read -= blanks
            lines[scan_file.file_id] = mapped
            shift_rows += [
                (scan_file.file_id, first_rowid + k - 1, shift) for k, shift in mapped.shifts
            ]
        files_rows.append(
            (scan_file.file_id, str(scan_file.export.path), scan_file.export.batch, first_rowid)
        )
    _temp_table(
        con,
        "_ingest_shifts",
        {"file_id": "INTEGER", "from_rowid": "BIGINT", "shift": "BIGINT"},
        shift_rows,
    )

    _find_duplicates(con, entity)
    # By file id (0..n-1 in scan order): constant lists instead of a join on every row.
    by_id: list[tuple] = [("", "", 0)] * (max(f.file_id for f in files) + 1)
    for file_id, source, batch, first_rowid in files_rows:
        by_id[file_id] = (source, batch, first_rowid)
    shifted = bool(shift_rows)
    _insert_rejects(con, system, entity, files, staged, lines, run_id, loaded_at, by_id, shifted)
    # Duplicates are quarantined now; dropping them from the stage leaves the insert below a
    # plain filtered scan, which DuckDB writes in parallel (an anti-join before it would make
    # the write single-threaded). A raw row carries its batch and file, not its line: only a
    # rejected row needs the line (above), and within a file a key occurs once, so the raw
    # rows need no order either.
    con.execute(f"delete from {STAGE} where rowid in (select rid from _ingest_dups)")
    columns = ", ".join(f"s.{ident(c.name)}" for c in entity.columns)
    sql = f"""
        insert into {raw_table(system, entity)} by name
        select {columns},
               list_extract($batches, s._file_id + 1) as _batch,
               list_extract($load_ids, s._file_id + 1) as _load_id,
               $loaded_at as _loaded_at
        from {STAGE} s
        where s._problem is null and not s._blank
        """
    values = {
        "loaded_at": loaded_at,
        "load_ids": [load_ids.get(row[0]) for row in by_id],
        "batches": [row[1] for row in by_id],
    }
    (ordered,) = con.execute("select current_setting('preserve_insertion_order')").fetchone()
    con.execute("set preserve_insertion_order = false")
    try:
        con.execute(sql, values)
    finally:
        con.execute(f"set preserve_insertion_order = {str(bool(ordered)).lower()}")
    counts = {file_id: row[3:] for file_id, row in stats.items()}
    return _file_loads(con, files, lines, rejects_by_file, counts)


def _line_sql(system: System, rid: str, alias: str, shifted: bool, shifts: str = "sh") -> str:
    """The physical line of a staged row: its place among the file's rows, plus the header,
    plus the lines the reader rejected before it (`shifts`, an ASOF join; none if no rejects)."""
    if system.format == "parquet":
        return f"{alias}._row + 1"
    header_lines = 1 if system.format == "csv" else 0
    line = f"{rid} - list_extract($first_rowids, {alias}._file_id + 1) + {1 + header_lines}"
    return f"{line} + coalesce({shifts}.shift, 0)" if shifted else line


def _shift_join(system: System, rid: str, file_id: str, shifted: bool, alias: str = "sh") -> str:
    if system.format == "parquet" or not shifted:
        return ""
    return (
        f"asof left join _ingest_shifts {alias} "
        f"on {alias}.file_id = {file_id} and {rid} >= {alias}.from_rowid"
    )


def _find_duplicates(con, entity: Entity) -> None:
    """Rows repeating a key already seen earlier in the same file (among rows passing every
    other rule): the first occurrence is kept.

    One grouping pass over a 64-bit hash of (file, key), carrying nothing but the hash, finds
    the repeated hashes; only their rows are then read and grouped by their real key, so a
    hash collision can never make a false duplicate."""
    key = ", ".join(ident(c) for c in entity.primary_key)
    good = "_problem is null and not _blank"
    con.execute(
        f"""
        create or replace temp table _ingest_dup_groups as
        select _key_hash as h from {STAGE} where {good}
        group by h having count(*) > 1
        """
    )
    con.execute(
        f"""
        create or replace temp table _ingest_dups as
        select rid, _file_id, first_rid, first_row
        from (
            select rid, _file_id,
                   min(rid) over (partition by _file_id, {key}) as first_rid,
                   arg_min(_row, rid) over (partition by _file_id, {key}) as first_row
            from (
                select rowid as rid, _file_id, _row, {key} from {STAGE}
                where {good} and _key_hash in (select h from _ingest_dup_groups)
            )
        )
        where rid <> first_rid
        """
    )


def _insert_rejects(
    con,
    system: System,
    entity: Entity,
    files: list[ScanFile],
    staged: Staged,
    lines: dict[int, FileLines],
    run_id: str,
    rejected_at: dt.datetime,
    by_id: list[tuple],
    shifted: bool,
) -> None:
    def value(column) -> str:
        return f"s.{ident(column.name)}"

    kept = {c.name for c in verbatim_columns(system, entity)}
    render = (
        render_csv_line(
            entity,
            system,
            value,
            lambda c: f"s.{ident(text_column(c))}" if c.name in kept else None,
        )
        if system.format == "csv"
        else render_json_line(entity, system, value)
    )
    key = " || ', ' || ".join(
        f"'{c}=' || coalesce(cast(s.{ident(c)} as VARCHAR), '')" for c in entity.primary_key
    )
    con.execute(
        f"""
        create or replace temp table _ingest_row_rejects as
        select s.rowid as rid, s._file_id, s._row,
               split_part(s._problem, {SEPARATOR}, 1) as rule,
               split_part(s._problem, {SEPARATOR}, 2) as reason,
               coalesce(s._raw, {render}) as raw_line,
               cast(NULL as BIGINT) as first_rid, cast(NULL as BIGINT) as first_row
        from {STAGE} s
        where s._problem is not null and not s._blank
        union all
        select d.rid, s._file_id, s._row, '{Rule.DUPLICATE_KEY}', 'key ' || {key}, {render},
               d.first_rid, d.first_row
        from _ingest_dups d
        join {STAGE} s on s.rowid = d.rid
        """
    )
    first_line = (
        "b.first_row + 1"
        if system.format == "parquet"
        else _line_sql(system, "b.first_rid", "b", shifted, "fsh")
    )
    first_shift = _shift_join(system, "coalesce(b.first_rid, -1)", "b._file_id", shifted, "fsh")
    con.execute(
        f"""
        insert into {REJECTS_TABLE} by name
        select $system as system, $entity as entity,
               list_extract($batches, b._file_id + 1) as batch,
               list_extract($sources, b._file_id + 1) as source_file,
               {_line_sql(system, "b.rid", "b", shifted)} as line_number, b.raw_line, b.rule,
               case when b.rule = '{Rule.DUPLICATE_KEY}'
                    then b.reason || ' already appears on line ' || cast({first_line} as VARCHAR)
                         || ' of this file; the first occurrence is loaded'
                    else b.reason end as reason,
               $run_id as run_id, $rejected_at as rejected_at
        from _ingest_row_rejects b
        {_shift_join(system, "b.rid", "b._file_id", shifted)}
        {first_shift}
        """,
        {
            "system": system.name,
            "entity": entity.name,
            "run_id": run_id,
            "rejected_at": rejected_at,
            "sources": [row[0] for row in by_id],
            "batches": [row[1] for row in by_id],
            **({} if system.format == "parquet" else {"first_rowids": [row[2] for row in by_id]}),
        },
    )
    if staged.parse_rejects:
        by_id = {f.file_id: f for f in files}
        rows = [
            (
                str(by_id[r.file_id].export.path),
                by_id[r.file_id].export.batch,
                lines[r.file_id].reject_lines.get(r.record, r.record),
                r.raw_line,
                str(r.rule),
                r.reason,
            )
            for r in staged.parse_rejects
        ]
        _temp_table(
            con,
            "_ingest_parse_rejects",
            {
                "source_file": "VARCHAR",
                "batch": "VARCHAR",
                "line_number": "BIGINT",
                "raw_line": "VARCHAR",
                "rule": "VARCHAR",
                "reason": "VARCHAR",
            },
            rows,
        )
        con.execute(
            f"""
            insert into {REJECTS_TABLE} by name
            select $system as system, $entity as entity, batch, source_file, line_number,
                   raw_line, rule, reason, $run_id as run_id, $rejected_at as rejected_at
            from _ingest_parse_rejects
            """,
            {
                "system": system.name,
                "entity": entity.name,
                "run_id": run_id,
                "rejected_at": rejected_at,
            },
        )


def _temp_table(con, name: str, columns: dict[str, str], rows: list[tuple]) -> None:
    """A small temporary table from Python rows (lists bound as parameters, unnested)."""
    con.execute(
        f"create or replace temp table {name} ("
        + ", ".join(f"{column} {sql_type}" for column, sql_type in columns.items())
        + ")"
    )
    if not rows:
        return
    values = {f"c{i}": [r[i] for r in rows] for i in range(len(columns))}
    selects = ", ".join(
        f"unnest(cast($c{i} as {sql_type}[]))" for i, sql_type in enumerate(columns.values())
    )
    con.execute(f"insert into {name} select {selects}", values)


def _file_loads(
    con,
    files: list[ScanFile],
    lines: dict[int, FileLines],
    rejects_by_file,
    counts: dict[int, tuple[int, int]],
) -> list:
    """`counts`: (rows passing the value rules, rows breaking one) per file, duplicates included."""
    dups = dict(
        con.execute("select _file_id, count(*) from _ingest_dups group by _file_id").fetchall()
    )
    loads = []
    for scan_file in files:
        good, bad = counts.get(scan_file.file_id, (0, 0))
        duplicates = dups.get(scan_file.file_id, 0)
        parse_rejected = len(rejects_by_file.get(scan_file.file_id, []))
        mapped = lines[scan_file.file_id]
        loaded = good - duplicates
        rejected = bad + duplicates + parse_rejected
        message = f"{loaded:,} rows loaded, {rejected:,} rejected"
        if mapped.note:
            message += f"; {mapped.note}"
        loads.append(
            FileLoad(
                str(scan_file.export.path),
                scan_file.export.batch,
                STATUS_LOADED,
                scan_file.facts.size,
                scan_file.facts.sha256,
                mapped.rows_read,
                loaded,
                rejected,
                message,
            )
        )
    return loads


def _write_ledger(
    con,
    system: System,
    entity: Entity,
    loads: list[FileLoad],
    started,
    run_id: str,
    load_ids: dict[str, int],
) -> None:
    """One row per file; a loaded file's row has the id its raw rows carry."""
    if not loads:
        return
    finished = _now()
    others = _next_load_ids(con, [f.source_file for f in loads if f.status != STATUS_LOADED])
    rows = [
        (
            load_ids[load.source_file]
            if load.status == STATUS_LOADED
            else others[load.source_file],
            load.source_file,
            system.name,
            entity.name,
            load.batch,
            load.size_bytes,
            load.sha256,
            load.rows_read,
            load.rows_loaded,
            load.rows_rejected,
            load.status,
            load.message,
            started,
            finished,
            run_id,
        )
        for load in loads
    ]
    columns = ", ".join(LOADS_COLUMNS)
    placeholders = ", ".join("?" for _ in LOADS_COLUMNS)
    con.executemany(f"insert into {LOADS_TABLE} ({columns}) values ({placeholders})", rows)


def load_all(database: Path, landing_dir: Path, *, run_id: str | None = None) -> list[EntityLoad]:
    """Every entity of every system loaded into `database`, a connection each with the build's
    settings, as the Dagster assets run them (tests and benchmarks drive a whole ingest
    through this)."""
    from dagster_project.contracts import SYSTEMS

    settings = load_settings()
    loads = []
    for system in SYSTEMS:
        for entity in system.entities:
            with connect_build(settings, database) as con:
                loads.append(load_entity(con, landing_dir, system, entity, run_id=run_id))
    return loads
