"""A file that cannot be read as its contract is rejected whole, by name and column, fails its
entity's check, and lets every other file and entity load."""

import datetime as dt

import pytest

from dagster_project.contracts import CRM, ERP, MES, TMS
from dagster_project.lib.ingest import FileProblem, ledger_verdict
from tests.ingest.conftest import BATCH, json_row, load, parquet_table, raw_rows, row

CUSTOMERS = ERP.entity("customers")
ACCOUNTS = CRM.entity("accounts")
SCRAP = MES.entity("scrap")
CHARGES = TMS.entity("freight_charges")
DAY_2 = "2026-01-16"


def _rejected(con, landing, system, entity):
    """Load with a good file in another batch; return the rejected file's ledger entry."""
    result = load(con, landing, system, entity)
    (rejected,) = result.rejected_files
    assert result.files_loaded == 1 and result.rows_loaded > 0  # the other file still loads
    verdict = ledger_verdict(con, system, entity)
    assert verdict.blocking and not verdict.passed
    assert verdict.rejected_files == [rejected.message]
    return rejected


def _good_customers(landing, batch=DAY_2):
    return landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 1)], batch=batch)


def test_a_missing_column_rejects_the_file_naming_file_and_column(con, landing):
    _good_customers(landing)
    header = [n for n in CUSTOMERS.column_names if n != "payment_terms"]
    path = landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 2)], header=header)
    rejected = _rejected(con, landing, ERP, CUSTOMERS)
    assert rejected.message.startswith(
        f"{FileProblem.MISSING_COLUMN}: {path}: column 'payment_terms'"
    )
    assert rejected.source_file == str(path)


def test_a_renamed_column_names_both_names(con, landing):
    _good_customers(landing)
    header = ["cust_no" if n == "customer_number" else n for n in CUSTOMERS.column_names]
    landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 2)], header=header)
    rejected = _rejected(con, landing, ERP, CUSTOMERS)
    assert rejected.message.startswith(FileProblem.RENAMED_COLUMN)
    assert "'customer_number' is missing" in rejected.message and "'cust_no'" in rejected.message


def test_an_extra_or_reordered_column_is_a_file_problem(con, landing):
    _good_customers(landing)
    names = CUSTOMERS.column_names
    landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 2)], header=[names[1], names[0], *names[2:]])
    assert _rejected(con, landing, ERP, CUSTOMERS).message.startswith(FileProblem.COLUMN_ORDER)


def test_an_erp_file_saved_as_utf8_is_rejected_not_loaded_garbled(con, landing):
    _good_customers(landing)
    landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 2)], encoding="utf-8")
    rejected = _rejected(con, landing, ERP, CUSTOMERS)
    assert rejected.message.startswith(FileProblem.WRONG_ENCODING)
    assert "is UTF-8, not gb18030" in rejected.message
    assert raw_rows(con, ERP, CUSTOMERS, "customer_name") == [("深圳华信电子有限公司",)]


def test_bytes_that_are_not_gb18030_are_named_by_position(con, landing):
    _good_customers(landing)
    header = ",".join(CUSTOMERS.column_names).encode()
    landing.write_bytes(ERP, CUSTOMERS, header + b"\n0000000001,\xff\xfe bad\n")
    rejected = _rejected(con, landing, ERP, CUSTOMERS)
    assert rejected.message.startswith(FileProblem.WRONG_ENCODING)
    assert (
        f"customers.csv: byte {len(header) + 12} (line 2) is not valid gb18030" in rejected.message
    )


def test_a_crm_file_that_is_not_utf8_is_rejected(con, landing):
    landing.csv(CRM, ACCOUNTS, [row(ACCOUNTS, 1)], batch=DAY_2)
    landing.csv(CRM, ACCOUNTS, [row(ACCOUNTS, 2, Name="深圳华信")], encoding="gb18030")
    rejected = _rejected(con, landing, CRM, ACCOUNTS)
    assert rejected.message.startswith(FileProblem.WRONG_ENCODING)
    assert "(line 2) is not valid utf-8-sig" in rejected.message


def test_an_empty_csv_file_is_rejected_but_a_header_only_file_is_an_empty_export(con, landing):
    _good_customers(landing)
    landing.write_bytes(ERP, CUSTOMERS, b"")
    rejected = _rejected(con, landing, ERP, CUSTOMERS)
    assert rejected.message.startswith(FileProblem.EMPTY_FILE)
    landing.csv(ERP, CUSTOMERS, [], batch="2026-01-17")
    result = load(con, landing, ERP, CUSTOMERS)
    (header_only,) = [f for f in result.files if f.batch == "2026-01-17"]
    assert (header_only.status, header_only.rows_read) == ("loaded", 0)


