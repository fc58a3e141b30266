"""Staging keeps one row per record: the latest version of deltas, the latest snapshot.

Built once per module from the session's demo exports: ingest into a temporary DuckDB file,
then `dbt build --select staging` (models, their data tests and unit tests). The expected
versions are computed here in Python from the raw rows, independently of the SQL.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from dagster_project.contracts import SYSTEMS
from tests.dbt.dbt_cli import ingest, run_dbt

pytestmark = pytest.mark.slow


# Staging model -> its key, for every contract entity (and the extra models).
KEYS = {
    "stg_crm__users": ["crm_user_id"],
    "stg_crm__accounts": ["crm_account_id"],
    "stg_crm__contacts": ["crm_contact_id"],
    "stg_crm__opportunities": ["crm_opportunity_id"],
    "stg_crm__opportunity_history": ["crm_opportunity_history_id"],
    "stg_crm__opportunity_line_items": ["crm_opportunity_line_item_id"],
    "stg_crm__quotes": ["crm_quote_id"],
    "stg_crm__cases": ["crm_case_id"],
    "stg_erp__plants": ["plant_code"],
    "stg_erp__customers": ["erp_customer_number"],
    "stg_erp__products": ["product_number"],
    "stg_erp__bill_of_materials": ["product_number", "component_number"],
    "stg_erp__standard_cost_versions": ["product_number", "valid_from_date"],
    "stg_erp__sales_orders": ["order_number"],
    "stg_erp__sales_order_lines": ["order_number", "line_number"],
    "stg_erp__deliveries": ["delivery_number", "delivery_item"],
    "stg_erp__invoices": ["invoice_number"],
    "stg_erp__invoice_lines": ["invoice_number", "invoice_line_number"],
    "stg_erp__payments": ["payment_number"],
    "stg_erp__fx_rates": ["rate_date", "from_currency_code", "to_currency_code"],
    "stg_mes__production_orders": ["production_order_id"],
    "stg_mes__operations": ["production_order_id", "operation_sequence"],
    "stg_mes__material_consumption": ["material_consumption_id"],
    "stg_mes__scrap": ["scrap_id"],
    "stg_mes__quality_inspections": ["inspection_id"],
    "stg_tms__carriers": ["carrier_id"],
    "stg_tms__shipments": ["shipment_id"],
    "stg_tms__freight_charges": ["freight_charge_id"],
    "stg_tms__tracking_events": ["tracking_event_id"],
    "stg_crm__account_snapshots": ["crm_account_id", "batch_date"],
    "stg_erp__customer_snapshots": ["erp_customer_number", "batch_date"],
    "stg_tms__shipment_deliveries": ["shipment_id", "delivery_number"],
}
# Columns the marts and the dashboard read from the staging models that existed first.
STABLE_COLUMNS = {
    "stg_crm__accounts": "crm_account_id erp_customer_number crm_owner_id account_name industry "
    "region billing_city billing_country_code created_at last_modified_at source_batch",
    "stg_crm__opportunities": "crm_opportunity_id crm_account_id crm_owner_id opportunity_name "
    "stage_name forecast_category_name currency_code opportunity_amount probability_pct is_closed "
    "is_won close_date created_at last_modified_at source_batch",
    "stg_erp__customers": "erp_customer_number customer_name tax_id city country_code sales_org "
    "payment_terms currency_code credit_limit_amount created_date changed_date source_batch",
    "stg_erp__fx_rates": "from_currency_code to_currency_code fx_rate rate_date source_batch",
    "stg_erp__products": "product_number product_name category_name product_line_name base_unit "
    "currency_code net_weight_kg list_price_amount standard_cost_amount created_date changed_date "
    "source_batch",
    "stg_erp__sales_order_lines": "order_number line_number product_number plant_code "
    "currency_code line_status quantity unit_price_amount discount_pct net_amount requested_date "
    "promised_date changed_date source_batch",
    "stg_erp__sales_orders": "order_number erp_customer_number crm_opportunity_id sales_org "
    "currency_code order_status order_date changed_date source_batch",
}
# Delta entities whose records change: (raw table, key, change column, compared raw column,
# staging model, staged key, staged column).
CHANGING = [
    (
        "erp__sales_order_lines",
        ["order_number", "line_number"],
        "changed_on",
        "quantity",
        "stg_erp__sales_order_lines",
        ["order_number", "line_number"],
        "quantity",
    ),
    (
        "erp__sales_order_lines",
        ["order_number", "line_number"],
        "changed_on",
        "line_status",
        "stg_erp__sales_order_lines",
        ["order_number", "line_number"],
        "line_status",
    ),
    (
        "erp__sales_orders",
        ["order_number"],
        "changed_on",
        "order_status",
        "stg_erp__sales_orders",
        ["order_number"],
        "order_status",
    ),
    (
        "mes__production_orders",
        ["production_order_id"],
        "updated_at",
        "status",
        "stg_mes__production_orders",
        ["production_order_id"],
        "production_order_status",
    ),
    (
        "crm__cases",
        ["Id"],
        "LastModifiedDate",
        "Status",
        "stg_crm__cases",
        ["crm_case_id"],
        "case_status",
    ),
]


def dbt_build(database: Path, work_dir: Path, *select: str) -> subprocess.CompletedProcess:
    """`dbt build` of the selection into `database`; target and logs stay in `work_dir`.

    Tests run only when all the models they read are selected (cautious selection)."""
    return run_dbt(
        database, work_dir, "build", "--indirect-selection", "cautious", "--select", *select
    )


@pytest.fixture(scope="module")
def staged(demo, tmp_path_factory) -> Path:
    """The demo exports ingested and staged; the path of the DuckDB file (read-only)."""
    work_dir = tmp_path_factory.mktemp("staging")
    database = work_dir / "build.duckdb"
    ingest(demo.landing_dir, database)
    result = dbt_build(database, work_dir, "staging")
    assert result.returncode == 0, result.stdout[-5000:]
    return database


def _query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_every_source_entity_has_a_staging_model_with_one_row_per_key(staged):
    entities = {
        f"stg_{system.name}__{entity.name}" for system in SYSTEMS for entity in system.entities
    }
    assert entities <= set(KEYS), entities - set(KEYS)
    for model, key in KEYS.items():
        columns = ", ".join(key)
        ((rows, keys),) = _query(
            staged, f"select count(*), count(distinct ({columns})) from staging.{model}"
        )
        assert rows == keys > 0, model


def test_the_columns_the_marts_read_are_still_there(staged):
    for model, names in STABLE_COLUMNS.items():
        present = {
            row[0]
            for row in _query(
                staged,
                (
                    "select column_name from information_schema.columns "
                    f"where table_schema = 'staging' and table_name = '{model}'"
                ),
            )
        }
        assert set(names.split()) <= present, (model, set(names.split()) - present)


def test_snapshots_hold_exactly_the_latest_batch(staged):
    for system in SYSTEMS:
        for entity in system.entities:
            if entity.load != "snapshot":
                continue
            raw = f"raw.{system.raw_table(entity)}"
            ((expected,),) = _query(
                staged, f"select count(*) from {raw} where _batch = (select max(_batch) from {raw})"
            )
            ((staged_rows,),) = _query(
                staged, f"select count(*) from staging.stg_{system.name}__{entity.name}"
            )
            assert staged_rows == expected > 0, entity.name


def test_deltas_keep_every_record_once(staged):
    for system in SYSTEMS:
        for entity in system.entities:
            if entity.load != "delta":
                continue
            key = ", ".join(f'"{column}"' for column in entity.primary_key)
            ((expected,),) = _query(
                staged, f"select count(distinct ({key})) from raw.{system.raw_table(entity)}"
            )
            ((staged_rows,),) = _query(
                staged, f"select count(*) from staging.stg_{system.name}__{entity.name}"
            )
            assert staged_rows == expected > 0, entity.name


@pytest.mark.parametrize(
    "raw_table, key, changed, column, model, staged_key, staged_column",
    CHANGING,
    ids=[f"{case[4]}.{case[6]}" for case in CHANGING],
)
def test_the_latest_change_wins_over_earlier_and_late_arriving_versions(
    staged, raw_table, key, changed, column, model, staged_key, staged_column
):
    quoted = [f'"{name}"' for name in key]
    versions = _query(
        staged,
        (f'select {", ".join(quoted)}, "{changed}", _batch, "{column}" from raw.{raw_table}'),
    )
    latest: dict[tuple, tuple] = {}
    version_count: Counter = Counter()
    for row in versions:
        record, order, value = row[: len(key)], row[len(key) : len(key) + 2], row[-1]
        version_count[record] += 1
        if record not in latest or order > latest[record][0]:
            latest[record] = (order, value)
    assert max(version_count.values()) > 1, (
        f"the demo data has no record of {raw_table} in several versions"
    )
    staged_rows = _query(
        staged, f"select {', '.join(staged_key)}, {staged_column} from staging.{model}"
    )
    actual = {row[:-1]: row[-1] for row in staged_rows}
    assert actual == {record: value for record, (_, value) in latest.items()}


def test_corrections_of_order_lines_reach_staging(staged):
    """Lines exported open, corrected later (cancelled, quantity changed): staging has the fix."""
    ((corrected, cancelled_later),) = _query(
        staged,
        """
        with versions as (
            select order_number, line_number, count(distinct quantity) as quantities,
                   bool_or(line_status = 'OPEN') as was_open
            from raw.erp__sales_order_lines group by all having count(*) > 1
        )
        select count(*) filter (where versions.quantities > 1),
               count(*) filter (where versions.was_open and lines.line_status = 'CANCELLED')
        from versions
        join staging.stg_erp__sales_order_lines as lines using (order_number, line_number)
    """,
    )
    assert corrected > 0 and cancelled_later > 0


def test_shipment_bridge_has_one_row_per_shipment_and_listed_delivery(staged):
    shipments = _query(
        staged, "select shipment_id, delivery_numbers from staging.stg_tms__shipments"
    )
    expected = {(shipment, number) for shipment, numbers in shipments for number in numbers}
    bridge = set(
        _query(
            staged, "select shipment_id, delivery_number from staging.stg_tms__shipment_deliveries"
        )
    )
    assert bridge == expected
    assert any(len(numbers) > 1 for _, numbers in shipments)


def test_customer_snapshots_keep_every_night_for_type_2_history(staged, demo):
    batches = demo.truth["batches"]
    ((nights, rows, changed_customers),) = _query(
        staged,
        """
        select count(distinct batch_date), count(*),
               (select count(*) from (
                    select erp_customer_number from staging.stg_erp__customer_snapshots
                    group by erp_customer_number having count(distinct payment_terms) > 1))
        from staging.stg_erp__customer_snapshots
    """,
    )
    ((raw_rows,),) = _query(staged, "select count(*) from raw.erp__customers")
    assert nights == len(batches) and rows == raw_rows
    assert changed_customers > 0  # renegotiated payment terms show up as history
    ((account_nights,),) = _query(
        staged, "select count(distinct batch_date) from staging.stg_crm__account_snapshots"
    )
    assert account_nights == len(batches)


def test_staged_column_names_are_lower_snake_case(staged):
    names = _query(
        staged,
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'staging'",
    )
    assert names
    assert [name for name in names if name[1] != name[1].lower() or " " in name[1]] == []
