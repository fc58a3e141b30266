"""CRM cases: complaints about delivered products and service requests, with their handling time."""

from __future__ import annotations

import numpy as np

from dagster_project.lib.generate.ids import prefixed, salesforce_ids
from dagster_project.lib.generate.master import Customers
from dagster_project.lib.generate.orders import Orders

_COMPLAINT_REASONS = np.array(
    [
        "Defective part",
        "Late delivery",
        "Wrong quantity",
        "Damaged in transit",
        "Documentation error",
    ]
)
_SERVICE_REASONS = np.array(["Installation support", "Spare parts", "Training", "Firmware update"])
_UTC_OFFSET = np.timedelta64(8 * 3600, "s")


def cases(
    rng,
    orders: Orders,
    customers: Customers,
    delivered: np.ndarray,
    ship_date: np.ndarray,
    export_day: np.datetime64,
    sequence: int,
) -> tuple[dict, np.ndarray, np.ndarray]:
    """Returns (cases in their final state, opened day, early: shown open in an earlier export)."""
    lines = orders.lines
    customer = orders.customer[lines.order]
    has_account = customers.account_id[customer] != None  # noqa: E711 (elementwise)
    difficult = customers.is_difficult[customer]
    complaint = (
        delivered & has_account & (rng.random(len(delivered)) < np.where(difficult, 0.08, 0.012))
    )
    service = delivered & has_account & ~complaint & (rng.random(len(delivered)) < 0.008)
    rows = np.flatnonzero(complaint | service)
    count = len(rows)
    is_complaint = complaint[rows]
    opened = (
        ship_date[rows].astype("datetime64[s]")
        - _UTC_OFFSET
        + rng.integers(2 * 86400, 30 * 86400, count).astype("timedelta64[s]")
    )
    hours_open = np.round(rng.lognormal(np.log(36), 1.0, count) * 3600).astype(np.int64)
    closed = opened + hours_open.astype("timedelta64[s]")
    is_closed = closed < np.datetime64(export_day, "s")
    priority = np.where(
        is_complaint,
        rng.choice(["Medium", "High", "Critical"], count, p=[0.5, 0.35, 0.15]),
        rng.choice(["Low", "Medium"], count),
    )
    status = np.where(is_closed, "Closed", rng.choice(["New", "Working", "Escalated"], count))
    records = {
        "Id": salesforce_ids("500", sequence + np.arange(count) + 5 * 10**8),
        "CaseNumber": prefixed("", sequence + np.arange(count) + 1, 8),
        "AccountId": customers.account_id[customer[rows]],
        "ProductCode": np.where(
            rng.random(count) < 0.9, lines.records["product_number"][rows], None
        ).astype(object),
        "ERP_Order_Number__c": np.where(
            rng.random(count) < 0.6, lines.records["order_number"][rows], None
        ).astype(object),
        "Type": np.where(is_complaint, "Complaint", "Service Request"),
        "Reason": np.where(
            is_complaint, rng.choice(_COMPLAINT_REASONS, count), rng.choice(_SERVICE_REASONS, count)
        ),
        "Priority": priority,
        "Status": status,
        "ClosedDate": closed,
        "ClosedDate__null": ~is_closed,
        "CreatedDate": opened,
        "LastModifiedDate": np.where(is_closed, closed, opened),
    }
    early = is_closed & (opened.astype("datetime64[D]") < closed.astype("datetime64[D]"))
    return records, opened.astype("datetime64[D]"), early