def test_a_truncated_file_is_rejected(con, landing):
    _good_customers(landing)
    path = landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 2), row(CUSTOMERS, 3)])
    path.write_bytes(path.read_bytes()[:-25])
    rejected = _rejected(con, landing, ERP, CUSTOMERS)
    assert rejected.message.startswith(FileProblem.TRUNCATED_FILE)
    assert "line 3" in rejected.message


GOOD_SCRAP = [
    {
        "scrap_id": "SC-1",
        "production_order_id": "WO-1",
        "quantity": 1,
        "reason_code": "SETUP",
        "cost_amount": 2,
        "currency": "CNY",
        "recorded_at": dt.datetime(2025, 4, 11, tzinfo=dt.UTC),
    }
]


def test_an_unreadable_parquet_file_is_rejected_and_the_others_load(con, landing):
    good = GOOD_SCRAP
    landing.parquet(MES, SCRAP, parquet_table(SCRAP, good), batch=DAY_2)
    path = landing.parquet(MES, SCRAP, parquet_table(SCRAP, good))
    path.write_bytes(path.read_bytes()[:-40])
    rejected = _rejected(con, landing, MES, SCRAP)
    assert rejected.message.startswith(f"{FileProblem.UNREADABLE_FILE}: {path}: DuckDB cannot read")


def test_a_parquet_file_without_a_contract_column_is_rejected(con, landing):
    good = GOOD_SCRAP
    landing.parquet(MES, SCRAP, parquet_table(SCRAP, good), batch=DAY_2)
    landing.parquet(MES, SCRAP, parquet_table(SCRAP, good).drop_columns(["reason_code"]))
    rejected = _rejected(con, landing, MES, SCRAP)
    assert rejected.message.startswith(FileProblem.MISSING_COLUMN)
    assert "column 'reason_code' is missing from the Parquet schema" in rejected.message


def test_json_records_without_a_contract_field_are_a_file_problem(con, landing):
    landing.jsonl(TMS, CHARGES, [json_row(CHARGES, 1)], batch=DAY_2)
    record = json_row(CHARGES, 2)
    record["charge_amount"] = record.pop("amount")
    landing.jsonl(TMS, CHARGES, [record])
    rejected = _rejected(con, landing, TMS, CHARGES)
    assert rejected.message.startswith(FileProblem.RENAMED_COLUMN)
    assert "'amount' is missing" in rejected.message and "'charge_amount'" in rejected.message


def test_an_empty_json_lines_file_is_an_empty_export(con, landing):
    landing.write_bytes(TMS, CHARGES, b"")
    result = load(con, landing, TMS, CHARGES)
    assert [(f.status, f.rows_read) for f in result.files] == [("loaded", 0)]
    assert ledger_verdict(con, TMS, CHARGES).passed


def test_a_complete_folder_without_the_file_is_flagged_once(con, landing):
    _good_customers(landing)
    landing.complete(ERP, BATCH)
    rejected = _rejected(con, landing, ERP, CUSTOMERS)
    assert rejected.message.startswith(FileProblem.MISSING_FILE)
    again = load(con, landing, ERP, CUSTOMERS)
    assert again.files == [] and ledger_verdict(con, ERP, CUSTOMERS).blocking
    _good_customers(landing, batch=BATCH)  # the file arrives
    assert load(con, landing, ERP, CUSTOMERS).files_loaded == 1
    assert not ledger_verdict(con, ERP, CUSTOMERS).blocking


def test_a_file_replaced_by_a_broken_version_loses_its_rows_and_blocks(con, landing):
    path = landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 1), row(CUSTOMERS, 2)])
    load(con, landing, ERP, CUSTOMERS)
    path.write_bytes(path.read_bytes()[:-3])
    result = load(con, landing, ERP, CUSTOMERS)
    assert result.files_rejected == 1
    assert raw_rows(con, ERP, CUSTOMERS) == []
    assert ledger_verdict(con, ERP, CUSTOMERS).blocking


@pytest.mark.parametrize("bad_first", [True, False])
def test_a_file_the_reader_cannot_parse_is_isolated_and_the_others_in_the_scan_load(
    con, landing, bad_first
):
    batches = ["2026-01-15", "2026-01-16"] if bad_first else ["2026-01-16", "2026-01-15"]
    landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 1)], batch=batches[1])
    good, other = row(CUSTOMERS, 2), row(CUSTOMERS, 3)
    lines = [",".join(CUSTOMERS.column_names), ",".join(good.values()), ",".join(other.values())]
    mixed = (lines[0] + "\r\n" + lines[1] + "\n" + lines[2] + "\r\n").encode("gb18030")
    path = landing.write_bytes(ERP, CUSTOMERS, mixed, batch=batches[0])
    result = load(con, landing, ERP, CUSTOMERS)
    assert result.rows_loaded == 1 and result.files_loaded == 1
    (rejected,) = result.rejected_files
    assert rejected.message.startswith(f"{FileProblem.UNREADABLE_FILE}: {path}: DuckDB cannot read")
    assert "mixed line endings" in rejected.message
