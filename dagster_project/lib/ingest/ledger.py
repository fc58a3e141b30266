"""Does the ledger prove that nothing was lost? The logic behind each entity's asset check."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from dagster_project.contracts import Entity, System
from dagster_project.lib.ingest.tables import (
    LOADS_TABLE,
    REJECTS_TABLE,
    STATUS_LOADED,
    STATUS_REJECTED,
    raw_table,
)


@dataclass
class LedgerVerdict:
    files: int = 0  # files whose latest load is in the ledger
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejected_files: list[str] = field(default_factory=list)  # their messages
    unbalanced: list[str] = field(default_factory=list)  # what does not add up, per file
    run_rows_loaded: int = 0  # in the given run
    run_rows_rejected: int = 0
    run_files_loaded: int = 0

    @property
    def blocking(self) -> bool:
        """A rejected file or a ledger that does not balance: totals downstream would be wrong."""
        return bool(self.rejected_files or self.unbalanced)

    @property
    def passed(self) -> bool:
        return not self.blocking and self.run_rows_rejected == 0

    def summary(self) -> str:
        if self.blocking:
            parts = []
            if self.rejected_files:
                parts.append(
                    f"{len(self.rejected_files)} file(s) rejected: " + self.rejected_files[0]
                )
            if self.unbalanced:
                parts.append(
                    f"{len(self.unbalanced)} file(s) do not balance: " + self.unbalanced[0]
                )
            return "; ".join(parts)
        if self.run_rows_rejected:
            return (
                f"ledger balances; {self.run_rows_rejected:,} row(s) rejected in this run "
                f"(see raw._rejects), {self.run_rows_loaded:,} loaded"
            )
        return f"ledger balances for {self.files} file(s): {self.rows_loaded:,} rows loaded"


def ledger_verdict(
    con: duckdb.DuckDBPyConnection, system: System, entity: Entity, run_id: str | None = None
) -> LedgerVerdict:
    """Check, per file, the latest load against the tables themselves:
    rows_read = rows_loaded + rows_rejected, the raw table holds rows_loaded rows of the file and
    raw._rejects holds rows_rejected; no raw rows without a ledger row; no file rejected."""
    verdict = LedgerVerdict()
    rows = con.execute(
        f"""
        with latest as (
            select * from {LOADS_TABLE}
            where system = $system and entity = $entity and status in ('{STATUS_LOADED}',
                  '{STATUS_REJECTED}')
            qualify row_number() over (partition by source_file order by finished_at desc) = 1
        ),
        in_raw as (
            select coalesce(loads.source_file, 'load_id ' || rows_by_load._load_id) as source_file,
                   sum(rows_by_load.n) as n
            from (
                select _load_id, count(*) as n from {raw_table(system, entity)} group by 1
            ) as rows_by_load
            left join {LOADS_TABLE} as loads on loads.load_id = rows_by_load._load_id
            group by 1
        ),
        in_rejects as (
            select source_file, count(*) as n from {REJECTS_TABLE}
            where system = $system and entity = $entity group by 1
        )
        select coalesce(l.source_file, r.source_file, q.source_file), l.status, l.message,
               l.rows_read, l.rows_loaded, l.rows_rejected,
               coalesce(r.n, 0), coalesce(q.n, 0), l.run_id
        from latest l
        full join in_raw r on r.source_file = l.source_file
        full join in_rejects q on q.source_file = coalesce(l.source_file, r.source_file)
        order by 1
        """,
        {"system": system.name, "entity": entity.name},
    ).fetchall()
    for path, status, message, read, loaded, rejected, in_raw, in_rejects, load_run in rows:
        if status is None:
            verdict.unbalanced.append(
                f"{path}: {in_raw} row(s) in raw and {in_rejects} in raw._rejects, "
                "but no load in the ledger"
            )
            continue
        verdict.files += 1
        if status == STATUS_REJECTED:
            verdict.rejected_files.append(message)
        verdict.rows_read += read
        verdict.rows_loaded += loaded
        verdict.rows_rejected += rejected
        if read != loaded + rejected:
            verdict.unbalanced.append(
                f"{path}: rows_read {read:,} <> rows_loaded {loaded:,} + rows_rejected {rejected:,}"
            )
        elif in_raw != loaded or in_rejects != rejected:
            verdict.unbalanced.append(
                f"{path}: the ledger says {loaded:,} loaded and {rejected:,} rejected, but raw "
                f"holds {in_raw:,} and raw._rejects {in_rejects:,}"
            )
        if run_id is not None and load_run == run_id and status == STATUS_LOADED:
            verdict.run_files_loaded += 1
            verdict.run_rows_loaded += loaded
            verdict.run_rows_rejected += rejected
    return verdict
