"""MES exports, as a shop-floor system writes them: Parquet files with typed columns.

Timestamps are UTC instants; production orders reference ERP sales order lines when made to
order and nothing when made to stock.
"""

from dagster_project.contracts.model import CURRENCY_CODES, Column, Entity, System

_CURRENCY = Column(
    "currency",
    "VARCHAR",
    "Currency of the cost (ISO 4217)",
    "CNY",
    nullable=False,
    allowed_values=CURRENCY_CODES,
)
_UPDATED_AT = Column(
    "updated_at",
    "TIMESTAMPTZ",
    "When the record last changed (UTC)",
    "2025-04-18T06:12:00Z",
    nullable=False,
)


def _quantity(name: str, meaning: str, example: str = "40.000") -> Column:
    return Column(name, "DECIMAL(18,3)", meaning, example, nullable=False, non_negative=True)


def _cost(name: str, meaning: str, example: str) -> Column:
    return Column(name, "DECIMAL(18,2)", meaning, example, nullable=False, non_negative=True)


PRODUCTION_ORDERS = Entity(
    name="production_orders",
    description=(
        "Work orders: make-to-order ones name the ERP sales order line they are made for, "
        "make-to-stock ones name none; deltas."
    ),
    load="delta",
    primary_key=("production_order_id",),
    columns=(
        Column(
            "production_order_id", "VARCHAR", "Work order id", "WO-2025-0012345", nullable=False
        ),
        Column(
            "product_number", "VARCHAR", "ERP material number produced", "FG-100234", nullable=False
        ),
        Column("plant", "VARCHAR", "Producing plant", "SZ01", nullable=False),
        Column(
            "order_type",
            "VARCHAR",
            "MTO (make to order) or MTS (make to stock)",
            "MTO",
            nullable=False,
            allowed_values=("MTO", "MTS"),
        ),
        Column("sales_order_number", "VARCHAR", "ERP sales order (MTO only)", "0010004711"),
        Column("sales_order_line", "INTEGER", "ERP sales order line (MTO only)", "10"),
        _quantity("planned_quantity", "Quantity to produce, base unit"),
        _quantity("produced_quantity", "Good quantity produced, base unit"),
        _quantity("scrap_quantity", "Quantity scrapped, base unit", "1.000"),
        Column("planned_start_date", "DATE", "Planned start day", "2025-04-10", nullable=False),
        Column("actual_start_at", "TIMESTAMPTZ", "Actual start (UTC)", "2025-04-10T00:30:00Z"),
        Column(
            "actual_finish_at",
            "TIMESTAMPTZ",
            "Actual finish (UTC), empty while running",
            "2025-04-12T09:45:00Z",
        ),
        Column(
            "status",
            "VARCHAR",
            "RELEASED, IN_PROGRESS, COMPLETED or CANCELLED",
            "COMPLETED",
            nullable=False,
            allowed_values=("RELEASED", "IN_PROGRESS", "COMPLETED", "CANCELLED"),
        ),
        _UPDATED_AT,
    ),
)

OPERATIONS = Entity(
    name="operations",
    description=(
        "Routing steps of a work order with the machine and labour time booked and their rates; "
        "deltas."
    ),
    load="delta",
    primary_key=("production_order_id", "operation_seq"),
    columns=(
        Column(
            "production_order_id", "VARCHAR", "Work order id", "WO-2025-0012345", nullable=False
        ),
        Column(
            "operation_seq",
            "INTEGER",
            "Step number: 10, 20 ...",
            "10",
            nullable=False,
            non_negative=True,
        ),
        Column("work_center", "VARCHAR", "Work centre", "SMT-LINE-2", nullable=False),
        Column(
            "machine_hours",
            "DECIMAL(12,3)",
            "Machine hours booked",
            "6.500",
            nullable=False,
            non_negative=True,
        ),
        Column(
            "labour_hours",
            "DECIMAL(12,3)",
            "Labour hours booked",
            "9.250",
            nullable=False,
            non_negative=True,
        ),
        _cost("machine_rate", "Cost per machine hour", "180.00"),
        _cost("labour_rate", "Cost per labour hour", "65.00"),
        _CURRENCY,
        Column(
            "finished_at", "TIMESTAMPTZ", "When the step finished (UTC)", "2025-04-11T14:00:00Z"
        ),
    ),
)

