"""Sales orders, their lines and the CRM opportunities they came from, in chunks of orders."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dagster_project.lib.generate.ids import salesforce_ids, zero_padded
from dagster_project.lib.generate.master import Customers, Products

_DISCOUNTS = np.array([0, 200, 250, 300, 500, 750, 1000, 1250, 1500])  # percent, scaled by 100
_DISCOUNT_SHARE = [0.45, 0.08, 0.07, 0.1, 0.1, 0.08, 0.06, 0.03, 0.03]
CANCELLED_LINE_SHARE = 0.02
_OPEN_STAGES = np.array(["Prospecting", "Qualification", "Proposal", "Negotiation"])


def order_day_weights(first_day: np.datetime64, days: int) -> np.ndarray:
    """Demand by day: a yearly wave peaking in autumn, a Spring Festival dip, quiet weekends."""
    dates = first_day + np.arange(days).astype("timedelta64[D]")
    day_of_year = (dates - dates.astype("datetime64[Y]")).astype(int)
    weights = 1 + 0.25 * np.sin(2 * np.pi * (day_of_year - 150) / 365)
    weights[(day_of_year >= 25) & (day_of_year < 50)] *= 0.45
    weekday = (dates.astype(np.int64) + 3) % 7  # 0 = Monday
    weights[weekday >= 5] *= 0.25
    return weights / weights.sum()


@dataclass
class OrderChunk:
    orders: pd.DataFrame  # typed like erp.sales_orders
    lines: pd.DataFrame  # typed like erp.sales_order_lines
    opportunities: pd.DataFrame  # typed like crm.opportunities


def order_chunk(
    rng: np.random.Generator,
    first_order_number: int,
    order_days: np.ndarray,  # day offsets from first_day, sorted
    first_day: np.datetime64,
    export_day: np.datetime64,
    customers: Customers,
    products: Products,
    fx_to_cny: dict[str, np.ndarray],
) -> OrderChunk:
    count = len(order_days)
    order_date = first_day + order_days.astype("timedelta64[D]")
    customer = rng.choice(len(customers.weights), count, p=customers.weights)
    currency = customers.currency[customer]
    number = zero_padded(np.arange(first_order_number, first_order_number + count), 10)

    lines_per_order = np.minimum(1 + rng.geometric(0.45, count) - 1, 10)
    line_order = np.repeat(np.arange(count), lines_per_order)
    line_count = len(line_order)
    line_number = (np.arange(line_count) - np.repeat(np.cumsum(lines_per_order) - lines_per_order, lines_per_order) + 1) * 10
    product = rng.choice(len(products.weights), line_count, p=products.weights)
    by_weight = products.is_by_weight[product]
    units = np.clip(np.round(rng.lognormal(np.log(20), 1.0, line_count)), 1, 5000)
    quantity_milli = np.where(
        by_weight, np.round(units * rng.uniform(0.5, 1.5, line_count) * 1000), units * 1000
    ).astype(np.int64)

    line_currency = currency[line_order]
    line_day = order_days[line_order]
    rate = np.select(
        [line_currency == code for code in fx_to_cny],
        [fx_to_cny[code][line_day] for code in fx_to_cny],
    )
    # Price lists are in CNY; foreign customers are quoted the day's equivalent, give or take.
    unit_price_cents = np.maximum(
        1, np.round(products.list_price_cents[product] * 1_000_000 / rate * rng.uniform(0.95, 1.05, line_count))
    ).astype(np.int64)
    discount = rng.choice(_DISCOUNTS, line_count, p=_DISCOUNT_SHARE)
    net_cents = _round_half_up(quantity_milli * unit_price_cents * (10_000 - discount), 10_000_000)

    requested = order_date[line_order] + rng.integers(7, 46, line_count).astype("timedelta64[D]")
    promised = requested + rng.integers(0, 11, line_count).astype("timedelta64[D]")
    cancelled = rng.random(line_count) < CANCELLED_LINE_SHARE
    delivered = ~cancelled & (promised < export_day - np.timedelta64(3, "D"))
    line_status = np.where(cancelled, "CANCELLED", np.where(delivered, "DELIVERED", "OPEN"))
    line_changed = np.where(
        cancelled,
        order_date[line_order] + rng.integers(1, 10, line_count).astype("timedelta64[D]"),
        np.where(delivered, promised, order_date[line_order]),
    )
    line_changed = np.minimum(line_changed, export_day)

    lines = pd.DataFrame({
        "order_number": number[line_order],
        "line_number": line_number,
        "product_number": products.erp["product_number"].to_numpy()[product],
        "quantity": quantity_milli,
        "unit_price": unit_price_cents,
        "discount_pct": discount,
        "net_amount": net_cents,
        "currency": line_currency,
        "plant": products.plant[product],
        "requested_date": requested,
        "promised_date": promised,
        "line_status": line_status,
        "changed_on": line_changed,
    })

    status = _order_status(line_order, count, cancelled, delivered)
    order_changed = np.maximum.reduceat(line_changed, np.cumsum(lines_per_order) - lines_per_order)
    opportunity_id, opportunities = _opportunities(
        rng, customer, customers, currency, order_date, export_day, line_order, net_cents, cancelled
    )
    orders = pd.DataFrame({
        "order_number": number,
        "customer_number": customers.erp["customer_number"].to_numpy()[customer],
        "order_date": order_date,
        "currency": currency,
        "sales_org": customers.erp["sales_org"].to_numpy()[customer],
        "crm_opportunity_id": opportunity_id,
        "order_status": status,
        "changed_on": order_changed,
    })
    return OrderChunk(orders, lines, opportunities)


def _round_half_up(numerator: np.ndarray, denominator: int) -> np.ndarray:
    return (numerator + denominator // 2) // denominator


def _order_status(line_order: np.ndarray, count: int, cancelled: np.ndarray, delivered: np.ndarray) -> np.ndarray:
    lines = np.bincount(line_order, minlength=count)
    all_cancelled = np.bincount(line_order, weights=cancelled, minlength=count) == lines
    all_done = np.bincount(line_order, weights=cancelled | delivered, minlength=count) == lines
    return np.where(all_cancelled, "CANCELLED", np.where(all_done, "COMPLETED", "OPEN"))


def _opportunities(rng, customer, customers, currency, order_date, export_day, line_order, net_cents, cancelled):
    """Won opportunities behind about half the orders of customers sales knows, plus lost and open ones."""
    count = len(customer)
    account = customers.crm_account_id[customer]
    order_value = np.bincount(line_order, weights=np.where(cancelled, 0, net_cents), minlength=count)
    won = (account != None) & (rng.random(count) < 0.55)  # noqa: E711 (elementwise)
    won_rows = np.flatnonzero(won)
    other = rng.choice(won_rows, size=int(len(won_rows) * 0.45), replace=True) if len(won_rows) else won_rows
    rows = np.concatenate([won_rows, other])
    is_won = np.concatenate([np.ones(len(won_rows), bool), np.zeros(len(other), bool)])
    is_open = ~is_won & (rng.random(len(rows)) < 0.25)
    close_date = order_date[rows] - rng.integers(0, 11, len(rows)).astype("timedelta64[D]")
    close_date = np.where(is_open, np.maximum(close_date, export_day) + np.timedelta64(30, "D"), close_date)
    created = close_date.astype("datetime64[s]") - rng.integers(10 * 86400, 90 * 86400, len(rows)).astype("timedelta64[s]")
    modified = np.minimum(close_date.astype("datetime64[s]") + np.timedelta64(17 * 3600, "s"), np.datetime64(export_day, "s"))
    ids = np.array(salesforce_ids("006", rng.integers(10**6, 10**17, len(rows))), dtype=object)
    stage = np.where(is_won, "Closed Won", np.where(is_open, rng.choice(_OPEN_STAGES, len(rows)), "Closed Lost"))
    probability = np.where(is_won, 100, np.where(is_open, rng.choice([10, 20, 50, 75], len(rows)), 0))
    amount = np.where(is_won, order_value[rows], np.round(order_value[rows] * rng.uniform(0.6, 1.4, len(rows))))
    opportunities = pd.DataFrame({
        "Id": ids,
        "AccountId": account[rows],
        "Name": [f"Order opportunity {i + 1}" for i in range(len(rows))],
        "StageName": stage,
        "Amount": amount.astype(np.int64),
        "CurrencyIsoCode": currency[rows],
        "CloseDate": close_date,
        "Probability": probability,
        "ForecastCategoryName": np.where(is_won, "Closed", np.where(is_open, "Pipeline", "Omitted")),
        "IsClosed": ~is_open,
        "IsWon": is_won,
        "OwnerId": customers.owner_id[customer[rows]],
        "CreatedDate": created,
        "LastModifiedDate": modified,
    })
    opportunity_id = np.full(count, None, dtype=object)
    opportunity_id[won_rows] = ids[: len(won_rows)]
    return opportunity_id, opportunities
