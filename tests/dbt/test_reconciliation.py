"""The warehouse's figures reconcile to the source exports, computed independently in Python."""

from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd
import pytest

from dagster_project.contracts import ERP

pytestmark = pytest.mark.slow
CENT = Decimal("0.01")


def _export(landing_dir, entity):
    (path,) = landing_dir.glob(f"erp/*/{entity}.csv")
    return pd.read_csv(path, encoding=ERP.encoding, dtype=str)


def test_net_revenue_equals_the_erp_order_line_export_to_the_cent(built_warehouse):
    lines = _export(built_warehouse.landing_dir, "sales_order_lines")
    orders = _export(built_warehouse.landing_dir, "sales_orders").set_index("order_number")
    rates = _export(built_warehouse.landing_dir, "fx_rates")
    rate = {(r.rate_date, r.from_currency): Decimal(r.rate) for r in rates.itertuples()}
    expected = Decimal(0)
    for line in lines[lines["line_status"] != "CANCELLED"].itertuples():
        order_date = orders.at[line.order_number, "order_date"]
        fx = Decimal(1) if line.currency == "CNY" else rate[(order_date, line.currency)]
        expected += (Decimal(line.net_amount) * fx).quantize(CENT, ROUND_HALF_UP)

    with duckdb.connect(str(built_warehouse.published_path), read_only=True) as con:
        actual = con.execute(
            "select sum(net_revenue_amount_rc) from marts.fct_order_lines where not is_cancelled"
        ).fetchone()[0]
    assert actual == expected


def test_every_erp_order_line_appears_exactly_once(built_warehouse):
    lines = _export(built_warehouse.landing_dir, "sales_order_lines")
    with duckdb.connect(str(built_warehouse.published_path), read_only=True) as con:
        keys = con.execute("select order_number, line_number from marts.fct_order_lines").fetchall()
    assert len(keys) == len(set(keys)) == len(lines.drop_duplicates(["order_number", "line_number"]))


def test_cancelled_lines_carry_no_revenue_or_cost(built_warehouse):
    with duckdb.connect(str(built_warehouse.published_path), read_only=True) as con:
        cancelled, nonzero = con.execute(
            "select count(*), count(*) filter (where net_revenue_amount_rc <> 0 "
            "or standard_cost_amount_rc <> 0) from marts.fct_order_lines where is_cancelled"
        ).fetchone()
    assert cancelled > 0 and nonzero == 0
