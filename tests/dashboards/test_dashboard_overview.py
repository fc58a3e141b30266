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
    """The Overview figures computed straight from the fact table, without the app's code."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(
            """
            select
                coalesce(sum(net_revenue_amount_rc), 0) as net_revenue,
                coalesce(sum(gross_margin_amount_rc), 0) as gross_margin,
                count(distinct order_number) as order_count,
                count(distinct customer_id) as customer_count,
                (select any_value(reporting_currency_code) from marts.fct_order_lines)
                    as currency,
            from marts.fct_order_lines
            where not is_cancelled and order_date between ? and ?
            """,
            [start, end],
        )
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def direct_tiles(warehouse: Path, start: dt.date, end: dt.date) -> dict[str, str]:
    """The tiles the Overview should show, formatted as the page formats them."""
    totals = direct_totals(warehouse, start, end)
    net_revenue, gross_margin = totals["net_revenue"], totals["gross_margin"]
    return {
        "Net revenue": format_money(net_revenue, totals["currency"], decimals=0),
        "Gross margin": format_money(gross_margin, totals["currency"], decimals=0),
        "Gross margin %": format_percent(gross_margin / net_revenue if net_revenue else None),
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
    exact = {metric.label: metric.help for metric in app.metric}
    assert f"Exactly {format_money(totals['net_revenue'], currency)}." in exact["Net revenue"]
    assert f"Exactly {format_money(totals['gross_margin'], currency)}." in exact["Gross margin"]
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


def test_top_customers_table_ranks_customers_by_gross_margin(warehouse: Path) -> None:
    first, last = order_date_range(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        best_customer, best_margin = connection.execute(
            """
            select customers.customer_name, sum(order_lines.gross_margin_amount_rc) as margin
            from marts.fct_order_lines as order_lines
            inner join marts.dim_customers as customers
                on order_lines.customer_id = customers.customer_id and customers.is_current
            where not order_lines.is_cancelled
            group by customers.customer_id, customers.customer_name
            order by margin desc
            limit 1
            """
        ).fetchone()

    table = run_app().dataframe[0].value

    assert len(table) == min(10, direct_totals(warehouse, first, last)["customer_count"])
    assert table["gross_margin_amount_rc"].is_monotonic_decreasing
    assert table.iloc[0]["customer_name"] == best_customer
    assert table.iloc[0]["gross_margin_amount_rc"] == pytest.approx(float(best_margin), abs=0.005)


def test_monthly_chart_figures_add_up_to_the_tiles(warehouse: Path) -> None:
    first, last = order_date_range(warehouse)

    monthly = queries.monthly_revenue_and_margin(first, last)
    kpis = queries.overview_kpis(first, last).iloc[0]

    assert monthly["net_revenue_amount_rc"].sum() == pytest.approx(kpis["net_revenue_amount_rc"])
    assert monthly["gross_margin_amount_rc"].sum() == pytest.approx(kpis["gross_margin_amount_rc"])


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
