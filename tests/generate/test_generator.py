"""The demo exports: shaped by the contracts, deterministic, as messy as documented, and summed
correctly in the truth folder."""

import csv
import hashlib
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from dagster_project.contracts import ERP, MES, SYSTEMS, TMS
from dagster_project.lib.generate import Mess, generate
from dagster_project.lib.generate.exporter import SUCCESS_MARKER
from dagster_project.lib.generate.ids import _checksum
from tests.conftest import make_demo

CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """Demo exports without mess: every row must parse by its contract."""
    return make_demo(tmp_path_factory.mktemp("clean"), mess=Mess.clean())


def _digests(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate(tmp_path / name / "landing", scale=0.002, seed=seed, days=60, daily_exports=2)
    first, again, other = (_digests(tmp_path / name) for name in "abc")
    assert first == again
    exports = (
        sum(len(s.entities) for s in SYSTEMS) * 3
    )  # every entity in the initial extract and 2 nights
    assert (
        len([k for k in first if k.startswith("landing/") and SUCCESS_MARKER not in k]) == exports
    )
    assert first.keys() == other.keys() and first != other


def test_every_folder_has_every_entity_and_is_marked_complete(demo):
    for system in SYSTEMS:
        folders = sorted((demo.landing_dir / system.name).iterdir())
        assert [f.name for f in folders] == demo.truth["batches"]
        for folder in folders:
            assert (folder / SUCCESS_MARKER).exists()
            assert {p.name for p in folder.iterdir()} == {
                system.file_name(e) for e in system.entities
            } | {SUCCESS_MARKER}


def read_by_contract(con, system, entity, path: Path, tmp_path: Path):
    """Read one export strictly by its contract (any row that breaks it raises)."""
    columns = "{" + ", ".join(f"'{c.name}': '{c.type}'" for c in entity.columns) + "}"
    if system.format == "parquet":
        return con.sql(f"select * from read_parquet('{path}')")
    if system.format == "jsonl":
        return con.sql(
            f"select * from read_json('{path}', columns = {columns}, format = 'newline_delimited', "
            f"timestampformat = '{system.timestamp_format}')"
        )
    utf8 = tmp_path / f"{system.name}_{path.parent.name}_{path.name}"
    utf8.write_text(path.read_text(encoding=system.encoding), encoding="utf-8")
    return con.sql(
        f"select * from read_csv('{utf8}', columns = {columns}, header = true, "
        f"auto_detect = false, dateformat = '{system.date_format}', "
        f"timestampformat = '{system.timestamp_format}')"
    )


def test_clean_exports_parse_by_their_contracts_row_for_row(clean, tmp_path):
    con = duckdb.connect()
    for system in SYSTEMS:
        for entity in system.entities:
            for path in sorted(
                clean.landing_dir.glob(f"{system.name}/*/{system.file_name(entity)}")
            ):
                relation = read_by_contract(con, system, entity, path, tmp_path)
                key = path.relative_to(clean.landing_dir).as_posix()
                assert relation.columns == entity.column_names, key
                assert len(relation.fetchall()) == clean.truth["rows_by_file"][key], key
                if system.format == "parquet":
                    schema = pq.read_schema(path)
                    declared = {c.name: c.type for c in entity.columns}
                    actual = dict(
                        zip(relation.columns, (str(t) for t in relation.types), strict=False)
                    )
                    assert actual == {
                        n: ("TIMESTAMP WITH TIME ZONE" if t == "TIMESTAMPTZ" else t)
                        for n, t in declared.items()
                    }, (key, schema)


def test_text_exports_are_encoded_as_their_systems_write_them(demo):
    (accounts,) = demo.landing_dir.glob(f"crm/{demo.truth['batches'][-1]}/accounts.csv")
    assert accounts.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as Excel saves it
    (customers,) = demo.landing_dir.glob(f"erp/{demo.truth['batches'][-1]}/customers.csv")
    text = customers.read_bytes().decode("gb18030")
    assert "有限公司" in text and text.splitlines()[1][:10].isdigit()
    with pytest.raises(UnicodeDecodeError):
        customers.read_bytes().decode("utf-8")


def test_malformed_rows_come_at_the_documented_rate_and_break_every_kind_of_rule(demo):
    rows = sum(demo.truth["rows_by_file"].values())
    malformed = sum(demo.truth["malformed_rows_by_file"].values())
    rate = Mess().malformed_row_rate
    assert rate * 0.7 < malformed / rows < rate * 1.3
    assert set(demo.truth["malformed_rows_by_rule"]) == {
        "wrong_column_count",
        "unparsable_number",
        "unparsable_date",
        "missing_key",
        "negative_value",
        "unknown_code",
        "duplicate_key",
        "date_out_of_range",
        "malformed_json",
    }
    assert sum(demo.truth["malformed_rows_by_rule"].values()) == malformed


def _latest(relation_sql: str, key: str, newest_first: str) -> str:
    return (
        f"select * from ({relation_sql}) qualify row_number() over "
        f"(partition by {key} order by {newest_first}) = 1"
    )


def test_truth_totals_equal_what_the_clean_exports_sum_to(clean, tmp_path):
    con = duckdb.connect()

    def union(system, entity_name):
        entity = system.entity(entity_name)
        parts = []
        for path in sorted(clean.landing_dir.glob(f"{system.name}/*/{system.file_name(entity)}")):
            name = f"t{len(parts)}_{entity_name}"
            con.register(
                name, read_by_contract(con, system, entity, path, tmp_path).to_arrow_table()
            )
            parts.append(f"select *, '{path.parent.name}' as batch from {name}")
        return " union all ".join(parts)

    newest_first = "changed_on desc, batch desc"
    lines = _latest(union(ERP, "sales_order_lines"), "order_number, line_number", newest_first)
    orders = _latest(union(ERP, "sales_orders"), "order_number", newest_first)
    rates = union(ERP, "fx_rates")
    net = con.execute(f"""
        select sum(round(l.net_amount * coalesce(r.rate, 1), 2))
        from ({lines}) l join ({orders}) o using (order_number)
        left join ({rates}) r on r.rate_date = o.order_date and r.from_currency = l.currency
        where l.line_status <> 'CANCELLED'""").fetchall()[0][0]
    totals = clean.truth["totals_cny"]
    assert net == Decimal(totals["net_revenue"])

    freight = con.execute(f"""
        select sum(round(f.amount * coalesce(r.rate, 1), 2))
        from ({union(TMS, "freight_charges")}) f
        left join ({rates}) r on r.rate_date = cast(f.billed_at + interval 8 hour as date)
            and r.from_currency = f.currency""").fetchall()[0][0]
    assert freight == Decimal(totals["freight"])

    work_orders = _latest(
        union(MES, "production_orders"), "production_order_id", "updated_at desc, batch desc"
    )
    cost = con.execute(f"""
        with done as (select production_order_id from ({work_orders}) where status = 'COMPLETED')
        select (select sum(cost_amount) from ({union(MES, "material_consumption")})
                where production_order_id in (select * from done))
             + (select sum(round(machine_hours * machine_rate, 2)
                           + round(labour_hours * labour_rate, 2))
                from ({union(MES, "operations")}) where production_order_id in (select * from done))
    """).fetchall()[0][0]
    assert cost == Decimal(totals["actual_production_cost"])


def test_later_exports_correct_and_cancel_order_lines_of_the_initial_extract(demo):
    mess = Mess()
    batches = demo.truth["batches"]
    initial = {}
    for path in demo.landing_dir.glob(f"erp/{batches[0]}/sales_order_lines.csv"):
        for row in csv.DictReader(path.open(encoding="gb18030")):
            initial[(row["order_number"], row["line_number"])] = row
    changed = 0
    for batch in batches[1:]:
        (path,) = demo.landing_dir.glob(f"erp/{batch}/sales_order_lines.csv")
        for row in csv.DictReader(path.open(encoding="gb18030")):
            before = initial.get((row["order_number"], row["line_number"]))
            if before and (
                before["quantity"] != row["quantity"] or row["line_status"] == "CANCELLED"
            ):
                changed += 1
    assert (
        0.3 * mess.correction_rate
        < changed / demo.truth["order_lines"]
        < 1.5 * mess.correction_rate
    )


def test_identity_truth_names_the_customer_behind_every_crm_and_erp_record(demo):
    identity_path = Path(str(demo.landing_dir) + "_truth") / "customer_identity.csv"
    rows = list(csv.DictReader(identity_path.open(encoding="utf-8")))
    erp = [r for r in rows if r["source_system"] == "erp"]
    crm = [r for r in rows if r["source_system"] == "crm"]
    assert all(r["source_id"] == r["true_customer_number"] for r in erp)
    customers_with_accounts = [r["true_customer_number"] for r in crm if r["true_customer_number"]]
    duplicates = len(customers_with_accounts) - len(set(customers_with_accounts))
    assert 0.3 * Mess().crm_duplicate_rate < duplicates / len(erp) < 2 * Mess().crm_duplicate_rate
    assert all(
        len(r["source_id"]) == 18 and r["source_id"][15:] == _checksum(r["source_id"][:15])
        for r in crm
    )


def test_net_amount_is_quantity_times_price_after_discount_rounded_half_up(clean):
    (path,) = clean.landing_dir.glob(f"erp/{clean.truth['batches'][0]}/sales_order_lines.csv")
    for row in list(csv.DictReader(path.open(encoding="gb18030")))[:2000]:
        gross = Decimal(row["quantity"]) * Decimal(row["unit_price"])
        expected = (gross * (1 - Decimal(row["discount_pct"]) / 100)).quantize(
            CENT, "ROUND_HALF_UP"
        )
        assert Decimal(row["net_amount"]) == expected, row


def test_crm_names_vary_the_way_sales_types_them(demo):
    (path,) = demo.landing_dir.glob(f"crm/{demo.truth['batches'][-1]}/accounts.csv")
    names = [row["Name"] for row in csv.DictReader(path.open(encoding="utf-8-sig"))]
    assert any("華" in n or "電" in n for n in names)  # traditional characters
    assert any(any(0xFF01 <= ord(ch) <= 0xFF5E for ch in n) for n in names)  # full-width forms
    assert any(n.isascii() for n in names) and any(
        not n.isascii() for n in names
    )  # English and Chinese


def test_chunked_parallel_generation_writes_the_same_bytes_as_serial(tmp_path, monkeypatch):
    import dagster_project.lib.generate as generator

    monkeypatch.setattr(generator, "ORDERS_PER_CHUNK", 40)  # many chunks from a small dataset
    generate(
        tmp_path / "serial" / "landing", scale=0.002, seed=5, days=90, daily_exports=2, workers=1
    )
    generate(
        tmp_path / "parallel" / "landing", scale=0.002, seed=5, days=90, daily_exports=2, workers=2
    )
    assert _digests(tmp_path / "serial") == _digests(tmp_path / "parallel")
