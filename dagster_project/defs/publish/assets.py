"""Swap the checked build in as the published warehouse (only runs when dbt's build passed)."""

import dagster as dg

from dagster_project.defs.dbt.assets import profitlens_dbt_models
from dagster_project.defs.dbt.resources import dbt_project
from dagster_project.lib.publish import mart_tables, publish
from dagster_project.lib.settings import load_settings


@dg.asset(
    key=dg.AssetKey(["published_warehouse"]),
    deps=[profitlens_dbt_models],
    group_name="publish",
    kinds={"duckdb"},
    description=(
        "The snapshot the app and SQL users read. It is replaced atomically, and only after "
        "every blocking check (dbt tests of severity error) passed and the build holds every "
        "mart of the dbt project: a failed build keeps the previous snapshot live."
    ),
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = load_settings()
    required = mart_tables(dbt_project.manifest_path)
    result = publish(settings.build_path, settings.published_path, required)
    context.log.info(f"published {result.path} ({result.size_bytes / 1e6:.1f} MB)")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "size_mb": round(result.size_bytes / 1e6, 1),
            **{
                f"rows {table}": dg.MetadataValue.int(n)
                for table, n in result.rows_by_table.items()
            },
        }
    )
