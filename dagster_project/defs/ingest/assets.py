"""One asset per source entity: its new and changed export files loaded into raw.<system>__<entity>.

The work is lib.ingest.load_entity; this file only wires it into Dagster and reports what the
run did as materialization metadata.
"""

import dagster as dg

from dagster_project.contracts import SYSTEMS, Entity, System
from dagster_project.lib.ingest import EntityLoad, load_entity
from dagster_project.lib.settings import load_settings
from dagster_project.lib.warehouse import connect_build


def raw_asset_key(system: System, entity: Entity) -> dg.AssetKey:
    return dg.AssetKey(["raw", system.raw_table(entity)])


def ingest_metadata(loaded: EntityLoad) -> dict[str, dg.MetadataValue]:
    """What this run did to the entity, as the Dagster UI shows it."""
    files = [
        {
            "file": f.source_file,
            "status": f.status,
            "rows_read": f.rows_read,
            "rows_loaded": f.rows_loaded,
            "rows_rejected": f.rows_rejected,
            "message": f.message,
        }
        for f in loaded.files
    ]
    return {
        "table": dg.MetadataValue.text(loaded.table),
        "rows_loaded": dg.MetadataValue.int(loaded.rows_loaded),
        "rows_rejected": dg.MetadataValue.int(loaded.rows_rejected),
        "files_loaded": dg.MetadataValue.int(loaded.files_loaded),
        "files_skipped": dg.MetadataValue.int(loaded.files_skipped),
        "files_rejected": dg.MetadataValue.int(loaded.files_rejected),
        "incomplete_batches": dg.MetadataValue.json(loaded.incomplete_batches),
        "files": dg.MetadataValue.json(files),
        "seconds": dg.MetadataValue.float(round(loaded.seconds, 3)),
    }


def _ingest_asset(system: System, entity: Entity) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(system, entity),
        group_name=f"ingest_{system.name}",
        kinds={"duckdb"},
        description=(
            f"{system.name.upper()} {entity.name} ({entity.load}): {entity.description} "
            "Every export row is loaded here or quarantined in raw._rejects; raw._loads is the "
            "ledger (docs/ingest_rules.md)."
        ),
        metadata={"primary_key": ", ".join(entity.primary_key), "load": entity.load},
    )
    def ingest(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        settings = load_settings()
        with connect_build(settings) as con:
            loaded = load_entity(
                con, settings.landing_dir, system, entity, run_id=context.run.run_id
            )
        context.log.info(
            f"{loaded.table}: {loaded.rows_loaded:,} rows loaded, {loaded.rows_rejected:,} "
            f"rejected; files: {loaded.files_loaded} loaded, {loaded.files_skipped} unchanged, "
            f"{loaded.files_rejected} rejected"
        )
        for batch in loaded.incomplete_batches:
            context.log.info(f"{system.name}/{batch} is not complete (no _SUCCESS yet): not read")
        for folder in loaded.ignored_folders:
            context.log.warning(
                f"{system.name}/{folder} is not a batch folder (YYYY-MM-DD): ignored"
            )
        for rejected in loaded.rejected_files:
            context.log.error(rejected.message)
        return dg.MaterializeResult(metadata=ingest_metadata(loaded))

    return ingest


ingest_assets = [_ingest_asset(system, entity) for system in SYSTEMS for entity in system.entities]
