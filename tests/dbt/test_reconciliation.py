"""The warehouse's figures reconcile to the source exports, as the generator computed them
independently (its truth folder), to the cent."""

from decimal import Decimal

import duckdb
import pytest

pytestmark = pytest.mark.slow


def _one(path, sql):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()[0]


def test_net_revenue_equals_the_erp_order_line_exports_to_the_cent(built_warehouse):
    (net,) = _one(
        built_warehouse.published_path,
        "select sum(net_revenue_amount_rc) from marts.fct_order_lines where not is_cancelled",
    )
    assert net == Decimal(built_warehouse.truth["totals_cny"]["net_revenue"])


def test_every_erp_order_line_appears_exactly_once(built_warehouse):
    lines, distinct_lines = _one(
        built_warehouse.published_path,
        "select count(*), count(distinct (order_number, line_number)) from marts.fct_order_lines",
    )
    assert lines == distinct_lines == built_warehouse.truth["order_lines"]


def test_cancelled_lines_carry_no_revenue_or_cost(built_warehouse):
    cancelled, nonzero = _one(
        built_warehouse.published_path,
        "select count(*), count(*) filter (where net_revenue_amount_rc <> 0 "
        "or standard_cost_amount_rc <> 0) from marts.fct_order_lines where is_cancelled",
    )
    assert cancelled > 0 and nonzero == 0
