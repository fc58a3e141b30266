"""Order to cash: deliveries and invoices (ERP), shipments, freight and tracking (TMS), payments."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dagster_project.lib.generate.ids import prefixed
from dagster_project.lib.generate.master import CARRIERS, PAYMENT_TERM_DAYS, Customers, Products
from dagster_project.lib.generate.orders import Orders, net_cents, round_half_up

_TAX_BP = 1300  # 13% VAT on domestic invoices, in basis points
_TRANSIT_DAYS = {"ROAD": (2, 5), "SEA": (25, 36), "AIR": (3, 6), "RAIL": (15, 21)}
# Freight tariff by mode: (currency, fixed cents, cents per kg)
_TARIFF = {
    "ROAD": ("CNY", 8_000, 250),
    "SEA": ("USD", 25_000, 15),
    "AIR": ("USD", 6_000, 480),
    "RAIL": ("USD", 40_000, 60),
}
_UTC_OFFSET = np.timedelta64(8 * 3600, "s")  # plants work on China time


@dataclass
class Fulfilment:
    delivered: np.ndarray  # per line
    ship_date: np.ndarray  # per line (goods issue day)
    deliveries: dict
    invoices: dict
    invoice_lines: dict
    payments: dict
    shipments: dict
    freight: dict
    tracking: dict


def fulfil(
    rng,
    orders: Orders,
    customers: Customers,
    products: Products,
    export_day: np.datetime64,
    sequence: int,
) -> Fulfilment:
    """`sequence` (the chunk's first order index) keeps document numbers unique across chunks:
    an order has at most 3 deliveries (one per plant), an invoice at most 2 payments."""
    lines = orders.lines
    records = lines.records
    order_count = len(orders.order_date)
    customer = orders.customer
    difficult = customers.is_difficult[customer]

    # Each order ships once all its lines are ready: a little before or after the promised day.
    latest_promise = np.full(order_count, np.datetime64("1970-01-01"), dtype="datetime64[D]")
    np.maximum.at(latest_promise, lines.order, records["promised_date"])
    late = rng.random(order_count) < np.where(difficult, 0.4, 0.18)
    delay = np.where(late, rng.integers(1, 11, order_count), rng.integers(-3, 1, order_count))
    order_ship = latest_promise + delay.astype("timedelta64[D]")
    ship_date = order_ship[lines.order]
    delivered = ~lines.cancelled & (ship_date < export_day)
    partial = delivered & (rng.random(len(delivered)) < 0.03)
    delivered_quantity = np.where(
        partial,
        (records["quantity"] * rng.uniform(0.85, 0.99, len(delivered))).astype(np.int64)
        // 1000
        * 1000,
        records["quantity"],
    )
    delivered_quantity = np.where(
        delivered & (delivered_quantity == 0), records["quantity"], delivered_quantity
    )

    # One delivery per order and plant, numbered 10, 20 ... within it.
    rows = np.flatnonzero(delivered)
    plant = records["plant"][rows]
    group_key = lines.order[rows].astype(np.int64) * 8 + np.searchsorted(
        ["SH01", "SU01", "SZ01"], plant
    )
    groups, delivery_of_row = np.unique(group_key, return_inverse=True)
    delivery_number = prefixed("", 8_000_000_001 + sequence * 3 + np.arange(len(groups)), 10)
    item = _numbering(delivery_of_row) * 10
    deliveries = {
        "delivery_number": delivery_number[delivery_of_row],
        "delivery_item": item,
        "order_number": records["order_number"][rows],
        "order_line_number": records["line_number"][rows],
        "product_number": records["product_number"][rows],
        "plant": plant,
        "delivered_quantity": delivered_quantity[rows],
        "goods_issue_date": ship_date[rows],
        "changed_on": ship_date[rows],
    }

    # Invoice per delivery, 0-2 days after goods issue; the lines bill what was delivered.
    delivery_order = groups // 8
    delivery_customer = customer[delivery_order]
    invoice_date = ship_date[rows][np.unique(delivery_of_row, return_index=True)[1]] + rng.integers(
        0, 3, len(groups)
    ).astype("timedelta64[D]")
    line_net = net_cents(
        delivered_quantity[rows], records["unit_price"][rows], records["discount_pct"][rows]
    )
    invoice_net = np.bincount(delivery_of_row, weights=line_net, minlength=len(groups)).astype(
        np.int64
    )
    domestic = customers.erp["country"][delivery_customer] == "CN"
    tax = np.where(domestic, round_half_up(invoice_net * _TAX_BP, 10_000), 0)
    terms = customers.erp["payment_terms"][delivery_customer]
    term_days = np.vectorize(PAYMENT_TERM_DAYS.get, otypes=[int])(terms)
    invoice_number = prefixed("", 9_000_000_001 + sequence * 3 + np.arange(len(groups)), 10)
    currency = orders.records["currency"][delivery_order]
    invoices = {
        "invoice_number": invoice_number,
        "customer_number": customers.erp["customer_number"][delivery_customer],
        "invoice_date": invoice_date,
        "due_date": invoice_date + term_days.astype("timedelta64[D]"),
        "net_amount": invoice_net,
        "tax_amount": tax,
        "gross_amount": invoice_net + tax,
        "currency": currency,
        "invoice_status": np.full(len(groups), "POSTED"),
        "changed_on": invoice_date,
    }
    invoice_lines = {
        "invoice_number": invoice_number[delivery_of_row],
        "invoice_line": item,
        "order_number": records["order_number"][rows],
        "order_line_number": records["line_number"][rows],
        "delivery_number": delivery_number[delivery_of_row],
        "product_number": records["product_number"][rows],
        "quantity": delivered_quantity[rows],
        "net_amount": line_net,
        "currency": records["currency"][rows],
    }
    payments = _payments(
        rng,
        invoices,
        terms,
        customers.late_payment_days[delivery_customer],
        orders.order_date[delivery_order],
        sequence,
    )
    shipments, freight, tracking = _transport(
        rng,
        delivery_number,
        delivery_customer,
        groups,
        deliveries,
        delivered_quantity[rows],
        products.weight_grams[lines.product[rows]],
        delivery_of_row,
        customers,
        difficult[delivery_order],
        sequence,
    )
    return Fulfilment(
        delivered,
        ship_date,
        deliveries,
        invoices,
        invoice_lines,
        payments,
        shipments,
        freight,
        tracking,
    )


def _numbering(group_of_row: np.ndarray) -> np.ndarray:
    """1, 2, 3 ... within each group, in row order."""
    order = np.argsort(group_of_row, kind="stable")
    sorted_groups = group_of_row[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_groups)) + 1]
    counter = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    numbering = np.empty(len(order), dtype=np.int64)
    numbering[order] = counter + 1
    return numbering


def _payments(rng, invoices, terms, late_days, order_date, sequence) -> dict:
    """Most invoices are paid, some late, a few in two instalments, a few never."""
    count = len(invoices["invoice_number"])
    paid = rng.random(count) > 0.03
    on = np.where(
        terms == "PREPAY",
        order_date,
        invoices["due_date"] + (late_days + rng.integers(-3, 6, count)).astype("timedelta64[D]"),
    )
    on = np.maximum(on, order_date)
    split = paid & (rng.random(count) < 0.05)
    first_share = np.where(split, invoices["gross_amount"] // 2, invoices["gross_amount"])
    rows = np.flatnonzero(paid)
    second = np.flatnonzero(split)
    invoice_row = np.concatenate([rows, second])
    amount = np.concatenate(
        [first_share[rows], invoices["gross_amount"][second] - first_share[second]]
    )
    when = np.concatenate([on[rows], on[second] + np.timedelta64(15, "D")])
    return {
        "payment_number": prefixed(
            "", 1_400_000_001 + sequence * 6 + np.arange(len(invoice_row)), 10
        ),
        "customer_number": invoices["customer_number"][invoice_row],
        "invoice_number": invoices["invoice_number"][invoice_row],
        "payment_date": when,
        "amount": amount,
        "currency": invoices["currency"][invoice_row],
        "changed_on": when,
    }


def _transport(
    rng,
    delivery_number,
    delivery_customer,
    groups,
    deliveries,
    quantity,
    unit_grams,
    delivery_of_row,
    customers: Customers,
    difficult,
    sequence,
):
    """Deliveries of one customer leaving one plant on one day travel together."""
    delivery_count = len(groups)
    weight_grams = np.bincount(
        delivery_of_row, weights=quantity * unit_grams / 1000 * 1.08, minlength=delivery_count
    )
    first_row = np.unique(delivery_of_row, return_index=True)[1]
    plant = deliveries["plant"][first_row]
    ship_day = deliveries["goods_issue_date"][first_row]
    key = np.char.add(
        np.char.add(delivery_customer.astype(str), plant.astype(str)), ship_day.astype(str)
    )
    _, shipment_of_delivery = np.unique(key, return_inverse=True)
    shipment_count = shipment_of_delivery.max() + 1 if delivery_count else 0
    first_delivery = np.unique(shipment_of_delivery, return_index=True)[1]
    customer = delivery_customer[first_delivery]
    domestic = customers.erp["country"][customer] == "CN"
    hard = np.zeros(shipment_count, dtype=bool)
    np.logical_or.at(hard, shipment_of_delivery, difficult)
    modes = np.array(CARRIERS["mode"])
    carrier = np.where(
        domestic,
        rng.integers(0, 3, shipment_count),
        np.where(
            hard | (rng.random(shipment_count) < 0.25),
            4,
            np.where(rng.random(shipment_count) < 0.8, 3, 5),
        ),
    )
    mode = modes[carrier]
    shipped_at = (
        ship_day[first_delivery].astype("datetime64[s]")
        - _UTC_OFFSET
        + rng.integers(8 * 3600, 18 * 3600, shipment_count).astype("timedelta64[s]")
    )
    transit = np.array([rng.integers(*_TRANSIT_DAYS[m]) for m in mode], dtype=np.int64)
    planned = shipped_at + (transit * 86400).astype("timedelta64[s]")
    late = rng.random(shipment_count) < 0.2
    delivered_at = planned + np.where(
        late,
        rng.integers(3600, 3 * 86400, shipment_count),
        -rng.integers(0, 6 * 3600, shipment_count),
    ).astype("timedelta64[s]")
    shipment_id = prefixed("SHP-", sequence * 3 + np.arange(shipment_count) + 1, 10)
    grams = (
        np.bincount(shipment_of_delivery, weights=weight_grams, minlength=shipment_count)
        .round()
        .astype(np.int64)
    )
    members = [[] for _ in range(shipment_count)]
    for delivery, shipment in enumerate(shipment_of_delivery.tolist()):
        members[shipment].append(str(delivery_number[delivery]))
    shipments = {
        "shipment_id": shipment_id,
        "carrier_id": CARRIERS["carrier_id"][carrier],
        "delivery_numbers": np.array(members + [None], dtype=object)[:-1],
        "origin_plant": plant[first_delivery],
        "destination_city": customers.erp["city"][customer],
        "destination_country": customers.erp["country"][customer],
        "gross_weight_kg": grams,  # DECIMAL(12,3): grams
        "planned_delivery_at": planned,
        "shipped_at": shipped_at,
        "updated_at": shipped_at,
    }
    freight = _freight(rng, shipment_id, mode, grams, delivered_at, sequence)
    tracking = _tracking(
        rng, shipment_id, shipped_at, delivered_at, customers.erp["city"][customer], sequence
    )
    return shipments, freight, tracking


def _freight(rng, shipment_id, mode, grams, delivered_at, sequence) -> dict:
    count = len(shipment_id)
    currency = np.array([_TARIFF[m][0] for m in mode])
    base = np.array([_TARIFF[m][1] for m in mode]) + round_half_up(
        np.array([_TARIFF[m][2] for m in mode]) * grams, 1000
    )
    fuel = round_half_up(base * rng.integers(1000, 1401, count), 10_000)
    accessorial = rng.random(count) < 0.15
    extra = np.flatnonzero(accessorial)
    shipment = np.concatenate([np.arange(count), np.arange(count), extra])
    amount = np.concatenate([base, fuel, rng.integers(5_000, 40_000, len(extra))])
    billed = delivered_at + rng.integers(2 * 86400, 5 * 86400, count).astype("timedelta64[s]")
    order = np.argsort(shipment, kind="stable")
    shipment, amount = shipment[order], amount[order]
    kind = np.concatenate(
        [
            np.full(count, "BASE"),
            np.full(count, "FUEL_SURCHARGE"),
            np.full(len(extra), "ACCESSORIAL"),
        ]
    )[order]
    return {
        "charge_id": prefixed("FC-", sequence * 9 + np.arange(len(shipment)) + 1, 10),
        "shipment_id": shipment_id[shipment],
        "charge_type": kind,
        "amount": amount,
        "currency": currency[shipment],
        "billed_at": billed[shipment],
    }


def _tracking(rng, shipment_id, shipped_at, delivered_at, city, sequence) -> dict:
    count = len(shipment_id)
    exception = rng.random(count) < 0.03
    midway = shipped_at + (delivered_at - shipped_at) // 2
    extra = np.flatnonzero(exception)
    shipment = np.concatenate([np.arange(count)] * 3 + [extra])
    kind = np.concatenate(
        [
            np.full(count, "PICKED_UP"),
            np.full(count, "IN_TRANSIT"),
            np.full(count, "DELIVERED"),
            np.full(len(extra), "EXCEPTION"),
        ]
    )
    when = np.concatenate(
        [shipped_at, midway, delivered_at, midway[extra] + np.timedelta64(3600, "s")]
    )
    location = np.concatenate(
        [
            np.full(count, "Origin plant"),
            np.full(count, "Hub"),
            city.astype(str),
            np.full(len(extra), "Hub"),
        ]
    ).astype(object)
    order = np.lexsort((when, shipment))
    return {
        "event_id": prefixed("EV-", sequence * 12 + np.arange(len(shipment)) + 1, 10),
        "shipment_id": shipment_id[shipment[order]],
        "event_type": kind[order],
        "event_at": when[order],
        "location": location[order],
    }
