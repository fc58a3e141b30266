"""Overview: revenue and margin for the sidebar's order-date range (UI only; SQL in queries.py)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.filters import current_filters
from dashboards.formatting import format_count, format_money, format_percent


def revenue_and_margin_chart(monthly: pd.DataFrame, currency: str) -> alt.Chart:
    """One bar per month: net revenue, with the gross margin part of it drawn over it."""
    measures = {"net_revenue_amount_rc": "Net revenue", "gross_margin_amount_rc": "Gross margin"}
    long = monthly.melt(
        id_vars="month_start_date",
        value_vars=list(measures),
        var_name="measure",
        value_name="amount",
    ).replace({"measure": measures})
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
                sort=list(measures.values()),
                scale=alt.Scale(range=["#9ecae9", "#1f6fb4"]),
                title=None,
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("measure:N", sort="descending"),  # margin drawn over revenue
            tooltip=[
                alt.Tooltip("yearmonth(month_start_date):T", title="Month"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("amount:Q", title=currency, format=",.2f"),
            ],
        )
    )


filters = current_filters()
currency = filters.reporting_currency
start, end = filters.start_date, filters.end_date

st.title("Overview")
st.caption(
    f"Orders dated {start:%Y-%m-%d} to {end:%Y-%m-%d} · amounts in {currency} · "
    "cancelled order lines excluded"
)

kpis = queries.overview_kpis(start, end).iloc[0]
# Tiles size to their content and wrap onto a second row on narrow screens, so that money is
# never cut off. They show whole units; the exact amount is in the tile's help.
with st.container(horizontal=True, wrap=True):
    st.metric(
        "Net revenue",
        format_money(kpis["net_revenue_amount_rc"], currency, decimals=0),
        help="Sum of order-line net amounts (after discount), converted at the order-date FX "
        f"rate. Exactly {format_money(kpis['net_revenue_amount_rc'], currency)}.",
        border=True,
    )
    st.metric(
        "Gross margin",
        format_money(kpis["gross_margin_amount_rc"], currency, decimals=0),
        help="Net revenue minus standard cost. "
        f"Exactly {format_money(kpis['gross_margin_amount_rc'], currency)}.",
        border=True,
    )
    st.metric(
        "Gross margin %",
        format_percent(kpis["gross_margin_pct"]),
        help="Gross margin divided by net revenue.",
        border=True,
    )
    st.metric(
        "Orders",
        format_count(kpis["order_count"]),
        help="Distinct orders with at least one non-cancelled line.",
        border=True,
    )

monthly = queries.monthly_revenue_and_margin(start, end)
customers = queries.top_customers_by_margin(start, end, limit=10)

if monthly.empty:
    st.info("No order lines in the selected date range.", icon=":material/filter_alt_off:")
else:
    # The table keeps its natural width; the chart takes the rest, or goes above the table
    # when the screen is too narrow for both.
    row = st.container(horizontal=True, wrap=True, gap="large")
    chart_column = row.container(width="stretch")
    table_column = row.container(width="content")
    with chart_column:
        st.subheader("Net revenue and gross margin by month")
        st.altair_chart(revenue_and_margin_chart(monthly, currency), width="stretch")
    with table_column:
        st.subheader("Top 10 customers by gross margin")
        money = f"%,.0f {currency}"
        st.dataframe(
            customers.assign(gross_margin_pct=customers["gross_margin_pct"] * 100),
            hide_index=True,
            width="content",
            column_order=[
                "customer_name",
                "net_revenue_amount_rc",
                "gross_margin_amount_rc",
                "gross_margin_pct",
            ],
            column_config={
                "customer_name": st.column_config.TextColumn("Customer"),
                "net_revenue_amount_rc": st.column_config.NumberColumn("Net revenue", format=money),
                "gross_margin_amount_rc": st.column_config.NumberColumn(
                    "Gross margin", format=money
                ),
                "gross_margin_pct": st.column_config.NumberColumn("Margin %", format="%.1f%%"),
            },
        )

st.caption(
    f"**How these figures are computed.** Net revenue = sum of order-line net amounts after "
    f"discount, converted to {currency} at the FX rate of the order date. Gross margin = net "
    "revenue − standard cost. Gross margin % = gross margin ÷ net revenue. Orders = distinct "
    "order numbers with at least one line that is not cancelled; cancelled lines are left out "
    f"of every figure. Amounts in tiles and table are rounded to whole {currency}."
)
