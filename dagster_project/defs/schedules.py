"""The nightly build: every asset, in one process (DuckDB has one writer per file)."""

import dagster as dg

from dagster_project.lib.settings import load_settings

build_warehouse = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Ingest every export, run dbt build, and publish when every blocking check passed.",
)

nightly_build = dg.ScheduleDefinition(
    name="nightly_build",
    job=build_warehouse,
    cron_schedule="0 2 * * *",
    execution_timezone=load_settings().schedule_timezone,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
