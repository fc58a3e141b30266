"""Every SQL the Streamlit app runs, as functions that return pandas DataFrames.

The app reads only the published snapshot (`Settings.published_path`), read-only. The nightly
publish swaps that file with `os.replace`, so:

- each query opens its own read-only connection and closes it; no handle outlives one query;
- results are cached by the file's identity (path, mtime_ns, inode) as well as by SQL and
  parameters, so a newly published snapshot is read on the next rerun, never a stale cache;
- a query checks that the file it opened is the one it identified, and retries otherwise.

Measures are in the reporting currency (`*_amount_rc`) and are the model's own contribution
margins (docs/model.md, "The Overview dashboard"). Money is summed over every line of the range,
cancelled ones included: a cancelled line carries 0 revenue and production cost but keeps the
freight and cost-to-serve already spent on it, and leaving those out would make the Overview's
CM2 differ from the company's. Orders count only orders with a line that is not cancelled.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from dagster_project.lib.settings import load_settings

CACHE_TTL = dt.timedelta(minutes=10)
_ATTEMPTS = 3


class WarehouseError(Exception):
    """The published warehouse cannot be read; the message says why, for the user."""


class WarehouseNotFoundError(WarehouseError):
    """No snapshot has been published yet at the configured path."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"No published warehouse at {path}")
        self.path = path


class _SnapshotReplaced(Exception):
    """The file was swapped between identifying it and opening it."""


@dataclass(frozen=True)
class Snapshot:
    """Identity of one published file version: the cache key of everything read from it."""

    path: str
    mtime_ns: int
    inode: int

    @property
    def modified_at(self) -> dt.datetime:
        """When the snapshot was published (file modification time, local time zone)."""
        return dt.datetime.fromtimestamp(self.mtime_ns / 1e9).astimezone()


def published_path() -> Path:
    """Where the published snapshot lives, from the settings as they are now."""
    return load_settings().published_path


def published_snapshot() -> Snapshot | None:
    """The published file's identity, or None when nothing has been published yet."""
    return _identify(str(published_path()))


def _identify(path: str) -> Snapshot | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return Snapshot(path=path, mtime_ns=stat.st_mtime_ns, inode=stat.st_ino)


