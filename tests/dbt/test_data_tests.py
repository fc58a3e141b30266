"""The build's data tests catch what they are there for, on a copy of the demo warehouse.

A fact key missing from its dimension fails the fact's columns_valid test, naming the
check, the column and the value; a failed key check holds back the models built from its
model and makes the next night test the same rows again; a staging row breaking a test fails
it when the row was loaded after the last successful build (a night tests the rows it loaded:
dbt_project.yml).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.settings import BUILD_FILE_NAME
from tests.dbt.dbt_cli import run_dbt

pytestmark = pytest.mark.slow


@pytest.fixture
def warehouse_copy(built_warehouse, tmp_path) -> Path:
    database = tmp_path / "copy.duckdb"
    shutil.copy(built_warehouse.warehouse_dir / "build" / BUILD_FILE_NAME, database)
    return database


def _failing_rows(work_dir: Path, database: Path, test_name: str) -> list[tuple]:
    """What the compiled test returns: the rows dbt counts as failures."""
    (compiled,) = (work_dir / "target" / "compiled").rglob(f"{test_name}.sql")
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(compiled.read_text().replace('"copy".', "")).fetchall()


def _point_a_payment_at_no_customer(database: Path) -> None:
    with duckdb.connect(str(database)) as con:
        con.execute(
            "update marts.fct_payments set customer_key = 'no-such-customer' "
            "where payment_key = (select min(payment_key) from marts.fct_payments)"
        )


def _load_copies(database: Path, table: str, key: str, copies: int, loaded_at: str) -> None:
    """`copies` more rows of the staging record with the smallest `key`, loaded at `loaded_at`
    (SQL): as if the ingest had loaded the record again."""
    with duckdb.connect(str(database)) as con:
        for _ in range(copies):
            con.execute(
                f"insert into staging.{table} "
                f"select * replace ({loaded_at} as source_loaded_at) from staging.{table} "
                f"where {key} = (select min({key}) from staging.{table}) limit 1"
            )


def test_a_fact_key_missing_from_its_dimension_fails_the_foreign_key_test(warehouse_copy, tmp_path):
    _point_a_payment_at_no_customer(warehouse_copy)
    test = "fct_payments_columns_valid"
    result = run_dbt(warehouse_copy, tmp_path, "test", "--select", test)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "Got 1 result" in result.stdout
    assert _failing_rows(tmp_path, warehouse_copy, test) == [
        ("references", "customer_key", "no-such-customer", 1, "error")
    ]


def test_a_night_tests_the_staging_rows_loaded_since_the_last_successful_build(
    warehouse_copy, tmp_path
):
    # loaded before the last build: that build tested it
    _load_copies(warehouse_copy, "stg_erp__plants", "plant_code", 1, "'2000-01-01'::timestamptz")
    select = ("--select", "stg_erp__plants", "--exclude-resource-type", "unit_test")
    assert run_dbt(warehouse_copy, tmp_path / "old", "test", *select).returncode == 0

    # two versions of one plant loaded tonight
    _load_copies(warehouse_copy, "stg_erp__plants", "plant_code", 2, "current_timestamp")
    result = run_dbt(warehouse_copy, tmp_path / "new", "test", *select)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "stg_erp__plants_columns_valid" in result.stdout
    with duckdb.connect(str(warehouse_copy), read_only=True) as con:
        query = "select min(plant_code) from staging.stg_erp__plants"
        ((plant_code,),) = con.execute(query).fetchall()
    failing = _failing_rows(tmp_path / "new", warehouse_copy, "stg_erp__plants_columns_valid")
    # the old copy is not re-reported: only tonight's two rows count
    assert failing == [("unique", "plant_code", plant_code, 2, "error")]


def _operation_of_an_unknown_production_order(database: Path) -> None:
    """An MES operation loaded tonight whose production order has not arrived yet."""
    with duckdb.connect(str(database)) as con:
        con.execute(
            "insert into staging.stg_mes__operations "
            "select * replace ('PO-NOT-YET' as production_order_id, "
            "current_timestamp as source_loaded_at) "
            "from staging.stg_mes__operations limit 1"
        )


def test_a_late_reference_warns_and_a_broken_key_beside_it_still_fails(warehouse_copy, tmp_path):
    # the operations' key and their late-arriving references share one test node
    test = "stg_mes__operations_columns_valid"
    _operation_of_an_unknown_production_order(warehouse_copy)
    result = run_dbt(warehouse_copy, tmp_path / "late", "test", "--select", test)
    assert result.returncode == 0, result.stdout[-3000:]
    assert f"WARN 1 {test}" in result.stdout, result.stdout[-3000:]
    failing = _failing_rows(tmp_path / "late", warehouse_copy, test)
    assert failing == [("references", "production_order_id", "PO-NOT-YET", 1, "warn")]

    # the same operation twice tonight: a key problem fails the test, the warning stays
    _operation_of_an_unknown_production_order(warehouse_copy)
    result = run_dbt(warehouse_copy, tmp_path / "duplicate", "test", "--select", test)
    assert result.returncode == 1, result.stdout[-3000:]
    assert f"FAIL 2 {test}" in result.stdout, result.stdout[-3000:]
    failing = _failing_rows(tmp_path / "duplicate", warehouse_copy, test)
    assert sorted(row[-1] for row in failing) == ["error", "warn"]


def _last_build_succeeded(database: Path) -> bool:
    with duckdb.connect(str(database), read_only=True) as con:
        query = "select all_models_succeeded from meta.dbt_builds order by started_at desc limit 1"
        return con.execute(query).fetchall()[0][0]


def test_a_failed_key_check_holds_back_every_model_built_on_its_model(warehouse_copy, tmp_path):
    # two versions of one account loaded tonight
    _load_copies(warehouse_copy, "stg_crm__accounts", "crm_account_id", 2, "current_timestamp")
    # the accounts' key check and a model built from the accounts (not from the users their
    # owners reference), as a nightly build runs them
    select = ("--select", "stg_crm__accounts_columns_valid", "int_customer_names_normalized")
    result = run_dbt(
        warehouse_copy, tmp_path, "build", *select, "--exclude-resource-type", "unit_test"
    )
    assert result.returncode == 1, result.stdout[-3000:]
    assert "FAIL 1 stg_crm__accounts_columns_valid" in result.stdout, result.stdout[-3000:]
    assert "SKIP relation intermediate.int_customer_names_normalized" in result.stdout
    assert _last_build_succeeded(warehouse_copy) is False


def test_a_night_whose_check_failed_counts_as_failed_though_every_model_was_built(
    warehouse_copy, tmp_path
):
    _point_a_payment_at_no_customer(warehouse_copy)
    select = ("--select", "fct_payments_columns_valid", "dim_plants")
    result = run_dbt(
        warehouse_copy, tmp_path, "build", *select, "--exclude-resource-type", "unit_test"
    )
    assert result.returncode == 1, result.stdout[-3000:]
    assert "OK created sql table model marts.dim_plants" in result.stdout
    # the next night tests and recomputes what arrived since the build before this one
    assert _last_build_succeeded(warehouse_copy) is False
