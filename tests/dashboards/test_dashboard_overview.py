"""The Overview page shows the warehouse's own figures, for the date range the user picks."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import queries
from dashboards.filters import ORDER_DATE_RANGE_KEY
from dashboards.formatting import format_count, format_money, format_percent

APP = Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py"


def direct_totals(warehouse: Path, start: dt.date, end: dt.date) -> dict:
    """The Overview figures computed straight from the fact table, without the app's code.

    Every line of the range counts (a cancelled one keeps the freight and cost-to-serve spent on
    it); orders count only orders with a line that is not cancelled.
    """
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(
            """
            select
                coalesce(sum(net_revenue_amount_rc), 0) as net_revenue,
                coalesce(sum(actual_production_cost_amount_rc), 0) as production_cost,
                coalesce(sum(freight_cost_amount_rc), 0) as freight,
                coalesce(sum(cost_to_serve_amount_rc), 0) as cost_to_serve,
                coalesce(sum(cm1_amount_rc), 0) as cm1,
                coalesce(sum(cm2_amount_rc), 0) as cm2,
                count(distinct order_number) filter (where not is_cancelled) as order_count,
                count(distinct customer_id) as customer_count,
                count(distinct product_key) as product_count,
                (select any_value(reporting_currency_code) from marts.fct_order_lines)
                    as currency,
            from marts.fct_order_lines
            where order_date between ? and ?
            """,
            [start, end],
        )
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def direct_tiles(warehouse: Path, start: dt.date, end: dt.date) -> dict[str, str]:
    """The tiles the Overview should show, formatted as the page formats them."""
    totals = direct_totals(warehouse, start, end)
    net_revenue, currency = totals["net_revenue"], totals["currency"]
    return {
        "Net revenue": format_money(net_revenue, currency, decimals=0),
        "CM1": format_money(totals["cm1"], currency, decimals=0),
        "CM1 %": format_percent(totals["cm1"] / net_revenue if net_revenue else None),
        "CM2": format_money(totals["cm2"], currency, decimals=0),
        "CM2 %": format_percent(totals["cm2"] / net_revenue if net_revenue else None),
        "Orders": format_count(totals["order_count"]),
    }


def order_date_range(warehouse: Path) -> tuple[dt.date, dt.date]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select min(order_date), max(order_date) from marts.fct_order_lines"
        ).fetchone()


def shown_tiles(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def run_app() -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not app.exception, [exception.message for exception in app.exception]
    return app


@pytest.fixture
def warehouse(published_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PROFITLENS_WAREHOUSE_DIR", str(published_warehouse.parent))
    return published_warehouse


def test_overview_shows_the_warehouse_figures_for_the_full_range(warehouse: Path) -> None:
    first, last = order_date_range(warehouse)
    app = run_app()

    assert app.date_input(key=ORDER_DATE_RANGE_KEY).value == (first, last)
    assert shown_tiles(app) == direct_tiles(warehouse, first, last)
    totals = direct_totals(warehouse, first, last)
    currency = totals["currency"]
    # CM1 and CM2 are the model's own measures; they must agree with their definitions here.
    assert totals["cm1"] == totals["net_revenue"] - totals["production_cost"]
    assert totals["cm2"] == totals["cm1"] - totals["freight"] - totals["cost_to_serve"]
    exact = {metric.label: metric.help for metric in app.metric}
    for label, amount in ("Net revenue", "net_revenue"), ("CM1", "cm1"), ("CM2", "cm2"):
        assert f"Exactly {format_money(totals[amount], currency)}." in exact[label]
    assert f"({format_money(totals['production_cost'], currency)})" in exact["CM1"]
    assert f"({format_money(totals['freight'], currency)})" in exact["CM2"]
    assert f"({format_money(totals['cost_to_serve'], currency)})" in exact["CM2"]
    assert f"Reporting currency: **{currency}**" in [text.value for text in app.sidebar.markdown]
    assert any(caption.value.startswith("Data as of ") for caption in app.sidebar.caption)


def test_a_narrower_date_range_shows_that_range_s_figures(warehouse: Path) -> None:
    first, last = order_date_range(warehouse)
    third = (last - first) / 3
    start, end = first + third, first + 2 * third
    app = run_app()
    full_range_tiles = shown_tiles(app)

    app.date_input(key=ORDER_DATE_RANGE_KEY).set_value((start, end)).run()

    assert not app.exception
    narrower_tiles = shown_tiles(app)
    assert narrower_tiles == direct_tiles(warehouse, start, end)
    assert narrower_tiles["Net revenue"] != full_range_tiles["Net revenue"]
    assert any(f"Orders dated {start:%Y-%m-%d} to {end:%Y-%m-%d}" in c.value for c in app.caption)


def test_top_customers_and_products_tables_rank_by_cm2(warehouse: Path) -> None:
    first, last = order_date_range(warehouse)
    totals = direct_totals(warehouse, first, last)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        best_customer, best_customer_cm2 = connection.execute(
            """
            select customers.customer_name, sum(order_lines.cm2_amount_rc) as cm2
            from marts.fct_order_lines as order_lines
            inner join marts.dim_customers as customers
                on order_lines.customer_id = customers.customer_id and customers.is_current
            group by customers.customer_id, customers.customer_name
            order by cm2 desc
            limit 1
            """
        ).fetchone()
        best_product, best_product_cm2 = connection.execute(
            """
            select products.product_name, sum(order_lines.cm2_amount_rc) as cm2
            from marts.fct_order_lines as order_lines
            inner join marts.dim_products as products
                on order_lines.product_key = products.product_key
            group by products.product_key, products.product_name
            order by cm2 desc
            limit 1
            """
        ).fetchone()

    customers, products = (table.value for table in run_app().dataframe)

    assert len(customers) == min(10, totals["customer_count"])
    assert customers["cm2_amount_rc"].is_monotonic_decreasing
    assert customers.iloc[0]["customer_name"] == best_customer
    assert customers.iloc[0]["cm2_amount_rc"] == pytest.approx(float(best_customer_cm2), abs=0.005)
    assert len(products) == min(10, totals["product_count"])
    assert products["cm2_amount_rc"].is_monotonic_decreasing
    assert products.iloc[0]["product_name"] == best_product
    assert products.iloc[0]["cm2_amount_rc"] == pytest.approx(float(best_product_cm2), abs=0.005)


def test_rankings_and_monthly_chart_add_up_to_the_tiles(warehouse: Path) -> None:
    first, last = order_date_range(warehouse)
    kpis = queries.overview_kpis(first, last).iloc[0]
    everyone = 1_000_000  # a limit above any count of customers or products

    monthly = queries.monthly_contribution_margins(first, last)
    customers = queries.top_customers_by_cm2(first, last, limit=everyone)
    products = queries.top_products_by_cm2(first, last, limit=everyone)

    for measure in "net_revenue_amount_rc", "cm1_amount_rc", "cm2_amount_rc":
        for breakdown in monthly, customers, products:
            assert breakdown[measure].sum() == pytest.approx(kpis[measure], abs=0.01)


def test_a_cancelled_line_s_freight_is_in_cm2_but_its_order_is_not_counted(
    published_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Goods shipped, then the line cancelled: the model keeps the freight on the line.
    published = tmp_path / "profitlens.duckdb"
    shutil.copy(published_warehouse, published)
    with duckdb.connect(str(published)) as connection:
        (order_number,) = connection.execute(
            """
            update marts.fct_order_lines
            set
                freight_cost_amount_rc = freight_cost_amount_rc + 1000,
                cm2_amount_rc = cm2_amount_rc - 1000
            where order_line_key = (
                select min(order_line_key) from marts.fct_order_lines
                where is_cancelled
                    and order_number not in (
                        select order_number from marts.fct_order_lines where not is_cancelled
                    )
            )
            returning order_number
            """
        ).fetchone()
    monkeypatch.setenv("PROFITLENS_WAREHOUSE_DIR", str(tmp_path))
    first, last = order_date_range(published)
    without_it = direct_totals(published_warehouse, first, last)

    tiles = shown_tiles(run_app())

    assert order_number
    assert tiles == direct_tiles(published, first, last)
    currency = without_it["currency"]
    assert tiles["CM2"] == format_money(without_it["cm2"] - 1000, currency, decimals=0)
    assert tiles["Orders"] == format_count(without_it["order_count"])


def test_a_newly_published_snapshot_shows_at_the_next_rerun(
    published_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROFITLENS_WAREHOUSE_DIR", str(tmp_path))
    published = tmp_path / "profitlens.duckdb"
    shutil.copy(published_warehouse, published)
    first, last = order_date_range(published)
    app = run_app()
    assert shown_tiles(app) == direct_tiles(published, first, last)

    # The nightly publish: a finished file, here with only the first day's orders, swapped in.
    build = tmp_path / "build" / "profitlens.duckdb"
    build.parent.mkdir()
    shutil.copy(published_warehouse, build)
    with duckdb.connect(str(build)) as connection:
        connection.execute("delete from marts.fct_order_lines where order_date > ?", [first])
    os.replace(build, published)
    app.run()

    assert not app.exception
    # The full range the user was looking at follows the new snapshot's range.
    assert app.date_input(key=ORDER_DATE_RANGE_KEY).value == (first, first)
    assert shown_tiles(app) == direct_tiles(published, first, first)
    assert (
        shown_tiles(app)["Net revenue"]
        != direct_tiles(published_warehouse, first, last)["Net revenue"]
    )


def test_without_a_warehouse_the_page_says_how_to_build_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROFITLENS_WAREHOUSE_DIR", str(tmp_path / "nothing-here"))

    app = run_app()

    message = " ".join(info.value for info in app.info)
    assert "No published warehouse" in message
    assert "make run" in message and "profitlens build" in message
    assert not app.metric and not app.error
