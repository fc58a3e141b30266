"""Every dbt model an asset, every dbt test an asset check (dagster-dbt)."""

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from dagster_project.defs.dbt.resources import (
    dbt_environment,
    dbt_project,
    dbt_resource,
    ensure_manifest,
)

# --no-write-json: the night needs neither manifest.json (Dagster reads the one `dbt parse`
# writes) nor run_results.json (results stream from dbt's log); writing them cost 1.5-2.4 s of
# dbt's single Python thread a night.
NIGHTLY_BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test", "--no-write-json"]


class ProfitLensTranslator(DagsterDbtTranslator):
    """dbt sources are the raw tables the ingest assets write: raw/<system>__<entity>."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)


@dbt_assets(
    manifest=ensure_manifest(), project=dbt_project, dagster_dbt_translator=ProfitLensTranslator()
)
def profitlens_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    # dbt runs as a subprocess that opens the build file itself; no connection is held here.
    os.environ.update(dbt_environment())
    # Unit tests check the SQL logic on fixed inputs, not the night's data: `make test` runs
    # them (tests/dbt/test_unit_tests.py); the nightly build runs every model and data test.
    yield from dbt.cli(NIGHTLY_BUILD_ARGS, context=context).stream()


defs = dg.Definitions(assets=[profitlens_dbt_models], resources={"dbt": dbt_resource()})
