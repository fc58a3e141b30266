"""The star schema adds up: company totals equal the generator's truth, and the cost rules of
docs/model.md put every cost where they say, computed here independently in Python from the
published marts.

Uses the session's demo warehouse (tests/conftest.py: generated exports, whole Dagster build,
published snapshot), so every dbt test of the marts has passed before these run.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest

pytestmark = pytest.mark.slow
CENT = Decimal("0.01")


def _rows(warehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.published_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _one(warehouse, sql: str):
    return _rows(warehouse, sql)[0][0]


def _truth(warehouse, name: str) -> Decimal:
    return Decimal(warehouse.truth["totals_cny"][name])


def test_the_reporting_currency_is_the_default_cny(built_warehouse):
    for table in ("fct_order_lines", "fct_production_orders", "fct_shipments", "fct_cases"):
        codes = _rows(
            built_warehouse, f"select distinct reporting_currency_code from marts.{table}"
        )
        assert codes == [("CNY",)], table


def test_net_revenue_and_standard_cost_equal_the_generators_truth(built_warehouse):
    revenue, standard = _rows(
        built_warehouse,
        "select sum(net_revenue_amount_rc), sum(standard_cost_amount_rc) "
        "from marts.fct_order_lines",
    )[0]
    assert revenue == _truth(built_warehouse, "net_revenue")
    assert standard == _truth(built_warehouse, "standard_cost")


def test_production_cost_of_all_work_orders_equals_the_generators_truth(built_warehouse):
    # The truth counts every completed work order, make-to-stock batches included: the
    # production fact holds them all, sold or not.
    actual = _one(
        built_warehouse, "select sum(actual_cost_amount_rc) from marts.fct_production_orders"
    )
    assert actual == _truth(built_warehouse, "actual_production_cost")


def test_freight_equals_the_generators_truth_and_every_cent_reaches_an_order_line(built_warehouse):
    shipments, unallocated = _rows(
        built_warehouse,
        "select sum(freight_cost_amount_rc), "
        "coalesce(sum(freight_cost_amount_rc) filter (where not is_freight_allocated), 0) "
        "from marts.fct_shipments",
    )[0]
    on_lines = _one(
        built_warehouse, "select sum(freight_cost_amount_rc) from marts.fct_order_lines"
    )
    assert shipments == _truth(built_warehouse, "freight")
    assert on_lines + unallocated == shipments
    assert unallocated == 0  # the demo's shipments all carry ERP deliveries


def test_order_lines_carry_the_production_cost_rule_1_says(built_warehouse):
    work_orders = _rows(
        built_warehouse,
        """
        select product_number, order_number, order_line_number, is_make_to_order,
               actual_cost_amount_rc, produced_quantity, date_trunc('month', actual_finish_date)
        from marts.fct_production_orders
        where is_completed
        """,
    )
    by_line: dict[tuple, Decimal] = defaultdict(Decimal)
    month_cost: dict[tuple, Decimal] = defaultdict(Decimal)
    month_quantity: dict[tuple, Decimal] = defaultdict(Decimal)
    for product, order, line, mto, cost, produced, month in work_orders:
        if mto and order is not None:
            by_line[(order, line)] += cost
        if produced > 0:
            month_cost[(product, month)] += cost
            month_quantity[(product, month)] += produced
    months_by_product: dict[str, list] = defaultdict(list)
    for product, month in month_cost:
        months_by_product[product].append(month)

    lines = _rows(
        built_warehouse,
        """
        select order_number, line_number, product_number, quantity, is_cancelled,
               date_trunc('month', order_date), standard_cost_amount_rc,
               actual_production_cost_amount_rc, production_cost_basis
        from marts.fct_order_lines
        """,
    )
    seen = defaultdict(int)
    for order, line, product, quantity, cancelled, month, standard, actual, basis in lines:
        if cancelled:
            expected_basis, expected = "cancelled", Decimal(0)
        elif (order, line) in by_line:
            expected_basis, expected = "work_order", by_line[(order, line)]
        else:
            earlier = [m for m in months_by_product.get(product, []) if m <= month]
            if earlier:
                costed = max(earlier)
                expected_basis = "period_average" if costed == month else "earlier_period_average"
                average = (
                    month_cost[(product, costed)] / month_quantity[(product, costed)]
                ).quantize(Decimal("0.000001"), ROUND_HALF_UP)
                expected = (quantity * average).quantize(CENT, ROUND_HALF_UP)
            else:
                expected_basis, expected = "standard_cost", standard
        seen[expected_basis] += 1
        assert (basis, actual) == (expected_basis, expected), (order, line)
    # the demo exercises the rule's main branches
    assert seen["work_order"] and seen["period_average"] and seen["cancelled"]


def test_freight_is_split_over_the_lines_of_a_shipment_by_weight(built_warehouse):
    lines = _rows(
        built_warehouse,
        """
        select lines.shipment_id, lines.order_number, lines.line_number, lines.shipped_weight_kg,
               lines.freight_cost_amount_rc, shipments.freight_cost_amount_rc
        from marts.fct_order_lines as lines
        inner join marts.fct_shipments as shipments using (shipment_id)
        """,
    )
    by_shipment = defaultdict(list)
    for shipment, order, line, weight, share, freight in lines:
        by_shipment[shipment].append((order, line, weight, share, freight))
    assert any(len(items) > 1 for items in by_shipment.values())
    for shipment, items in by_shipment.items():
        freight = items[0][4]
        total_weight = sum(item[2] for item in items)
        assert sum(item[3] for item in items) == freight, shipment
        heaviest = sorted(items, key=lambda item: (-item[2], item[0], item[1]))[0]
        for order, line, weight, share, _ in items:
            if total_weight > 0:
                exact = freight * weight / total_weight
            else:
                exact = freight / len(items)
            rounded = exact.quantize(CENT, ROUND_HALF_UP)
            if (order, line) != heaviest[:2]:
                assert abs(share - rounded) <= CENT, (shipment, order, line)
            else:
                assert abs(share - exact) <= CENT * len(items), (shipment, order, line)


def test_cm2_adds_up_the_same_by_customer_product_and_order(built_warehouse):
    total, by_customer, by_product, by_order, from_parts = _rows(
        built_warehouse,
        """
        with lines as (select * from marts.fct_order_lines),
        customers as (select sum(cm2_amount_rc) as amount from lines group by customer_key),
        products as (select sum(cm2_amount_rc) as amount from lines group by product_key),
        orders as (select sum(cm2_amount_rc) as amount from lines group by order_number)
        select
            (select sum(cm2_amount_rc) from lines),
            (select sum(amount) from customers),
            (select sum(amount) from products),
            (select sum(amount) from orders),
            (select sum(net_revenue_amount_rc) - sum(actual_production_cost_amount_rc)
                    - sum(freight_cost_amount_rc) - sum(cost_to_serve_amount_rc) from lines)
        """,
    )[0]
    assert total == by_customer == by_product == by_order == from_parts


def test_every_allocated_case_cost_is_on_an_order_line_of_its_order_or_customer(built_warehouse):
    cases, allocated, unallocated = _rows(
        built_warehouse,
        "select sum(case_cost_amount_rc), sum(allocated_cost_amount_rc), "
        "sum(unallocated_cost_amount_rc) from marts.fct_cases",
    )[0]
    on_lines = _one(
        built_warehouse, "select sum(cost_to_serve_amount_rc) from marts.fct_order_lines"
    )
    assert allocated + unallocated == cases > 0
    assert on_lines == allocated
    # a case naming an order with revenue costs that order's lines at least the case's cost
    short = _one(
        built_warehouse,
        """
        with order_cases as (
            select order_number, sum(case_cost_amount_rc) as case_cost
            from marts.fct_cases where cost_allocation_basis = 'order' group by order_number
        ),
        order_lines as (
            select order_number, sum(cost_to_serve_amount_rc) as on_lines
            from marts.fct_order_lines group by order_number
        )
        select count(*) from order_cases left join order_lines using (order_number)
        where coalesce(on_lines, 0) < case_cost
        """,
    )
    assert short == 0


def test_customer_history_versions_are_contiguous_and_facts_use_the_one_of_their_date(
    built_warehouse,
):
    versions = _rows(
        built_warehouse,
        """
        select customer_id, valid_from_date, valid_to_date, is_current, payment_terms
        from marts.dim_customers where not is_unknown_member
        order by customer_id, valid_from_date
        """,
    )
    by_customer = defaultdict(list)
    for customer, valid_from, valid_to, current, terms in versions:
        by_customer[customer].append((valid_from, valid_to, current, terms))
    changed = [c for c, items in by_customer.items() if len(items) > 1]
    assert changed, "the demo renegotiates payment terms, so some customer has history"
    for customer, items in by_customer.items():
        assert items[0][0].year == 1900 and items[-1][1].year == 9999 and items[-1][2]
        assert sum(1 for item in items if item[2]) == 1
        for earlier, later in zip(items, items[1:], strict=False):
            assert (later[0] - earlier[1]).days == 1, customer
    misplaced = _one(
        built_warehouse,
        """
        select count(*) from marts.fct_order_lines as lines
        inner join marts.dim_customers as customers using (customer_key)
        where not customers.is_unknown_member
            and (lines.order_date not between customers.valid_from_date and customers.valid_to_date
                 or lines.customer_id <> customers.customer_id)
        """,
    )
    assert misplaced == 0


def test_every_erp_customer_and_crm_account_is_in_the_crosswalk(built_warehouse):
    crosswalk, erp, crm = _rows(
        built_warehouse,
        """
        select
            (select count(*) from marts.bridge_customer_sources),
            (select count(*) from staging.stg_erp__customers),
            (select count(*) from staging.stg_crm__accounts)
        """,
    )[0]
    assert crosswalk == erp + crm


def test_product_master_conforms_every_systems_product_codes(built_warehouse):
    unknown = _rows(
        built_warehouse,
        """
        select 'order lines', count(*) from marts.fct_order_lines
        where product_key = '6bb61e3b7bce0931da574d19d1d82c88'
        union all
        select 'work orders', count(*) from marts.fct_production_orders
        where product_key = '6bb61e3b7bce0931da574d19d1d82c88'
        union all
        select 'cases with a product', count(*) from marts.fct_cases
        where product_key = '6bb61e3b7bce0931da574d19d1d82c88' and product_number is not null
        """,
    )
    assert all(count == 0 for _, count in unknown), unknown
    hierarchy = _one(
        built_warehouse,
        "select count(*) from (select product_line_name from marts.dim_products "
        "group by product_line_name having count(distinct category_name) > 1)",
    )
    assert hierarchy == 0  # a product line belongs to one category
