"""Demo exports of a mid-size manufacturer's CRM, ERP, MES and TMS, written by the contracts.

Deterministic: the same arguments give the same bytes. Scale 1 is about a million ERP order
lines over three years; orders are generated and written in chunks, so memory stays bounded
at any scale. History arrives as one initial extract followed by `daily_exports` nightly
folders, with the mess real integrations meet (see `Mess`). Besides the exports, the
generator writes what it knows to a truth folder outside the landing folder (identities,
malformed-row counts, company totals) for tests and benchmarks; the pipeline never reads it.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from dagster_project.contracts import CRM, ERP, MES, TMS
from dagster_project.lib.generate import fulfilment, master, orders, production, service
from dagster_project.lib.generate.exporter import Exporter, FileSink
from dagster_project.lib.generate.orders import round_half_up

DEFAULT_START = date(2023, 10, 1)
DEFAULT_DAYS = 1095
DEFAULT_DAILY_EXPORTS = 7
ORDERS_PER_CHUNK = 100_000
_LINES_AT_SCALE_1 = 1_000_000
_MEAN_LINES_PER_ORDER = 1 / 0.45
_LOCAL = np.timedelta64(8 * 3600, "s")  # exports are cut at midnight China time


@dataclass(frozen=True)
class Mess:
    """How messy the exports are; every rate is a share of records. Mess.clean() turns all off."""

    malformed_row_rate: float = 0.002  # broken extra copies of rows, one broken rule each
    crm_duplicate_rate: float = 0.03  # customers sales keeps two CRM accounts for
    correction_rate: float = 0.01  # order lines changed or cancelled in a later export
    late_rate: float = 0.005  # records that reach an export a few nights late

    @classmethod
    def clean(cls) -> Mess:
        return cls(0.0, 0.0, 0.0, 0.0)


@dataclass
class GenerationResult:
    landing_dir: Path
    truth_dir: Path
    batches: list[str]
    rows_by_file: dict[str, int] = field(default_factory=dict)

    @property
    def truth(self) -> dict:
        return json.loads((self.truth_dir / "summary.json").read_text())


def generate(
    out_dir: Path,
    scale: float = 0.02,
    seed: int = 42,
    start: date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    daily_exports: int = DEFAULT_DAILY_EXPORTS,
    mess: Mess = Mess(),
    truth_dir: Path | None = None,
    progress: Callable[[str], None] = lambda message: None,
    workers: int = 2,
) -> GenerationResult:
    if scale <= 0 or days < 2 or daily_exports < 0:
        raise ValueError(
            f"need scale > 0, days >= 2, daily_exports >= 0 (got {scale}, {days}, {daily_exports})"
        )
    out_dir = Path(out_dir).resolve()
    truth_dir = Path(truth_dir or out_dir.parent / f"{out_dir.name}_truth").resolve()
    rng = np.random.default_rng(seed)
    first_day = np.datetime64(start, "D")
    export_day = first_day + np.timedelta64(days, "D")
    nights = min(daily_exports, days - 1)
    batch_days = export_day - np.arange(nights, -1, -1).astype("timedelta64[D]")

    sales = master.reps(rng, max(8, round(250 * scale)), first_day)
    customers = master.customers(
        rng,
        max(40, round(50_000 * scale)),
        first_day,
        export_day,
        sales,
        len(batch_days),
        mess.crm_duplicate_rate,
    )
    products = master.products(rng, max(20, round(5_000 * scale)), first_day, export_day)
    fx = master.fx_rates_to_cny(rng, first_day, days + 1)
    order_count = max(60, round(_LINES_AT_SCALE_1 * scale / _MEAN_LINES_PER_ORDER))
    order_days = np.sort(rng.choice(days, order_count, p=orders.order_day_weights(first_day, days)))
    world = _World(
        seed, first_day, export_day, batch_days, mess, customers, products, fx, order_days
    )

    sink = FileSink(out_dir)
    exporter = Exporter(batch_days, seed, 0, mess.malformed_row_rate)
    _write_master_data(exporter, sales, customers, products, fx, first_day)
    sink.write(exporter.take())
    progress(
        f"master data: {len(customers.erp['customer_number']):,} customers, "
        f"{len(products.erp['product_number']):,} products, {len(batch_days)} export folders"
    )

    truth = _Truth()
    for done, (pieces, partial) in enumerate(_render_chunks(world, workers), start=1):
        sink.write(pieces)
        truth.merge(partial)
        progress(f"orders: {min(done * ORDERS_PER_CHUNK, order_count):,} of {order_count:,}")

    exporter = Exporter(
        batch_days, seed, 10**12, mess.malformed_row_rate
    )  # after every chunk stream
    expected_lines = round(order_count * _MEAN_LINES_PER_ORDER)
    stock = production.produce(
        rng,
        production.make_to_stock(rng, products, first_day, export_day, expected_lines),
        products,
        export_day,
        900_000_000,
        "MTS",
    )
    _write_production(exporter, stock)
    sink.write(exporter.take())
    truth.add_production(stock, export_day)
    sink.close()

    result = GenerationResult(
        out_dir,
        truth_dir,
        [str(day) for day in batch_days],
        dict(sorted(sink.counter.rows_by_file.items())),
    )
    truth.write(truth_dir, result, sink, customers, seed, scale, mess)
    return result


@dataclass
class _World:
    """Everything a chunk of orders is generated from (shared with worker processes)."""

    seed: int
    first_day: np.datetime64
    export_day: np.datetime64
    batch_days: np.ndarray
    mess: Mess
    customers: master.Customers
    products: master.Products
    fx: dict
    order_days: np.ndarray


_WORLD: _World | None = None  # set in the parent before workers fork, so they inherit it


def _render_chunks(world: _World, workers: int):
    """(pieces, truth) per chunk of orders, in chunk order, rendered by `workers` processes."""
    global _WORLD
    starts = list(range(0, len(world.order_days), ORDERS_PER_CHUNK))
    _WORLD = world
    try:
        if workers <= 1 or len(starts) == 1:
            yield from map(_render_chunk, starts)
            return
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            pending = deque()
            for chunk_start in starts:
                pending.append(pool.submit(_render_chunk, chunk_start))
                if len(pending) > workers:  # bounded: at most workers + 1 chunks in memory
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        _WORLD = None


def _render_chunk(chunk_start: int) -> tuple[list, _Truth]:
    """One chunk of orders and all that follows from them, rendered; ids come from ranges
    reserved per chunk (an order has at most 10 lines), so chunks are independent."""
    world = _WORLD
    rng = np.random.default_rng([world.seed, 2, chunk_start])
    exporter = Exporter(
        world.batch_days, world.seed, chunk_start + 1, world.mess.malformed_row_rate
    )
    customers, products = world.customers, world.products
    chunk = orders.order_chunk(
        rng,
        10_000_001 + chunk_start,
        world.order_days[chunk_start : chunk_start + ORDERS_PER_CHUNK],
        world.first_day,
        world.export_day,
        world.batch_days[min(1, len(world.batch_days) - 1)],
        customers,
        products,
        world.fx,
        world.mess.correction_rate,
        world.mess.late_rate,
    )
    shipped = fulfilment.fulfil(rng, chunk, customers, products, world.export_day, chunk_start)
    orders.settle_statuses(chunk, shipped.delivered, shipped.ship_date)
    pipeline = orders.opportunities(
        rng, chunk, customers, products, world.export_day, chunk_start * 2
    )
    line_sequence = chunk_start * 10
    made = production.produce(
        rng,
        production.make_to_order(rng, chunk, products),
        products,
        world.export_day,
        line_sequence,
        "MTO",
    )
    case_records, case_opened, case_early = service.cases(
        rng, chunk, customers, shipped.delivered, shipped.ship_date, world.export_day, line_sequence
    )
    _write_orders(exporter, chunk, pipeline)
    _write_fulfilment(exporter, shipped)
    _write_production(exporter, made)
    _export_with_history(
        exporter,
        CRM,
        CRM.entity("cases"),
        case_records,
        _local_day(case_records["LastModifiedDate"]),
        case_early,
        case_opened,
        {
            "Status": "New",
            "ClosedDate__null": True,
            "LastModifiedDate": case_records["CreatedDate"],
        },
    )
    truth = _Truth()
    truth.add_orders(chunk, products, world.fx, world.first_day)
    truth.add_freight(shipped.freight, world.fx, world.first_day, world.export_day)
    truth.add_production(made, world.export_day)
    return exporter.take(), truth


def _local_day(timestamps: np.ndarray) -> np.ndarray:
    return (timestamps.astype("datetime64[s]") + _LOCAL).astype("datetime64[D]")


def _export_with_history(
    exporter, system, entity, records, changed, early, early_day, overrides, export_on=None
) -> None:
    """Write each record's final version, and before it the earlier version an export showed
    when the two fall into different export folders (corrections and status changes)."""
    earlier = np.flatnonzero(early & (exporter.batch_of(early_day) != exporter.batch_of(changed)))
    if len(earlier):
        first = {name: values[earlier] for name, values in records.items()}
        for name, value in overrides.items():
            first[name] = (
                value[earlier] if isinstance(value, np.ndarray) else np.full(len(earlier), value)
            )
        exporter.delta(system, entity, first, early_day[earlier])
    exporter.delta(system, entity, records, changed if export_on is None else export_on)


def _write_master_data(exporter: Exporter, sales, customers, products, fx, first_day) -> None:
    exporter.snapshot(ERP, ERP.entity("plants"), lambda i, day: master.PLANTS)
    exporter.snapshot(
        ERP, ERP.entity("customers"), lambda i, day: master.customers_as_of(customers, i, day)
    )
    exporter.snapshot(ERP, ERP.entity("products"), lambda i, day: products.erp)
    exporter.snapshot(ERP, ERP.entity("bill_of_materials"), lambda i, day: products.bom)
    exporter.snapshot(
        ERP, ERP.entity("standard_cost_versions"), lambda i, day: products.cost_versions
    )
    exporter.snapshot(CRM, CRM.entity("users"), lambda i, day: sales.users)
    exporter.snapshot(CRM, CRM.entity("accounts"), lambda i, day: customers.accounts)
    exporter.snapshot(CRM, CRM.entity("contacts"), lambda i, day: customers.contacts)
    exporter.snapshot(TMS, TMS.entity("carriers"), lambda i, day: master.CARRIERS)
    rates = master.fx_records(fx, first_day)
    exporter.delta(ERP, ERP.entity("fx_rates"), rates, rates["rate_date"])


def _write_orders(exporter: Exporter, chunk: orders.Orders, pipeline: orders.Pipeline) -> None:
    lines = chunk.lines
    _export_with_history(
        exporter,
        ERP,
        ERP.entity("sales_orders"),
        chunk.records,
        chunk.records["changed_on"],
        np.ones(len(chunk.order_date), dtype=bool),
        chunk.order_date,
        {"order_status": "OPEN", "changed_on": chunk.order_date},
    )
    _export_with_history(
        exporter,
        ERP,
        ERP.entity("sales_order_lines"),
        lines.records,
        lines.records["changed_on"],
        np.ones(len(lines.order), dtype=bool),
        lines.order_date,
        {
            "line_status": "OPEN",
            "quantity": lines.early_quantity,
            "net_amount": lines.early_net,
            "changed_on": lines.order_date,
        },
        export_on=lines.export_on,
    )
    for entity, records, when in (
        ("opportunities", pipeline.opportunities, "LastModifiedDate"),
        ("opportunity_history", pipeline.history, "CreatedDate"),
        ("opportunity_line_items", pipeline.line_items, "LastModifiedDate"),
        ("quotes", pipeline.quotes, "LastModifiedDate"),
    ):
        exporter.delta(CRM, CRM.entity(entity), records, _local_day(records[when]))


def _write_fulfilment(exporter: Exporter, shipped: fulfilment.Fulfilment) -> None:
    exporter.delta(
        ERP, ERP.entity("deliveries"), shipped.deliveries, shipped.deliveries["changed_on"]
    )
    exporter.delta(ERP, ERP.entity("invoices"), shipped.invoices, shipped.invoices["invoice_date"])
    invoice_day = dict(
        zip(
            shipped.invoices["invoice_number"].tolist(),
            shipped.invoices["invoice_date"].tolist(),
            strict=False,
        )
    )
    line_day = np.array(
        [invoice_day[n] for n in shipped.invoice_lines["invoice_number"].tolist()],
        dtype="datetime64[D]",
    )
    exporter.delta(ERP, ERP.entity("invoice_lines"), shipped.invoice_lines, line_day)
    exporter.delta(ERP, ERP.entity("payments"), shipped.payments, shipped.payments["payment_date"])
    exporter.delta(
        TMS, TMS.entity("shipments"), shipped.shipments, _local_day(shipped.shipments["updated_at"])
    )
    exporter.delta(
        TMS,
        TMS.entity("freight_charges"),
        shipped.freight,
        _local_day(shipped.freight["billed_at"]),
    )
    exporter.delta(
        TMS,
        TMS.entity("tracking_events"),
        shipped.tracking,
        _local_day(shipped.tracking["event_at"]),
    )


def _write_production(exporter: Exporter, made: production.Production) -> None:
    records = made.orders
    _export_with_history(
        exporter,
        MES,
        MES.entity("production_orders"),
        records,
        _local_day(records["updated_at"]),
        made.early,
        _local_day(records["actual_start_at"]),
        {
            "status": "IN_PROGRESS",
            "produced_quantity": 0,
            "scrap_quantity": 0,
            "actual_finish_at__null": True,
            "updated_at": records["actual_start_at"],
        },
    )
    for entity, details, when in (
        ("operations", made.operations, "finished_at"),
        ("material_consumption", made.consumption, "posted_at"),
        ("scrap", made.scrap, "recorded_at"),
        ("quality_inspections", made.inspections, "inspected_at"),
    ):
        exporter.delta(MES, MES.entity(entity), details, _local_day(details[when]))


class _Truth:
    """Company totals as the exports carry them, in cents, summed the way the warehouse must."""

    def __init__(self) -> None:
        self.net_revenue_by_currency: dict[str, int] = {}
        self.net_revenue_cny = 0
        self.standard_cost_cny = 0
        self.order_lines = 0
        self.production_cost_cny = 0
        self.freight_cny = 0

    def merge(self, other: _Truth) -> None:
        for code, cents in other.net_revenue_by_currency.items():
            self.net_revenue_by_currency[code] = self.net_revenue_by_currency.get(code, 0) + cents
        for name in (
            "net_revenue_cny",
            "standard_cost_cny",
            "order_lines",
            "production_cost_cny",
            "freight_cny",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def add_orders(self, chunk: orders.Orders, products, fx, first_day) -> None:
        lines = chunk.lines
        records = lines.records
        live = ~lines.cancelled
        self.order_lines += len(lines.order)
        offset = (lines.order_date - first_day).astype(int)
        for code, rates in fx.items():
            rows = live & (records["currency"] == code)
            net = records["net_amount"][rows]
            self.net_revenue_by_currency[code] = self.net_revenue_by_currency.get(code, 0) + int(
                net.sum()
            )
            self.net_revenue_cny += int(round_half_up(net * rates[offset[rows]], 1_000_000).sum())
        cost = master.standard_cost_cents(products, lines.product, lines.order_date)
        self.standard_cost_cny += int(
            round_half_up(records["quantity"][live] * cost[live], 1000).sum()
        )

    def add_freight(self, freight: dict, fx, first_day, export_day) -> None:
        day = _local_day(freight["billed_at"])
        exported = day <= export_day
        offset = (day[exported] - first_day).astype(int)
        currency = freight["currency"][exported]
        amount = freight["amount"][exported]
        for code, rates in fx.items():
            rows = currency == code
            self.freight_cny += int(
                round_half_up(amount[rows] * rates[offset[rows]], 1_000_000).sum()
            )

    def add_production(self, made: production.Production, export_day) -> None:
        self.production_cost_cny += int(made.cost_cents[made.finished_day <= export_day].sum())

    def write(
        self,
        truth_dir: Path,
        result: GenerationResult,
        sink: FileSink,
        customers,
        seed,
        scale,
        mess: Mess,
    ) -> None:
        truth_dir.mkdir(parents=True, exist_ok=True)
        summary = {
            "seed": seed,
            "scale": scale,
            "mess": asdict(mess),
            "batches": result.batches,
            "rows_by_file": result.rows_by_file,
            "malformed_rows_by_file": {k: v for k, v in sorted(sink.counter.by_file.items()) if v},
            "malformed_rows_by_rule": dict(sorted(sink.counter.by_rule.items())),
            "order_lines": self.order_lines,
            "totals_cny": {
                "net_revenue": _money(self.net_revenue_cny),
                "standard_cost": _money(self.standard_cost_cny),
                "actual_production_cost": _money(self.production_cost_cny),
                "freight": _money(self.freight_cny),
            },
            "net_revenue_by_currency": {
                k: _money(v) for k, v in sorted(self.net_revenue_by_currency.items())
            },
        }
        (truth_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
        with open(truth_dir / "customer_identity.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["source_system", "source_id", "true_customer_number"])
            writer.writerows(
                zip(
                    *(
                        customers.identity[k]
                        for k in ("source_system", "source_id", "true_customer_number")
                    ),
                    strict=False,
                )
            )


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"
