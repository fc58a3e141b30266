"""Overview: revenue and margin for the sidebar's order-date range (UI only; SQL in queries.py)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.filters import current_filters
from dashboards.formatting import format_count, format_money, format_percent


def revenue_and_margin_chart(monthly: pd.DataFrame, currency: str) -> alt.Chart:
    """Grouped bars: net revenue and gross margin side by side for each month."""
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
            x=alt.X("yearmonth(month_start_date):O", title="Month", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=list(measures.values())),
            y=alt.Y("amount:Q", title=f"Amount ({currency})", axis=alt.Axis(format="~s")),
            color=alt.Color(
                "measure:N",
                sort=list(measures.values()),
                title=None,
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("yearmonth(month_start_date):O", title="Month"),
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
net_revenue_tile, gross_margin_tile, margin_pct_tile, order_count_tile = st.columns(4)
net_revenue_tile.metric(
    "Net revenue",
    format_money(kpis["net_revenue_amount_rc"], currency),
    help="Sum of order-line net amounts (after discount), converted at the order-date FX rate.",
    border=True,
)
gross_margin_tile.metric(
    "Gross margin",
    format_money(kpis["gross_margin_amount_rc"], currency),
    help="Net revenue minus standard cost.",
    border=True,
)
margin_pct_tile.metric(
    "Gross margin %",
    format_percent(kpis["gross_margin_pct"]),
    help="Gross margin divided by net revenue.",
    border=True,
)
order_count_tile.metric(
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
    chart_column, table_column = st.columns([3, 2], gap="large")
    with chart_column:
        st.subheader("Net revenue and gross margin by month")
        st.altair_chart(revenue_and_margin_chart(monthly, currency), width="stretch")
    with table_column:
        st.subheader("Top 10 customers by gross margin")
        money = f"%,.2f {currency}"
        st.dataframe(
            customers,
            hide_index=True,
            width="stretch",
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
                "gross_margin_pct": st.column_config.NumberColumn("Margin %", format="percent"),
            },
        )

st.caption(
    f"**How these figures are computed.** Net revenue = sum of order-line net amounts after "
    f"discount, converted to {currency} at the FX rate of the order date. Gross margin = net "
    "revenue − standard cost. Gross margin % = gross margin ÷ net revenue. Orders = distinct "
    "order numbers with at least one line that is not cancelled; cancelled lines are left out "
    "of every figure."
)
