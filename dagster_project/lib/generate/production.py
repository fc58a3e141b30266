"""MES: work orders with their operations, material issues, scrap and inspections.

Make-to-order products get a work order per sales order line; make-to-stock products are
made in monthly batches. Actual cost differs from standard by material price and efficiency
variances. The actual cost of a work order is its material issues plus, per operation,
round(machine_hours * machine_rate, 2) + round(labour_hours * labour_rate, 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dagster_project.lib.generate.ids import prefixed
from dagster_project.lib.generate.master import (
    LABOUR_RATE_CENTS,
    MACHINE_RATE_CENTS,
    PLANTS,
    Products,
)
from dagster_project.lib.generate.orders import Orders, round_half_up

_UTC_OFFSET = np.timedelta64(8 * 3600, "s")
_SCRAP_REASONS = np.array(["SOLDER", "DIMENSION", "MATERIAL", "HANDLING", "SETUP"])
_DEFECTS = np.array(["D-SOLDER", "D-SCRATCH", "D-FUNCTION", "D-LABEL"])
_WORK_CENTERS = np.array(["SMT-LINE", "ASSEMBLY", "TEST-BENCH"])


@dataclass
class WorkOrders:
    """Work orders to make: one row each, before their detail is generated."""

    product: np.ndarray
    quantity: np.ndarray  # good quantity to make, thousandths of a unit
    start_day: np.ndarray
    sales_order_number: np.ndarray  # None for make-to-stock
    sales_order_line: np.ndarray  # 0 for make-to-stock
    cancelled: np.ndarray


@dataclass
class Production:
    orders: dict
    early: np.ndarray  # work orders an earlier export showed in progress
    operations: dict
    consumption: dict
    scrap: dict
    inspections: dict
    cost_cents: np.ndarray  # actual cost per work order (for the truth file)
    finished_day: np.ndarray


def make_to_order(rng, orders: Orders, products: Products) -> WorkOrders:
    lines = orders.lines
    rows = np.flatnonzero(products.is_make_to_order[lines.product])
    return WorkOrders(
        product=lines.product[rows],
        quantity=lines.records["quantity"][rows],
        start_day=lines.order_date[rows] + rng.integers(1, 4, len(rows)).astype("timedelta64[D]"),
        sales_order_number=lines.records["order_number"][rows],
        sales_order_line=lines.records["line_number"][rows],
        cancelled=lines.cancelled[rows],
    )


def make_to_stock(
    rng, products: Products, first_day: np.datetime64, export_day: np.datetime64, lines_total: int
) -> WorkOrders:
    """A monthly batch per stocked product, sized to its expected demand."""
    stocked = np.flatnonzero(~products.is_make_to_order)
    months = np.arange(first_day.astype("datetime64[M]"), export_day.astype("datetime64[M]") + 1)
    expected_units = lines_total * products.weights[stocked] * 33 / max(1, len(months))
    product = np.tile(stocked, len(months))
    month = np.repeat(months, len(stocked))
    units = np.maximum(
        10, np.round(np.tile(expected_units, len(months)) * rng.uniform(0.8, 1.2, len(product)))
    )
    start = month.astype("datetime64[D]") + rng.integers(0, 5, len(product)).astype(
        "timedelta64[D]"
    )
    keep = (start >= first_day) & (start < export_day)
    return WorkOrders(
        product[keep],
        (units[keep] * 1000).astype(np.int64),
        start[keep],
        np.full(int(keep.sum()), None, dtype=object),
        np.zeros(int(keep.sum()), dtype=np.int64),
        np.zeros(int(keep.sum()), dtype=bool),
    )


def produce(
    rng,
    work: WorkOrders,
    products: Products,
    export_day: np.datetime64,
    sequence: int,
    order_type: str,
) -> Production:
    count = len(work.product)
    plant = products.plant_index[work.product]
    scrap_quantity = np.where(
        work.cancelled, 0, (work.quantity * rng.uniform(0, 0.04, count)) // 1000 * 1000
    )
    made = np.where(
        work.cancelled, 0, work.quantity + scrap_quantity
    )  # units that went through the line
    started_at = (
        work.start_day.astype("datetime64[s]")
        - _UTC_OFFSET
        + rng.integers(0, 8 * 3600, count).astype("timedelta64[s]")
    )
    finished_at = started_at + rng.integers(86400, 5 * 86400, count).astype("timedelta64[s]")
    done = ~work.cancelled & (finished_at < np.datetime64(export_day, "s"))
    status = np.where(work.cancelled, "CANCELLED", np.where(done, "COMPLETED", "IN_PROGRESS"))
    ids = prefixed("WO-", sequence + np.arange(count) + 1, 10)
    updated = np.where(done, finished_at, started_at)
    records = {
        "production_order_id": ids,
        "product_number": products.erp["product_number"][work.product],
        "plant": PLANTS["plant"][plant],
        "order_type": np.full(count, order_type),
        "sales_order_number": work.sales_order_number,
        "sales_order_line": work.sales_order_line,
        "sales_order_line__null": work.sales_order_number == None,  # noqa: E711 (elementwise)
        "planned_quantity": work.quantity,
        "produced_quantity": np.where(done, work.quantity, 0),
        "scrap_quantity": np.where(done, scrap_quantity, 0),
        "planned_start_date": work.start_day,
        "actual_start_at": started_at,
        "actual_start_at__null": work.cancelled,
        "actual_finish_at": finished_at,
        "actual_finish_at__null": ~done,
        "status": status,
        "updated_at": updated,
    }
    # Costs are booked when a work order completes.
    complete = np.flatnonzero(done)
    operations, labour_machine_cents = _operations(
        rng, complete, ids, made, work.product, plant, products, finished_at, sequence
    )
    consumption, material_cents = _consumption(
        rng, complete, ids, made, work.product, products, started_at, sequence
    )
    cost = np.zeros(count, dtype=np.int64)
    cost[complete] = labour_machine_cents + material_cents
    scrapped = complete[scrap_quantity[complete] > 0]
    current_cost = products.erp["standard_cost"][work.product]
    scrap = {
        "scrap_id": prefixed("SC-", sequence + np.arange(len(scrapped)) + 1, 10),
        "production_order_id": ids[scrapped],
        "quantity": scrap_quantity[scrapped],
        "reason_code": rng.choice(_SCRAP_REASONS, len(scrapped)),
        "cost_amount": round_half_up(scrap_quantity[scrapped] * current_cost[scrapped], 1000),
        "currency": np.full(len(scrapped), "CNY"),
        "recorded_at": finished_at[scrapped] - np.timedelta64(3600, "s"),
    }
    sample = np.minimum(20, np.maximum(1, made[complete] // 1000)).astype(np.int64)
    defects = rng.binomial(sample, 0.02)
    inspections = {
        "inspection_id": prefixed("QI-", sequence + np.arange(len(complete)) + 1, 10),
        "production_order_id": ids[complete],
        "product_number": records["product_number"][complete],
        "sample_size": sample,
        "defect_count": defects,
        "result": np.where(defects >= 2, "FAIL", "PASS"),
        "defect_code": np.where(defects > 0, rng.choice(_DEFECTS, len(complete)), None).astype(
            object
        ),
        "inspected_at": finished_at[complete] + np.timedelta64(1800, "s"),
    }
    early = done & (work.start_day.astype("datetime64[D]") < finished_at.astype("datetime64[D]"))
    return Production(
        records,
        early,
        operations,
        consumption,
        scrap,
        inspections,
        cost,
        finished_at.astype("datetime64[D]"),
    )


def _operations(
    rng, complete, ids, made, product, plant, products: Products, finished_at, sequence
):
    steps = rng.integers(2, 4, len(complete))
    wo = np.repeat(complete, steps)
    seq = (np.arange(len(wo)) - np.repeat(np.cumsum(steps) - steps, steps) + 1) * 10
    share = 1 / np.repeat(steps, steps)
    efficiency = rng.normal(1.05, 0.08, len(wo)).clip(0.8, 1.5)
    units = made[wo] / 1000
    machine = np.round(
        units * products.machine_hours_milli[product[wo]] * share * efficiency
    ).astype(np.int64)
    labour = np.round(units * products.labour_hours_milli[product[wo]] * share * efficiency).astype(
        np.int64
    )
    machine_rate = MACHINE_RATE_CENTS[plant[wo]]
    labour_rate = LABOUR_RATE_CENTS[plant[wo]]
    cost = round_half_up(machine * machine_rate, 1000) + round_half_up(labour * labour_rate, 1000)
    records = {
        "production_order_id": ids[wo],
        "operation_seq": seq,
        "work_center": np.char.add(_WORK_CENTERS[(seq // 10 - 1) % 3], "-1"),
        "machine_hours": machine,
        "labour_hours": labour,
        "machine_rate": machine_rate,
        "labour_rate": labour_rate,
        "currency": np.full(len(wo), "CNY"),
        # the last step finishes with the work order, earlier ones an hour apart before it
        "finished_at": finished_at[wo]
        - ((np.repeat(steps, steps) - seq // 10) * 3600).astype("timedelta64[s]"),
    }
    per_order = np.bincount(
        np.searchsorted(complete, wo), weights=cost, minlength=len(complete)
    ).astype(np.int64)
    return records, per_order


def _consumption(rng, complete, ids, made, product, products: Products, started_at, sequence):
    bom = products.bom
    bom_product = np.searchsorted(products.erp["product_number"], bom["product_number"])
    order = np.argsort(bom_product, kind="stable")
    starts = np.searchsorted(bom_product[order], np.arange(len(products.erp["product_number"])))
    counts = np.bincount(bom_product, minlength=len(starts))
    per_wo = counts[product[complete]]
    wo = np.repeat(complete, per_wo)
    offset = np.arange(len(wo)) - np.repeat(np.cumsum(per_wo) - per_wo, per_wo)
    bom_row = order[starts[product[wo]] + offset]
    quantity = round_half_up(made[wo] * bom["quantity_per"][bom_row], 10_000)  # thousandths
    price_variance = rng.normal(1.02, 0.04, len(wo)).clip(0.85, 1.25)
    cost = np.round(
        quantity * bom["component_standard_price"][bom_row] * price_variance / 1000
    ).astype(np.int64)
    records = {
        "consumption_id": prefixed("MC-", sequence * 8 + np.arange(len(wo)) + 1, 10),
        "production_order_id": ids[wo],
        "component_number": bom["component_number"][bom_row],
        "quantity": quantity,
        "cost_amount": cost,
        "currency": np.full(len(wo), "CNY"),
        "posted_at": started_at[wo] + np.timedelta64(1800, "s"),
    }
    per_order = np.bincount(
        np.searchsorted(complete, wo), weights=cost, minlength=len(complete)
    ).astype(np.int64)
    return records, per_order
