"""TMS exports: JSON Lines, one event object per line, as carriers' APIs send them.

Field names in snake_case, timestamps ISO 8601 in UTC ('Z'), amounts as JSON numbers,
the deliveries a shipment carries as a JSON array of ERP delivery numbers.
"""

from dagster_project.contracts.model import CURRENCY_CODES, Column, Entity, System

CARRIERS = Entity(
    name="carriers",
    description="Carriers the company ships with; full every night.",
    load="snapshot",
    primary_key=("carrier_id",),
    columns=(
        Column("carrier_id", "VARCHAR", "Carrier code", "SF-EXPRESS", nullable=False),
        Column("carrier_name", "VARCHAR", "Carrier name", "SF Express", nullable=False),
        Column(
            "mode",
            "VARCHAR",
            "ROAD, SEA, AIR or RAIL",
            "ROAD",
            nullable=False,
            allowed_values=("ROAD", "SEA", "AIR", "RAIL"),
        ),
        Column(
            "country", "VARCHAR", "Carrier's home country (ISO 3166 alpha-2)", "CN", nullable=False
        ),
    ),
)

SHIPMENTS = Entity(
    name="shipments",
    description=(
        "Shipments from a plant to a customer, carrying one or more ERP deliveries; deltas."
    ),
    load="delta",
    primary_key=("shipment_id",),
    columns=(
        Column("shipment_id", "VARCHAR", "TMS shipment id", "SHP-2025-00012345", nullable=False),
        Column("carrier_id", "VARCHAR", "Carrier code", "SF-EXPRESS", nullable=False),
        Column(
            "delivery_numbers",
            "VARCHAR[]",
            "ERP delivery numbers carried (JSON array)",
            '["0080012345"]',
            nullable=False,
        ),
        Column("origin_plant", "VARCHAR", "Plant the shipment leaves from", "SZ01", nullable=False),
        Column("destination_city", "VARCHAR", "Destination city", "Shanghai", nullable=False),
        Column(
            "destination_country",
            "VARCHAR",
            "Destination country (ISO 3166 alpha-2)",
            "CN",
            nullable=False,
        ),
        Column(
            "gross_weight_kg",
            "DECIMAL(12,3)",
            "Gross weight shipped",
            "112.500",
            nullable=False,
            non_negative=True,
        ),
        Column(
            "planned_delivery_at",
            "TIMESTAMPTZ",
            "Delivery promised by the carrier (UTC)",
            "2025-04-27T10:00:00Z",
            nullable=False,
        ),
        Column(
            "shipped_at",
            "TIMESTAMPTZ",
            "Pick-up time (UTC)",
            "2025-04-24T08:00:00Z",
            nullable=False,
        ),
        Column(
            "updated_at",
            "TIMESTAMPTZ",
            "When the record last changed (UTC)",
            "2025-04-27T09:12:00Z",
            nullable=False,
        ),
    ),
)

FREIGHT_CHARGES = Entity(
    name="freight_charges",
    description="What a carrier billed for a shipment, one row per charge component; deltas.",
    load="delta",
    primary_key=("charge_id",),
    columns=(
        Column("charge_id", "VARCHAR", "Charge id", "FC-000012345", nullable=False),
        Column("shipment_id", "VARCHAR", "Shipment charged", "SHP-2025-00012345", nullable=False),
        Column(
            "charge_type",
            "VARCHAR",
            "BASE, FUEL_SURCHARGE or ACCESSORIAL",
            "BASE",
            nullable=False,
            allowed_values=("BASE", "FUEL_SURCHARGE", "ACCESSORIAL"),
        ),
        Column(
            "amount",
            "DECIMAL(18,2)",
            "Charge amount in currency",
            "860.00",
            nullable=False,
            non_negative=True,
        ),
        Column(
            "currency",
            "VARCHAR",
            "Currency of the charge (ISO 4217)",
            "CNY",
            nullable=False,
            allowed_values=CURRENCY_CODES,
        ),
        Column(
            "billed_at",
            "TIMESTAMPTZ",
            "When the carrier billed it (UTC)",
            "2025-04-30T00:00:00Z",
            nullable=False,
        ),
    ),
)

TRACKING_EVENTS = Entity(
    name="tracking_events",
    description="Status events of a shipment as the carrier reports them; deltas.",
    load="delta",
    primary_key=("event_id",),
    columns=(
        Column("event_id", "VARCHAR", "Event id", "EV-0000123456", nullable=False),
        Column("shipment_id", "VARCHAR", "Shipment", "SHP-2025-00012345", nullable=False),
        Column(
            "event_type",
            "VARCHAR",
            "PICKED_UP, IN_TRANSIT, DELIVERED or EXCEPTION",
            "DELIVERED",
            nullable=False,
            allowed_values=("PICKED_UP", "IN_TRANSIT", "DELIVERED", "EXCEPTION"),
        ),
        Column(
            "event_at",
            "TIMESTAMPTZ",
            "When it happened (UTC)",
            "2025-04-27T09:12:00Z",
            nullable=False,
        ),
        Column("location", "VARCHAR", "Where, as the carrier names it", "Shanghai hub"),
    ),
)

TMS = System(
    name="tms",
    description="Transport management: carriers, shipments, freight charges, tracking.",
    format="jsonl",
    timestamp_format="%Y-%m-%dT%H:%M:%SZ",
    entities=(CARRIERS, SHIPMENTS, FREIGHT_CHARGES, TRACKING_EVENTS),
)
