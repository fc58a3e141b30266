"""A customer with several type-2 versions is one customer in the Overview's top customers."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import queries

APP = Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py"


def cm2_by_customer_id(warehouse: Path) -> dict[str, float]:
    """CM2 per golden customer over all dates, straight from the fact."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            """
            select customer_id, sum(cm2_amount_rc)
            from marts.fct_order_lines
            group by customer_id
            """
        ).fetchall()
    return {customer_id: float(margin) for customer_id, margin in rows}


def renegotiate_terms(warehouse: Path, customer_id: str, on: dt.date) -> None:
    """What the build gives when a customer's payment terms change on `on` in mid-history: a
    second version of the customer, and its orders from that day pointing at that version.

    The demo's renegotiations fall after its last order, so its facts never show two versions
    of one customer; this edits a copy of the warehouse the way the model would have built it.
    """
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            """
            insert into marts.dim_customers by name
            select * replace (
                md5(customer_id || '-' || $on::varchar) as customer_key,
                'NT90' as payment_terms,
                version_number + 1 as version_number,
                $on::date as valid_from_date,
            )
            from marts.dim_customers
            where customer_id = $customer_id and is_current
            """,
            {"customer_id": customer_id, "on": on},
        )
        connection.execute(
            """
            update marts.dim_customers
            set valid_to_date = $on::date - 1, is_current = false
            where customer_id = $customer_id and is_current and valid_from_date < $on::date
            """,
            {"customer_id": customer_id, "on": on},
        )
        connection.execute(
            """
            update marts.fct_order_lines
            set customer_key = (
                select customer_key from marts.dim_customers
                where customer_id = $customer_id and is_current
            )
            where customer_id = $customer_id and order_date >= $on::date
            """,
            {"customer_id": customer_id, "on": on},
        )


@pytest.fixture
def renegotiated(
    published_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, str]:
    """A copy of the demo warehouse in which the best customer has two versions with orders."""
    warehouse = tmp_path / "profitlens.duckdb"
    shutil.copy(published_warehouse, warehouse)
    margins = cm2_by_customer_id(warehouse)
    best = max(margins, key=margins.__getitem__)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        (split_date,) = connection.execute(
            """
            select quantile_disc(order_date, 0.5)
            from marts.fct_order_lines
            where customer_id = ? and not is_cancelled
            """,
            [best],
        ).fetchone()
    renegotiate_terms(warehouse, best, split_date)
    monkeypatch.setenv("PROFITLENS_WAREHOUSE_DIR", str(tmp_path))
    return warehouse, best


def test_a_customer_with_two_versions_is_ranked_once_with_all_its_cm2(
    renegotiated: tuple[Path, str],
) -> None:
    warehouse, customer_id = renegotiated
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        versions, current_name = connection.execute(
            """
            select
                count(distinct order_lines.customer_key),
                (select customer_name from marts.dim_customers
                 where customer_id = $customer_id and is_current),
            from marts.fct_order_lines as order_lines
            where order_lines.customer_id = $customer_id
            """,
            {"customer_id": customer_id},
        ).fetchone()
    assert versions == 2  # the situation under test: its lines point at two versions
    expected = cm2_by_customer_id(warehouse)[customer_id]

    app = AppTest.from_file(str(APP), default_timeout=120).run()

    assert not app.exception, [exception.message for exception in app.exception]
    table = app.dataframe[0].value
    assert table["customer_id"].is_unique
    assert table.iloc[0]["customer_id"] == customer_id
    assert table.iloc[0]["customer_name"] == current_name
    assert table.iloc[0]["cm2_amount_rc"] == pytest.approx(expected, abs=0.005)


def test_every_customer_s_cm2_is_summed_over_its_versions(
    renegotiated: tuple[Path, str],
) -> None:
    warehouse, _ = renegotiated
    expected = cm2_by_customer_id(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        first, last = connection.execute(
            "select min(order_date), max(order_date) from marts.fct_order_lines"
        ).fetchone()

    ranked = queries.top_customers_by_cm2(first, last, limit=len(expected) + 1)

    assert ranked["customer_id"].is_unique
    shown = dict(zip(ranked["customer_id"], ranked["cm2_amount_rc"], strict=True))
    assert shown == pytest.approx(expected, abs=0.005)
