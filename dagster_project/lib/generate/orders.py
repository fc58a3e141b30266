"""Sales orders and lines, and the CRM opportunities, history, line items and quotes behind them.

Lines are generated in their final state (what staging must end up with); `early` marks the
lines that an earlier export showed in a previous state (open, before a correction), so the
exporter can write both versions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dagster_project.lib.generate.ids import salesforce_ids, zero_padded
from dagster_project.lib.generate.master import Customers, Products

_DISCOUNTS = np.array([0, 200, 250, 300, 500, 750, 1000, 1250, 1500])  # percent, scaled by 100
_DISCOUNT_SHARE = [0.45, 0.08, 0.07, 0.1, 0.1, 0.08, 0.06, 0.03, 0.03]
CANCELLED_LINE_SHARE = 0.015
_OPEN_STAGES = np.array(["Prospecting", "Qualification", "Proposal", "Negotiation"])
_STAGE_PATH = ["Prospecting", "Qualification", "Proposal", "Negotiation"]
_PROBABILITY = {"Prospecting": 10, "Qualification": 20, "Proposal": 50, "Negotiation": 75}


def order_day_weights(first_day: np.datetime64, days: int) -> np.ndarray:
    """Demand by day: a yearly wave peaking in autumn, a Spring Festival dip, quiet weekends."""
    dates = first_day + np.arange(days).astype("timedelta64[D]")
    day_of_year = (dates - dates.astype("datetime64[Y]")).astype(int)
    weights = 1 + 0.25 * np.sin(2 * np.pi * (day_of_year - 150) / 365)
    weights[(day_of_year >= 25) & (day_of_year < 50)] *= 0.45
    weekday = (dates.astype(np.int64) + 3) % 7  # 0 = Monday
    weights[weekday >= 5] *= 0.25
    return weights / weights.sum()


def round_half_up(numerator: np.ndarray, denominator: int) -> np.ndarray:
    return (numerator + denominator // 2) // denominator


def net_cents(quantity_milli, unit_price_cents, discount_bp) -> np.ndarray:
    """round(quantity * unit_price * (1 - discount_pct / 100), 2), exactly, half up."""
    return round_half_up(quantity_milli * unit_price_cents * (10_000 - discount_bp), 10_000_000)


@dataclass
class Lines:
    """Order lines of one chunk in their final state, plus what later steps need about them."""

    records: dict  # erp.sales_order_lines
    order: np.ndarray  # index into the chunk's orders
    product: np.ndarray
    order_date: np.ndarray
    cancelled: np.ndarray
    early: np.ndarray  # shown in an earlier export as an open line before its final state
    early_quantity: np.ndarray
    early_net: np.ndarray
    export_on: np.ndarray  # day the final version reaches an export (late for a few)


@dataclass
class Orders:
    records: dict  # erp.sales_orders, final state
    customer: np.ndarray
    order_date: np.ndarray
    lines: Lines


def order_chunk(
    rng,
    first_order_number: int,
    order_days: np.ndarray,
    first_day: np.datetime64,
    export_day: np.datetime64,
    first_daily_export: np.datetime64,
    customers: Customers,
    products: Products,
    fx_to_cny: dict[str, np.ndarray],
    correction_rate: float,
    late_rate: float,
) -> Orders:
    count = len(order_days)
    order_date = first_day + order_days.astype("timedelta64[D]")
    customer = rng.choice(len(customers.weights), count, p=customers.weights)
    currency = customers.currency[customer]
    number = zero_padded(np.arange(first_order_number, first_order_number + count), 10)

    lines_per_order = np.minimum(rng.geometric(0.45, count), 10)
    starts = np.cumsum(lines_per_order) - lines_per_order
    line_order = np.repeat(np.arange(count), lines_per_order)
    line_count = len(line_order)
    line_number = (np.arange(line_count) - np.repeat(starts, lines_per_order) + 1) * 10
    product = rng.choice(len(products.weights), line_count, p=products.weights)
    units = np.clip(np.round(rng.lognormal(np.log(20), 1.0, line_count)), 1, 5000)
    quantity = np.where(
        products.is_by_weight[product],
        np.round(units * rng.uniform(0.5, 1.5, line_count) * 1000),
        units * 1000,
    ).astype(np.int64)
    line_date = order_date[line_order]
    line_currency = currency[line_order]
    rate = np.select(
        [line_currency == c for c in fx_to_cny],
        [fx_to_cny[c][order_days[line_order]] for c in fx_to_cny],
    )
    # Price lists are in CNY; foreign customers are quoted the day's equivalent, give or take.
    unit_price = np.maximum(
        1,
        np.round(
            products.list_price_cents[product]
            * 1_000_000
            / rate
            * rng.uniform(0.95, 1.05, line_count)
        ),
    ).astype(np.int64)
    discount = rng.choice(_DISCOUNTS, line_count, p=_DISCOUNT_SHARE)
    difficult = customers.is_difficult[customer][line_order]
    discount = np.where(difficult, np.minimum(discount + 1500, 4000), discount)  # buying on price
    requested = line_date + rng.integers(7, 46, line_count).astype("timedelta64[D]")
    promised = requested + rng.integers(0, 11, line_count).astype("timedelta64[D]")

    # Later exports correct some lines (quantity changed or line cancelled) and carry others late.
    cancelled = rng.random(line_count) < CANCELLED_LINE_SHARE
    cancelled_on = line_date + rng.integers(1, 10, line_count).astype("timedelta64[D]")
    correctable = (line_date < export_day - np.timedelta64(2, "D")) & ~cancelled
    corrected = correctable & (rng.random(line_count) < correction_rate)
    correction_day = np.maximum(
        line_date + rng.integers(1, 20, line_count).astype("timedelta64[D]"),
        first_daily_export + rng.integers(0, 3, line_count).astype("timedelta64[D]"),
    )
    correction_day = np.minimum(correction_day, export_day)
    corrected_to_cancel = corrected & (rng.random(line_count) < 0.3)
    early_quantity = quantity.copy()
    resized = corrected & ~corrected_to_cancel
    quantity = np.where(
        resized,
        np.maximum(
            1000, (quantity * rng.uniform(0.5, 1.5, line_count)).astype(np.int64) // 1000 * 1000
        ),
        quantity,
    )
    cancelled = cancelled | corrected_to_cancel
    changed = np.where(corrected, correction_day, np.where(cancelled, cancelled_on, line_date))
    changed = np.minimum(changed, export_day)
    early = corrected

    records = {
        "order_number": number[line_order],
        "line_number": line_number,
        "product_number": products.erp["product_number"][product],
        "quantity": quantity,
        "unit_price": unit_price,
        "discount_pct": discount,
        "net_amount": net_cents(quantity, unit_price, discount),
        "currency": line_currency,
        "plant": np.asarray(["SZ01", "SH01", "SU01"])[products.plant_index[product]],
        "requested_date": requested,
        "promised_date": promised,
        "line_status": np.where(cancelled, "CANCELLED", "OPEN").astype(object),
        "changed_on": changed,
    }
    late = ~early & (rng.random(line_count) < late_rate) & (changed >= first_daily_export)
    export_on = np.where(
        late,
        np.minimum(changed + rng.integers(1, 4, line_count).astype("timedelta64[D]"), export_day),
        changed,
    )
    lines = Lines(
        records,
        line_order,
        product,
        line_date,
        cancelled,
        early,
        early_quantity,
        net_cents(early_quantity, unit_price, discount),
        export_on,
    )
    orders = {
        "order_number": number,
        "customer_number": customers.erp["customer_number"][customer],
        "order_date": order_date,
        "currency": currency,
        "sales_org": customers.erp["sales_org"][customer],
        "crm_opportunity_id": np.full(count, None, dtype=object),
        "order_status": np.full(count, "OPEN", dtype=object),
        "changed_on": order_date.copy(),
    }
    return Orders(orders, customer, order_date, lines)


def settle_statuses(orders: Orders, delivered: np.ndarray, delivered_on: np.ndarray) -> None:
    """Final line and order statuses once deliveries are known (delivered: per line)."""
    lines = orders.lines
    records = lines.records
    records["line_status"] = np.where(
        lines.cancelled, "CANCELLED", np.where(delivered, "DELIVERED", "OPEN")
    )
    records["changed_on"] = np.where(
        delivered, np.maximum(records["changed_on"], delivered_on), records["changed_on"]
    )
    lines.export_on = np.maximum(lines.export_on, records["changed_on"])
    count = len(orders.order_date)
    per_order = np.bincount(lines.order, minlength=count)
    all_cancelled = np.bincount(lines.order, weights=lines.cancelled, minlength=count) == per_order
    all_done = (
        np.bincount(lines.order, weights=lines.cancelled | delivered, minlength=count) == per_order
    )
    orders.records["order_status"] = np.where(
        all_cancelled, "CANCELLED", np.where(all_done, "COMPLETED", "OPEN")
    )
    last_change = np.full(count, np.datetime64("1970-01-01"), dtype="datetime64[D]")
    np.maximum.at(last_change, lines.order, records["changed_on"])
    orders.records["changed_on"] = last_change


@dataclass
class Pipeline:
    opportunities: dict
    history: dict
    line_items: dict
    quotes: dict


def opportunities(
    rng,
    orders: Orders,
    customers: Customers,
    products: Products,
    export_day: np.datetime64,
    first_sequence: int,
) -> Pipeline:
    """Won opportunities behind about half the orders of known customers, plus lost and open ones.

    `first_sequence` (twice the chunk's first order index) keeps ids unique across chunks: an
    order has at most 2 opportunities, an opportunity at most 5 history rows and 10 items."""
    count = len(orders.customer)
    account = customers.account_id[orders.customer]
    lines = orders.lines
    order_value = np.bincount(
        lines.order,
        weights=np.where(lines.cancelled, 0, lines.records["net_amount"]),
        minlength=count,
    )
    won = (account != None) & (rng.random(count) < 0.55)  # noqa: E711 (elementwise)
    won_rows = np.flatnonzero(won)
    other = rng.choice(won_rows, size=int(len(won_rows) * 0.45)) if len(won_rows) else won_rows
    rows = np.concatenate([won_rows, other])
    n = len(rows)
    is_won = np.arange(n) < len(won_rows)
    is_open = ~is_won & (rng.random(n) < 0.25)
    close_date = orders.order_date[rows] - rng.integers(0, 11, n).astype("timedelta64[D]")
    close_date = np.where(
        is_open, np.maximum(close_date, export_day) + np.timedelta64(30, "D"), close_date
    )
    created = np.minimum(
        close_date.astype("datetime64[s]"), np.datetime64(export_day, "s")
    ) - rng.integers(10 * 86400, 90 * 86400, n).astype("timedelta64[s]")
    modified = np.minimum(
        close_date.astype("datetime64[s]") + np.timedelta64(9 * 3600, "s"),
        np.datetime64(export_day, "s") - np.timedelta64(3600, "s"),
    )
    modified = np.maximum(modified, created + np.timedelta64(60, "s"))
    ids = salesforce_ids("006", 3 * 10**9 + first_sequence + np.arange(n))
    stage = np.where(
        is_won, "Closed Won", np.where(is_open, rng.choice(_OPEN_STAGES, n), "Closed Lost")
    )
    probability = np.select(
        [is_won, is_open],
        [
            100,
            np.vectorize(_PROBABILITY.get, otypes=[int])(np.where(is_open, stage, "Prospecting")),
        ],
        0,
    )
    amount = np.where(
        is_won, order_value[rows], np.round(order_value[rows] * rng.uniform(0.6, 1.4, n))
    ).astype(np.int64)
    currency = orders.records["currency"][rows]
    customer_name = customers.erp["customer_name"][orders.customer[rows]]
    opps = {
        "Id": ids,
        "AccountId": account[rows],
        "Name": np.char.add(
            np.char.add(customer_name.astype(str), " - "),
            orders.order_date[rows].astype("datetime64[M]").astype(str),
        ),
        "StageName": stage,
        "Amount": amount,
        "CurrencyIsoCode": currency,
        "CloseDate": close_date,
        "Probability": probability,
        "ForecastCategoryName": np.where(
            is_won,
            "Closed",
            np.where(is_open, np.where(probability >= 75, "Commit", "Pipeline"), "Omitted"),
        ),
        "IsClosed": ~is_open,
        "IsWon": is_won,
        "OwnerId": customers.owner_id[orders.customer[rows]],
        "CreatedDate": created,
        "LastModifiedDate": modified,
    }
    orders.records["crm_opportunity_id"][won_rows] = ids[: len(won_rows)]
    return Pipeline(
        opps,
        _history(rng, opps, first_sequence),
        _line_items(rng, opps, rows, is_won, orders, products, first_sequence),
        _quotes(rng, opps, first_sequence),
    )


def _history(rng, opps: dict, first_sequence: int) -> dict:
    """Each opportunity walked through 1-4 open stages before its current one."""
    n = len(opps["Id"])
    steps = rng.integers(1, 5, n)
    final_is_open = ~opps["IsClosed"]
    total = steps + 1
    opp = np.repeat(np.arange(n), total)
    position = np.arange(len(opp)) - np.repeat(np.cumsum(total) - total, total)
    last = position == total[opp] - 1
    path = np.array(_STAGE_PATH)
    stage = np.where(last, opps["StageName"][opp], path[np.minimum(position, 3)])
    # an open opportunity's history stops at its current stage
    stage = np.where(final_is_open[opp] & ~last, path[np.minimum(position, 3)], stage)
    span = (opps["LastModifiedDate"] - opps["CreatedDate"]).astype(np.int64)
    when = opps["CreatedDate"][opp] + (span[opp] * position / np.maximum(total[opp] - 1, 1)).astype(
        np.int64
    ).astype("timedelta64[s]")
    probability = np.where(
        last,
        opps["Probability"][opp],
        np.vectorize(_PROBABILITY.get, otypes=[int])(np.where(last, "Prospecting", stage)),
    )
    return {
        "Id": salesforce_ids("008", 4 * 10**9 + first_sequence * 5 + np.arange(len(opp))),
        "OpportunityId": opps["Id"][opp],
        "StageName": stage,
        "Amount": opps["Amount"][opp],
        "Probability": probability,
        "CloseDate": opps["CloseDate"][opp],
        "CreatedDate": when,
    }


def _line_items(
    rng, opps, rows, is_won, orders: Orders, products: Products, first_sequence: int
) -> dict:
    """Won opportunities list their order's lines; others one to three quoted products."""
    lines = orders.lines
    by_order = {o: i for i, o in enumerate(rows[is_won])}
    won_lines = np.flatnonzero(np.isin(lines.order, rows[is_won]) & ~lines.cancelled)
    other = np.flatnonzero(~is_won)
    extra = rng.integers(1, 4, len(other))
    other_opp = np.repeat(other, extra)
    other_product = rng.choice(len(products.weights), len(other_opp), p=products.weights)
    other_quantity = (rng.integers(1, 60, len(other_opp)) * 1000).astype(np.int64)
    other_price = products.list_price_cents[other_product]
    opp = np.concatenate(
        [np.array([by_order[o] for o in lines.order[won_lines]], dtype=np.int64), other_opp]
    )
    quantity = np.concatenate([lines.records["quantity"][won_lines], other_quantity])
    price = np.concatenate([lines.records["unit_price"][won_lines], other_price])
    created = opps["CreatedDate"][opp] + np.timedelta64(3600, "s")
    return {
        "Id": salesforce_ids("00k", 5 * 10**9 + first_sequence * 10 + np.arange(len(opp))),
        "OpportunityId": opps["Id"][opp],
        "ProductCode": np.concatenate(
            [
                lines.records["product_number"][won_lines],
                products.erp["product_number"][other_product],
            ]
        ),
        "Quantity": quantity,
        "UnitPrice": price,
        "TotalPrice": round_half_up(quantity * price, 1000),
        "CreatedDate": created,
        "LastModifiedDate": np.maximum(created, opps["LastModifiedDate"][opp]),
    }


def _quotes(rng, opps: dict, first_sequence: int) -> dict:
    n = len(opps["Id"])
    status = np.where(
        opps["IsWon"],
        "Accepted",
        np.where(opps["IsClosed"], "Denied", rng.choice(["Draft", "Presented"], n)),
    )
    created = opps["CreatedDate"] + ((opps["LastModifiedDate"] - opps["CreatedDate"]) // 2)
    return {
        "Id": salesforce_ids("0Q0", 6 * 10**9 + first_sequence + np.arange(n)),
        "OpportunityId": opps["Id"],
        "QuoteNumber": np.char.add("Q-", zero_padded(first_sequence + np.arange(n) + 1, 8)),
        "Status": status,
        "GrandTotal": np.round(opps["Amount"] * rng.uniform(0.97, 1.03, n)).astype(np.int64),
        "CurrencyIsoCode": opps["CurrencyIsoCode"],
        "ExpirationDate": (created + np.timedelta64(30 * 86400, "s")).astype("datetime64[D]"),
        "CreatedDate": created,
        "LastModifiedDate": opps["LastModifiedDate"],
    }
