"""The Dagster build as operations run it: definitions, a whole build, and publish's guard."""

import hashlib
import shutil

import duckdb
import pytest

from dagster_project import cli
from dagster_project.contracts import SYSTEMS
from dagster_project.lib.settings import DBT_PROJECT_DIR
from tests.conftest import run_build

pytestmark = pytest.mark.slow


def test_definitions_load_with_an_asset_per_entity_dbt_models_publish_and_the_nightly_schedule():
    from dagster_project.definitions import defs

    definitions = defs()
    keys = {key.to_user_string() for key in definitions.resolve_all_asset_keys()}
    for system in SYSTEMS:
        for entity in system.entities:
            assert f"raw/{system.raw_table(entity)}" in keys
    marts = {
        f"marts/{name}"
        for name in ("fct_order_lines", "dim_customers", "dim_products", "dim_dates")
    }
    assert marts | {"published_warehouse"} <= keys
    schedule = definitions.resolve_schedule_def("nightly_build")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.job_name == "build_warehouse"
    job = definitions.resolve_job_def("build_warehouse")
    assert job.executor_def.name == "in_process"
    # the company-level reconciliations are checks on the facts they reconcile
    checks = definitions.get_repository_def().asset_graph.asset_check_keys
    reconciliations = {
        (check.asset_key.to_user_string(), check.name)
        for check in checks
        if check.name.startswith("assert_")
    }
    assert reconciliations == {
        ("marts/fct_order_lines", "assert_net_revenue_reconciles_to_erp"),
        ("marts/fct_order_lines", "assert_fct_order_lines_reconcile_to_erp_lines"),
        ("marts/fct_order_lines", "assert_profitability_adds_up"),
        ("marts/fct_production_orders", "assert_production_cost_reconciles_to_mes"),
        ("marts/fct_shipments", "assert_freight_reconciles_to_tms"),
    }


def test_a_whole_build_publishes_a_readable_warehouse(built_warehouse):
    with duckdb.connect(str(built_warehouse.published_path), read_only=True) as con:
        lines = con.execute("select count(*) from marts.fct_order_lines").fetchall()[0][0]
        raw_lines = con.execute(
            "select count(distinct (order_number, line_number)) from raw.erp__sales_order_lines"
        ).fetchall()[0][0]
    assert lines == raw_lines == built_warehouse.truth["order_lines"] > 1000
    assert not list(built_warehouse.warehouse_dir.glob(".*publishing*"))  # no staging copy left


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_build_that_fails_a_blocking_check_leaves_the_published_file_as_it_was(
    built_warehouse, settings_env, tmp_path, capsys
):
    # Yesterday's good snapshot is live ...
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    shutil.copy(built_warehouse.published_path, warehouse / "profitlens.duckdb")
    before = _sha256(warehouse / "profitlens.duckdb")
    # ... and tonight's ERP export lacks the USD rates: USD orders cannot be converted.
    landing = tmp_path / "landing"
    shutil.copytree(built_warehouse.landing_dir, landing)
    for fx_file in landing.glob("erp/*/fx_rates.csv"):
        kept = [
            line
            for line in fx_file.read_text(encoding="gb18030").splitlines()
            if ",USD," not in line
        ]
        fx_file.write_text("\n".join(kept) + "\n", encoding="gb18030")
    settings_env(landing, warehouse)

    result = run_build()

    assert not result.success
    failed_checks = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    # the fact's column checks (not_null on net_revenue_amount_rc) fail and block publishing
    assert "fct_order_lines_columns_valid" in failed_checks, failed_checks
    # the operator reads what the check found from the build's own file
    # dagster-dbt runs dbt in a target folder named after the run
    (compiled,) = (DBT_PROJECT_DIR / "target").glob(
        f"*-{result.run_id[:7]}-*/compiled/**/fct_order_lines_columns_valid.sql"
    )
    capsys.readouterr()  # the build's own output
    assert cli.main(["sql", "--build", "--csv", compiled.read_text()]) == 0
    found = capsys.readouterr().out.splitlines()
    assert found[0] == "check_name,column_name,value,row_count,severity"
    assert any(row.startswith("not_null,net_revenue_amount_rc,,") for row in found[1:]), found
    assert _sha256(warehouse / "profitlens.duckdb") == before
    published = result.asset_materializations_for_node("published_warehouse")
    assert published == []
