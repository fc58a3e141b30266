"""The demo exports: deterministic, shaped by the contracts, and summed correctly in the truth file."""

import hashlib
from decimal import Decimal
from pathlib import Path

import pandas as pd

from dagster_project.contracts import ERP, SYSTEMS
from dagster_project.lib.generate import generate


def _digests(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*.*"))
    }


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate(tmp_path / name / "landing", scale=0.002, seed=seed)
    first, again, other = (_digests(tmp_path / name) for name in "abc")
    assert first == again
    assert len(first) == 8  # seven exports and the truth file
    assert first.keys() == other.keys() and first != other


def test_every_file_has_the_contract_header_encoding_and_formats(demo):
    for system in SYSTEMS:
        for entity in system.entities:
            (path,) = demo.landing_dir.glob(f"{system.name}/*/{system.file_name(entity)}")
            raw = path.read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf") == (system.encoding == "utf-8-sig"), path
            header = raw.decode(system.encoding).splitlines()[0]
            assert header.split(system.delimiter) == entity.column_names, path


def test_erp_names_are_chinese_in_gb18030(demo):
    (path,) = demo.landing_dir.glob("erp/*/customers.csv")
    customers = pd.read_csv(path, encoding="gb18030", dtype=str)
    assert customers["customer_number"].str.fullmatch(r"\d{10}").all()  # leading zeros kept
    assert customers["customer_name"].str.contains("有限公司").mean() > 0.5
    assert customers["created_on"].str.fullmatch(r"\d{8}").all()  # YYYYMMDD


def test_truth_totals_equal_what_the_order_lines_sum_to(demo):
    (path,) = demo.landing_dir.glob("erp/*/sales_order_lines.csv")
    lines = pd.read_csv(path, encoding=ERP.encoding, dtype=str)
    live = lines[lines["line_status"] != "CANCELLED"]
    for currency, expected in demo.truth["net_revenue_by_currency"].items():
        total = sum(Decimal(v) for v in live.loc[live["currency"] == currency, "net_amount"])
        assert total == Decimal(expected), currency
    assert len(lines) == demo.truth["rows_by_file"][f"erp/{demo.truth['batch']}/sales_order_lines.csv"]


def test_net_amount_is_quantity_times_price_after_discount_rounded_half_up(demo):
    (path,) = demo.landing_dir.glob("erp/*/sales_order_lines.csv")
    lines = pd.read_csv(path, encoding=ERP.encoding, dtype=str).head(2000)
    for row in lines.itertuples():
        gross = Decimal(row.quantity) * Decimal(row.unit_price)
        expected = (gross * (1 - Decimal(row.discount_pct) / 100)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
        assert Decimal(row.net_amount) == expected, row
