"""One asset per source entity: its export files loaded into raw.<system>__<entity>."""

import dagster as dg

from dagster_project.contracts import SYSTEMS, Entity, System
from dagster_project.lib.ingest import load_entity
from dagster_project.lib.settings import load_settings
from dagster_project.lib.warehouse import connect_build


def raw_asset_key(system: System, entity: Entity) -> dg.AssetKey:
    return dg.AssetKey(["raw", system.raw_table(entity)])


def _ingest_asset(system: System, entity: Entity) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(system, entity),
        group_name=f"ingest_{system.name}",
        kinds={"duckdb"},
        description=f"{system.name.upper()} {entity.name} ({entity.load}): {entity.description}",
        metadata={"primary_key": ", ".join(entity.primary_key), "load": entity.load},
    )
    def ingest(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        settings = load_settings()
        with connect_build(settings) as con:
            loaded = load_entity(con, settings.landing_dir, system, entity)
        context.log.info(f"{loaded.table}: {loaded.rows:,} rows from {len(loaded.files)} file(s)")
        return dg.MaterializeResult(
            metadata={
                "rows_loaded": dg.MetadataValue.int(loaded.rows),
                "files": dg.MetadataValue.int(len(loaded.files)),
                "rows_by_file": dg.MetadataValue.json(loaded.rows_by_file),
                "table": loaded.table,
            }
        )

    return ingest


ingest_assets = [_ingest_asset(system, entity) for system in SYSTEMS for entity in system.entities]