@st.cache_data(ttl=CACHE_TTL, max_entries=512, show_spinner=False)
def _read(snapshot: Snapshot, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    try:
        connection = duckdb.connect(snapshot.path, read_only=True)
    except duckdb.IOException as error:
        if not os.path.exists(snapshot.path):
            raise _SnapshotReplaced from error
        raise WarehouseError(f"Cannot open {snapshot.path}: {error}") from error
    try:
        # The name may point at a newer file than the one we identified; then the data we
        # would read does not belong under this cache key.
        if _identify(snapshot.path) != snapshot:
            raise _SnapshotReplaced
        return connection.execute(sql, params).df()
    except duckdb.Error as error:
        raise WarehouseError(
            f"The published warehouse {snapshot.path} could not answer a query: {error}"
        ) from error
    finally:
        connection.close()


def _query(sql: str, **params: Any) -> pd.DataFrame:
    for _ in range(_ATTEMPTS):
        snapshot = published_snapshot()
        if snapshot is None:
            raise WarehouseNotFoundError(published_path())
        try:
            return _read(snapshot, sql, params)
        except _SnapshotReplaced:
            continue
    raise WarehouseError("The published warehouse was replaced while being read; reload the page.")


def order_date_bounds() -> pd.DataFrame:
    """One row: first_order_date and last_order_date over all order lines (NaT when empty)."""
    return _query(
        """
        select
            min(order_date) as first_order_date,
            max(order_date) as last_order_date,
        from marts.fct_order_lines
        """
    )


def reporting_currencies() -> pd.DataFrame:
    """The reporting currency codes the snapshot's amounts are in (one row when consistent)."""
    return _query(
        """
        select distinct reporting_currency_code
        from marts.fct_order_lines
        order by reporting_currency_code
        """
    )


def overview_kpis(start_date: dt.date, end_date: dt.date) -> pd.DataFrame:
    """One row with the Overview tiles for order dates in [start_date, end_date].

    Columns: net_revenue_amount_rc, actual_production_cost_amount_rc, cm1_amount_rc,
    freight_cost_amount_rc, cost_to_serve_amount_rc, cm2_amount_rc, cm1_pct and cm2_pct (ratios
    to net revenue, NaN when there is none), order_count (distinct orders with a line that is
    not cancelled).
    """
    return _query(
        """
        select
            coalesce(sum(net_revenue_amount_rc), 0) as net_revenue_amount_rc,
            coalesce(sum(actual_production_cost_amount_rc), 0)
                as actual_production_cost_amount_rc,
            coalesce(sum(cm1_amount_rc), 0) as cm1_amount_rc,
            coalesce(sum(freight_cost_amount_rc), 0) as freight_cost_amount_rc,
            coalesce(sum(cost_to_serve_amount_rc), 0) as cost_to_serve_amount_rc,
            coalesce(sum(cm2_amount_rc), 0) as cm2_amount_rc,
            sum(cm1_amount_rc) / nullif(sum(net_revenue_amount_rc), 0) as cm1_pct,
            sum(cm2_amount_rc) / nullif(sum(net_revenue_amount_rc), 0) as cm2_pct,
            count(distinct order_number) filter (where not is_cancelled) as order_count,
        from marts.fct_order_lines
        where order_date between $start_date and $end_date
        """,
        start_date=start_date,
        end_date=end_date,
    )


def monthly_contribution_margins(start_date: dt.date, end_date: dt.date) -> pd.DataFrame:
    """Net revenue, CM1 and CM2 by calendar month of the order date, oldest first."""
    return _query(
        """
        select
            date_trunc('month', order_date)::date as month_start_date,
            sum(net_revenue_amount_rc) as net_revenue_amount_rc,
            sum(cm1_amount_rc) as cm1_amount_rc,
            sum(cm2_amount_rc) as cm2_amount_rc,
        from marts.fct_order_lines
        where order_date between $start_date and $end_date
        group by month_start_date
        order by month_start_date
        """,
        start_date=start_date,
        end_date=end_date,
    )


def top_customers_by_cm2(start_date: dt.date, end_date: dt.date, limit: int = 10) -> pd.DataFrame:
    """The `limit` customers with the highest CM2 in the range, best first.

    One row per golden customer (`customer_id`): its type-2 versions (one `customer_key` each,
    e.g. before and after renegotiated payment terms) are summed together, and the name is the
    current version's. Lines whose customer is not in the master keep their id as the name.
    Columns: customer_id, customer_name, net_revenue_amount_rc, cm1_amount_rc, cm2_amount_rc,
    cm2_pct.
    """
    return _query(
        """
        with

        order_lines as (
            select * from marts.fct_order_lines
        ),

        customers as (
            select * from marts.dim_customers
        ),

        current_customers as (
            select * from customers
            where is_current
        ),

        margins_summed_by_customer as (
            select
                customer_id,
                sum(net_revenue_amount_rc) as net_revenue_amount_rc,
                sum(cm1_amount_rc) as cm1_amount_rc,
                sum(cm2_amount_rc) as cm2_amount_rc,
            from order_lines
            where order_date between $start_date and $end_date
            group by customer_id
        ),

        final as (
            select
                margins_summed_by_customer.customer_id,
                coalesce(
                    current_customers.customer_name,
                    margins_summed_by_customer.customer_id,
                    'Unknown customer'
                ) as customer_name,
                margins_summed_by_customer.net_revenue_amount_rc,
                margins_summed_by_customer.cm1_amount_rc,
                margins_summed_by_customer.cm2_amount_rc,
                margins_summed_by_customer.cm2_amount_rc
                    / nullif(margins_summed_by_customer.net_revenue_amount_rc, 0) as cm2_pct,
            from margins_summed_by_customer
            left join current_customers
                on margins_summed_by_customer.customer_id = current_customers.customer_id
        )

        select * from final
        order by cm2_amount_rc desc, customer_name, customer_id
        limit $limit
        """,
        start_date=start_date,
        end_date=end_date,
        limit=limit,
    )


def top_products_by_cm2(start_date: dt.date, end_date: dt.date, limit: int = 10) -> pd.DataFrame:
    """The `limit` products with the highest CM2 in the range, best first.

    Columns: product_key, product_number, product_name, category_name, net_revenue_amount_rc,
    cm1_amount_rc, cm2_amount_rc, cm2_pct. Codes not in the master are one row, the unknown
    product.
    """
    return _query(
        """
        with

        order_lines as (
            select * from marts.fct_order_lines
        ),

        products as (
            select * from marts.dim_products
        ),

        margins_summed_by_product as (
            select
                product_key,
                sum(net_revenue_amount_rc) as net_revenue_amount_rc,
                sum(cm1_amount_rc) as cm1_amount_rc,
                sum(cm2_amount_rc) as cm2_amount_rc,
            from order_lines
            where order_date between $start_date and $end_date
            group by product_key
        ),

        final as (
            select
                margins_summed_by_product.product_key,
                products.product_number,
                coalesce(products.product_name, 'Unknown product') as product_name,
                products.category_name,
                margins_summed_by_product.net_revenue_amount_rc,
                margins_summed_by_product.cm1_amount_rc,
                margins_summed_by_product.cm2_amount_rc,
                margins_summed_by_product.cm2_amount_rc
                    / nullif(margins_summed_by_product.net_revenue_amount_rc, 0) as cm2_pct,
            from margins_summed_by_product
            left join products
                on margins_summed_by_product.product_key = products.product_key
        )

        select * from final
        order by cm2_amount_rc desc, product_name, product_key
        limit $limit
        """,
        start_date=start_date,
        end_date=end_date,
        limit=limit,
    )