MATERIAL_CONSUMPTION = Entity(
    name="material_consumption",
    description="Components issued to a work order at their actual cost; deltas.",
    load="delta",
    primary_key=("consumption_id",),
    columns=(
        Column(
            "consumption_id", "VARCHAR", "Goods-issue posting id", "MC-000123456", nullable=False
        ),
        Column(
            "production_order_id", "VARCHAR", "Work order id", "WO-2025-0012345", nullable=False
        ),
        Column(
            "component_number",
            "VARCHAR",
            "ERP component material number",
            "RM-200017",
            nullable=False,
        ),
        _quantity("quantity", "Quantity issued, component unit", "82.000"),
        _cost("cost_amount", "Actual cost of the quantity issued", "2886.40"),
        _CURRENCY,
        Column(
            "posted_at",
            "TIMESTAMPTZ",
            "When the issue was posted (UTC)",
            "2025-04-10T01:00:00Z",
            nullable=False,
        ),
    ),
)

SCRAP = Entity(
    name="scrap",
    description="Scrap recorded on a work order with its reason and cost; deltas.",
    load="delta",
    primary_key=("scrap_id",),
    columns=(
        Column("scrap_id", "VARCHAR", "Scrap record id", "SC-000012345", nullable=False),
        Column(
            "production_order_id", "VARCHAR", "Work order id", "WO-2025-0012345", nullable=False
        ),
        _quantity("quantity", "Quantity scrapped, base unit", "1.000"),
        Column(
            "reason_code",
            "VARCHAR",
            "Scrap reason",
            "SOLDER",
            nullable=False,
            allowed_values=("SOLDER", "DIMENSION", "MATERIAL", "HANDLING", "SETUP"),
        ),
        _cost("cost_amount", "Cost of the scrapped quantity", "812.40"),
        _CURRENCY,
        Column(
            "recorded_at",
            "TIMESTAMPTZ",
            "When the scrap was recorded (UTC)",
            "2025-04-11T08:00:00Z",
            nullable=False,
        ),
    ),
)

QUALITY_INSPECTIONS = Entity(
    name="quality_inspections",
    description="Quality inspections of work-order output; deltas.",
    load="delta",
    primary_key=("inspection_id",),
    columns=(
        Column("inspection_id", "VARCHAR", "Inspection lot id", "QI-000012345", nullable=False),
        Column(
            "production_order_id",
            "VARCHAR",
            "Work order inspected",
            "WO-2025-0012345",
            nullable=False,
        ),
        Column(
            "product_number",
            "VARCHAR",
            "ERP material number inspected",
            "FG-100234",
            nullable=False,
        ),
        Column(
            "sample_size", "INTEGER", "Units inspected", "20", nullable=False, non_negative=True
        ),
        Column(
            "defect_count",
            "INTEGER",
            "Defective units found",
            "1",
            nullable=False,
            non_negative=True,
        ),
        Column(
            "result",
            "VARCHAR",
            "PASS or FAIL",
            "PASS",
            nullable=False,
            allowed_values=("PASS", "FAIL"),
        ),
        Column("defect_code", "VARCHAR", "Main defect found, empty when none", "D-SOLDER"),
        Column(
            "inspected_at",
            "TIMESTAMPTZ",
            "When the inspection was done (UTC)",
            "2025-04-12T10:00:00Z",
            nullable=False,
        ),
    ),
)

MES = System(
    name="mes",
    description=(
        "Manufacturing execution: work orders, machine and labour time, material, scrap, quality."
    ),
    format="parquet",
    entities=(PRODUCTION_ORDERS, OPERATIONS, MATERIAL_CONSUMPTION, SCRAP, QUALITY_INSPECTIONS),
)
