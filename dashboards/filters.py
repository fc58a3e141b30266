"""The sidebar's filter state, shared by the entrypoint (which writes it) and the pages.

`streamlit_app.py` renders the sidebar on every run, before the page, and stores the applied
`Filters` in `st.session_state[FILTERS_KEY]`; pages call `current_filters()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

FILTERS_KEY = "filters"
ORDER_DATE_RANGE_KEY = "order_date_range"  # the sidebar date_input's widget key


@dataclass(frozen=True)
class Filters:
    start_date: dt.date
    end_date: dt.date
    reporting_currency: str


def current_filters() -> Filters:
    """The filters the sidebar applied on this run."""
    return st.session_state[FILTERS_KEY]
