"""Overview: revenue and contribution margins for the sidebar's order-date range.

UI only; the SQL is in queries.py. How each figure is computed: docs/model.md, "The Overview
dashboard" (the caption at the bottom of the page says the same).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.filters import current_filters
from dashboards.formatting import format_count, format_money, format_percent

MEASURES = {"net_revenue_amount_rc": "Net revenue", "cm1_amount_rc": "CM1", "cm2_amount_rc": "CM2"}


def margins_chart(monthly: pd.DataFrame, currency: str) -> alt.Chart:
    """One bar per month: net revenue, with CM1 and then CM2 drawn over it."""
    long = monthly.melt(
        id_vars="month_start_date",
        value_vars=list(MEASURES),
        var_name="measure",
        value_name="amount",
    )
    # Bars are drawn in this order, so each smaller measure is drawn over the larger one.
    long["layer"] = long["measure"].map({name: i for i, name in enumerate(MEASURES)})
    long["measure"] = long["measure"].map(MEASURES)
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month_start_date):T", title="Month"),
            y=alt.Y(
                "amount:Q",
                title=f"Amount ({currency})",
                stack=None,
                axis=alt.Axis(format="~s", labelExpr="datum.value == 0 ? '0' : datum.label"),
            ),
            color=alt.Color(
                "measure:N",
                sort=list(MEASURES.values()),
                scale=alt.Scale(range=["#c6dbef", "#6baed6", "#08519c"]),
                title=None,
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("layer:Q"),
            tooltip=[
                alt.Tooltip("yearmonth(month_start_date):T", title="Month"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("amount:Q", title=currency, format=",.2f"),
            ],
        )
    )


def money_tile(label: str, amount: float, currency: str, how: str) -> None:
    # Tiles show whole units so that money is never cut off; the exact amount is in the help.
    st.metric(
        label,
        format_money(amount, currency, decimals=0),
        help=f"{how} Exactly {format_money(amount, currency)}.",
        border=True,
    )


def ranking_table(ranking: pd.DataFrame, name_column: str, name_label: str, currency: str) -> None:
    money = f"%,.0f {currency}"
    st.dataframe(
        ranking.assign(cm2_pct=ranking["cm2_pct"] * 100),
        hide_index=True,
        width="content",
        column_order=[name_column, "net_revenue_amount_rc", "cm2_amount_rc", "cm2_pct"],
        column_config={
            name_column: st.column_config.TextColumn(name_label),
            "net_revenue_amount_rc": st.column_config.NumberColumn("Net revenue", format=money),
            "cm2_amount_rc": st.column_config.NumberColumn("CM2", format=money),
            "cm2_pct": st.column_config.NumberColumn("CM2 %", format="%.1f%%"),
        },
    )


filters = current_filters()
currency = filters.reporting_currency
start, end = filters.start_date, filters.end_date

st.title("Overview")
st.caption(
    f"Orders dated {start:%Y-%m-%d} to {end:%Y-%m-%d} · amounts in {currency} · "
    "contribution margins as the warehouse computes them"
)

kpis = queries.overview_kpis(start, end).iloc[0]
# Tiles size to their content and wrap onto a second row on narrow screens.
with st.container(horizontal=True, wrap=True):
    money_tile(
        "Net revenue",
        kpis["net_revenue_amount_rc"],
        currency,
        "Order-line net amounts (after discount) at the order date's FX rate.",
    )
    money_tile(
        "CM1",
        kpis["cm1_amount_rc"],
        currency,
        "Contribution margin 1 = net revenue − actual production cost "
        f"({format_money(kpis['actual_production_cost_amount_rc'], currency)}).",
    )
    st.metric("CM1 %", format_percent(kpis["cm1_pct"]), help="CM1 ÷ net revenue.", border=True)
    money_tile(
        "CM2",
        kpis["cm2_amount_rc"],
        currency,
        "Contribution margin 2 = CM1 − freight "
        f"({format_money(kpis['freight_cost_amount_rc'], currency)}) − cost-to-serve "
        f"({format_money(kpis['cost_to_serve_amount_rc'], currency)}).",
    )
    st.metric("CM2 %", format_percent(kpis["cm2_pct"]), help="CM2 ÷ net revenue.", border=True)
    st.metric(
        "Orders",
        format_count(kpis["order_count"]),
        help="Distinct orders with at least one line that is not cancelled.",
        border=True,
    )

monthly = queries.monthly_contribution_margins(start, end)

if monthly.empty:
    st.info("No order lines in the selected date range.", icon=":material/filter_alt_off:")
else:
    st.subheader("Net revenue, CM1 and CM2 by month")
    st.altair_chart(margins_chart(monthly, currency), width="stretch")
    # Two tables side by side, or one above the other when the screen is too narrow.
    with st.container(horizontal=True, wrap=True, gap="large"):
        with st.container(width="content"):
            st.subheader("Top 10 customers by CM2")
            customers = queries.top_customers_by_cm2(start, end, limit=10)
            ranking_table(customers, "customer_name", "Customer", currency)
        with st.container(width="content"):
            st.subheader("Top 10 products by CM2")
            products = queries.top_products_by_cm2(start, end, limit=10)
            ranking_table(products, "product_name", "Product", currency)

st.caption(
    "**How these figures are computed** (docs/model.md, “The Overview dashboard”). "
    f"Net revenue = order-line net amounts after discount, converted to {currency} at the FX "
    "rate of the order date. CM1 = net revenue − actual production cost (the line's own "
    "make-to-order work order, else the product's average actual cost of the month). "
    "CM2 = CM1 − freight (each shipment's charges split over its lines by weight) − "
    "cost-to-serve (CRM case costs split over the lines by net revenue). Margin % = margin ÷ "
    "net revenue. Every line ordered in the range counts: a cancelled line has no revenue or "
    "production cost but keeps the freight and cost-to-serve already spent on it. Orders = "
    "distinct orders with at least one line that is not cancelled. Customers are summed over "
    "all versions of their history. Tiles and tables show whole "
    f"{currency}; a tile's help gives the exact amount."
)
