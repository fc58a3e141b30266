"""One blocking check per raw table: the ledger balances and no export file was rejected.

- ERROR (blocks dbt and publishing): a file was rejected (missing or renamed column, wrong
  encoding, empty or truncated, unreadable), or a file's rows_read <> rows_loaded +
  rows_rejected, or raw / raw._rejects do not hold what the ledger says. Totals built on a
  missing file would be wrong, so yesterday's snapshot stays published.
- WARN (does not block): rows were rejected in this run; they are in raw._rejects.
"""

import dagster as dg

from dagster_project.contracts import SYSTEMS, Entity, System
from dagster_project.defs.ingest.assets import raw_asset_key
from dagster_project.lib.ingest import ledger_verdict
from dagster_project.lib.settings import load_settings
from dagster_project.lib.warehouse import connect_build


def _ledger_check(system: System, entity: Entity) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=raw_asset_key(system, entity),
        name="ledger_balances",
        blocking=True,
        description=(
            "Every file is loaded (none rejected) and rows_read = rows_loaded + rows_rejected, "
            "matching what raw and raw._rejects hold. Fails with ERROR (blocking publish) on a "
            "rejected file or an unbalanced ledger; WARN when rows were rejected in this run."
        ),
    )
    def ledger_balances(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        with connect_build(load_settings()) as con:
            verdict = ledger_verdict(con, system, entity, run_id=context.run.run_id)
        return dg.AssetCheckResult(
            passed=verdict.passed,
            severity=dg.AssetCheckSeverity.ERROR
            if verdict.blocking
            else dg.AssetCheckSeverity.WARN,
            description=verdict.summary(),
            metadata={
                "files": verdict.files,
                "rows_read": verdict.rows_read,
                "rows_loaded": verdict.rows_loaded,
                "rows_rejected": verdict.rows_rejected,
                "rows_rejected_this_run": verdict.run_rows_rejected,
                "rejected_files": dg.MetadataValue.json(verdict.rejected_files),
                "unbalanced_files": dg.MetadataValue.json(verdict.unbalanced),
            },
        )

    return ledger_balances


ingest_checks = [_ledger_check(system, entity) for system in SYSTEMS for entity in system.entities]
