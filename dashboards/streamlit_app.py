"""ProfitLens app entrypoint: page navigation and the shared sidebar, nothing else.

Run with `streamlit run dashboards/streamlit_app.py`. Every SQL lives in `dashboards/queries.py`;
each page is a file under `dashboards/app_pages/` and reads the sidebar's filters through
`dashboards.filters.current_filters()`.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dagster_project.lib.settings import load_settings
from dashboards import queries
from dashboards.filters import FILTERS_KEY, ORDER_DATE_RANGE_KEY, Filters
from dashboards.formatting import format_age

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/monitoring:", default=True),
]

_BOUNDS_KEY = "_order_date_bounds"  # the data's full range when the sidebar last ran


def show_missing_warehouse(error: queries.WarehouseNotFoundError) -> None:
    st.info(
        f"""
        **No published warehouse yet.** ProfitLens looked for `{error.path}`.

        Build and publish one with `make run` (generates demo exports, builds the warehouse
        and serves this app) or `profitlens build`, then reload this page. To read a warehouse
        kept elsewhere, set `PROFITLENS_WAREHOUSE_DIR`.
        """,
        icon=":material/database:",
    )


def sidebar_filters(snapshot: queries.Snapshot) -> Filters | None:
    """Render the shared sidebar and return the filters it applies (None: no order lines)."""
    currencies = queries.reporting_currencies()["reporting_currency_code"].tolist()
    currency = currencies[0] if len(currencies) == 1 else load_settings().reporting_currency
    bounds = queries.order_date_bounds().iloc[0]

    st.sidebar.markdown(f"Reporting currency: **{currency}**")
    if len(currencies) > 1:
        st.sidebar.warning(f"The snapshot mixes reporting currencies: {', '.join(currencies)}.")
    published_at = snapshot.modified_at
    st.sidebar.caption(
        f"Data as of {published_at:%Y-%m-%d %H:%M %Z} ({format_age(published_at)})",
        help=f"Modification time of the published snapshot `{snapshot.path}`.",
    )
    if bounds.isna().any():
        return None

    first: dt.date = bounds["first_order_date"].date()
    last: dt.date = bounds["last_order_date"].date()
    previous_bounds = st.session_state.get(_BOUNDS_KEY)
    if previous_bounds != (first, last):
        # First run, or a new snapshot: default to the full range, and keep a selection that
        # covered the old full range covering the new one. Other selections stay (clamped).
        selected = st.session_state.get(ORDER_DATE_RANGE_KEY)
        if selected is None or tuple(selected) == previous_bounds:
            st.session_state[ORDER_DATE_RANGE_KEY] = (first, last)
        st.session_state[_BOUNDS_KEY] = (first, last)

    picked = st.sidebar.date_input(
        "Order date",
        min_value=first,
        max_value=last,
        key=ORDER_DATE_RANGE_KEY,
        format="YYYY-MM-DD",
        help=f"Orders dated from the first to the last day, inclusive. Data: {first} to {last}.",
    )
    if len(picked) == 2:
        start, end = picked
    else:
        # Half-picked range: keep what was applied until the end date is chosen.
        st.sidebar.caption("Pick an end date to apply the range.")
        applied = st.session_state.get(FILTERS_KEY)
        start, end = (applied.start_date, applied.end_date) if applied else (first, last)
    return Filters(start_date=start, end_date=end, reporting_currency=currency)


st.set_page_config(page_title="ProfitLens", page_icon=":material/monitoring:", layout="wide")
page = st.navigation(PAGES)
st.sidebar.title("ProfitLens")

try:
    snapshot = queries.published_snapshot()
    if snapshot is None:
        raise queries.WarehouseNotFoundError(queries.published_path())
    filters = sidebar_filters(snapshot)
    if filters is None:
        st.info("The published warehouse has no order lines yet.", icon=":material/inbox:")
        st.stop()
    st.session_state[FILTERS_KEY] = filters
    page.run()
except queries.WarehouseNotFoundError as error:
    show_missing_warehouse(error)
except queries.WarehouseError as error:
    st.error(str(error), icon=":material/error:")
