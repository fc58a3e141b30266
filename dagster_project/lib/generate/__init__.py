"""Demo exports of a mid-size manufacturer, written by the source contracts.

Deterministic: the same scale, seed, start and days give the same bytes. Scale 1 is about
a million ERP order lines over three years; orders are generated and written in chunks so
memory stays bounded at any scale. Besides the exports, the generator writes what it knows
(row counts and company totals) to a truth file outside the landing folder, for tests and
benchmarks; the pipeline never reads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from dagster_project.contracts import CRM, ERP, Entity, System
from dagster_project.lib.generate import master, orders, writer

DEFAULT_START = date(2023, 10, 1)
DEFAULT_DAYS = 1095
ORDERS_PER_CHUNK = 100_000
_LINES_AT_SCALE_1 = 1_000_000
_MEAN_LINES_PER_ORDER = 1 / 0.45


@dataclass
class GenerationResult:
    batch_dir_by_system: dict[str, Path]
    truth_path: Path
    rows_by_file: dict[str, int] = field(default_factory=dict)


def generate(
    out_dir: Path,
    scale: float = 0.02,
    seed: int = 42,
    start: date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    truth_path: Path | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> GenerationResult:
    if scale <= 0 or days < 1:
        raise ValueError(f"scale must be > 0 and days >= 1 (got scale={scale}, days={days})")
    out_dir = Path(out_dir).resolve()
    truth_path = Path(truth_path or out_dir.parent / f"{out_dir.name}_truth.json").resolve()
    rng = np.random.default_rng(seed)
    first_day = np.datetime64(start, "D")
    export_day = first_day + np.timedelta64(days, "D")
    batch = str(export_day)  # one folder per export, named by its date
    result = GenerationResult({s.name: out_dir / s.name / batch for s in (CRM, ERP)}, truth_path)

    def write(system: System, entity: Entity, records: pd.DataFrame, append: bool = False) -> None:
        path = result.batch_dir_by_system[system.name] / system.file_name(entity)
        key = f"{system.name}/{batch}/{path.name}"
        result.rows_by_file[key] = result.rows_by_file.get(key, 0) + writer.write(
            path, system, entity, records, append
        )

    customers = master.customers(rng, max(30, round(50_000 * scale)), first_day, export_day)
    products = master.products(rng, max(15, round(5_000 * scale)), first_day)
    fx_to_cny = master.fx_rates_to_cny(rng, days)
    write(ERP, ERP.entity("customers"), customers.erp)
    write(CRM, CRM.entity("accounts"), customers.crm)
    write(ERP, ERP.entity("products"), products.erp)
    write(ERP, ERP.entity("fx_rates"), _fx_frame(fx_to_cny, first_day, days))
    progress(f"master data: {len(customers.erp):,} customers, {len(products.erp):,} products")

    order_count = max(60, round(_LINES_AT_SCALE_1 * scale / _MEAN_LINES_PER_ORDER))
    order_days = np.sort(rng.choice(days, order_count, p=orders.order_day_weights(first_day, days)))
    net_cents_by_currency = dict.fromkeys(master.CURRENCIES.tolist(), 0)
    for chunk_start in range(0, order_count, ORDERS_PER_CHUNK):
        chunk = orders.order_chunk(
            np.random.default_rng([seed, chunk_start]),
            10_000_001 + chunk_start,
            order_days[chunk_start : chunk_start + ORDERS_PER_CHUNK],
            first_day,
            export_day,
            customers,
            products,
            fx_to_cny,
        )
        append = chunk_start > 0
        write(ERP, ERP.entity("sales_orders"), chunk.orders, append)
        write(ERP, ERP.entity("sales_order_lines"), chunk.lines, append)
        write(CRM, CRM.entity("opportunities"), chunk.opportunities, append)
        live = chunk.lines[chunk.lines["line_status"] != "CANCELLED"]
        for code, cents in live.groupby("currency")["net_amount"].sum().items():
            net_cents_by_currency[code] += int(cents)
        progress(f"orders: {min(chunk_start + ORDERS_PER_CHUNK, order_count):,} of {order_count:,}")

    truth = {
        "seed": seed,
        "scale": scale,
        "batch": batch,
        "rows_by_file": result.rows_by_file,
        "net_revenue_by_currency": {k: f"{v / 100:.2f}" for k, v in net_cents_by_currency.items()},
    }
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_path.write_text(json.dumps(truth, indent=2, sort_keys=True) + "\n")
    return result


def _fx_frame(fx_to_cny: dict[str, np.ndarray], first_day: np.datetime64, days: int) -> pd.DataFrame:
    dates = first_day + np.arange(days).astype("timedelta64[D]")
    frames = [
        pd.DataFrame({"rate_date": dates, "from_currency": code, "to_currency": "CNY", "rate": rates})
        for code, rates in fx_to_cny.items()
        if code != "CNY"
    ]
    return pd.concat(frames, ignore_index=True)
