"""Every kind of bad row: the good rows load, the bad one is in raw._rejects with its rule, a
reason naming column, value and expectation, its physical line and its raw line; the ledger
balances (asserted by `load`)."""

import datetime as dt
import json
from decimal import Decimal

import pyarrow as pa
import pytest

from dagster_project.contracts import CRM, ERP, MES, TMS
from dagster_project.lib.ingest import Rule, ledger_verdict, stage
from tests.ingest.conftest import (
    BATCH,
    csv_line,
    json_row,
    load,
    parquet_table,
    physical_line,
    raw_rows,
    rejects,
    row,
)

LINES = ERP.entity("sales_order_lines")
OPPORTUNITIES = CRM.entity("opportunities")
SHIPMENTS = TMS.entity("shipments")
SCRAP = MES.entity("scrap")


def _line(record):
    return csv_line(ERP, [record[n] for n in LINES.column_names])


# (line in the file, row or literal line, expected rule or None for a good row, reason part)
ERP_CASES = [
    (2, row(LINES, 1), None, None),
    (3, row(LINES, 2), None, None),
    (4, _line(row(LINES, 3)) + ",EXTRA", Rule.WRONG_COLUMN_COUNT, "expected 13 fields"),
    (5, _line(row(LINES, 4)).rsplit(",", 1)[0], Rule.WRONG_COLUMN_COUNT, "found 12"),
    (
        6,
        row(LINES, 5, quantity="12..5"),
        Rule.UNPARSABLE_NUMBER,
        "quantity is '12..5'; expected a number with at most 3 decimals (DECIMAL(18,3))",
    ),
    (7, row(LINES, 6, net_amount="1,234.50"), Rule.UNPARSABLE_NUMBER, "net_amount is '1,234.50'"),
    (
        8,
        row(LINES, 7, requested_date="2025-03-31"),
        Rule.UNPARSABLE_DATE,
        "requested_date is '2025-03-31'; expected a date as YYYYMMDD",
    ),
    (9, row(LINES, 8, changed_on="20250230"), Rule.UNPARSABLE_DATE, "changed_on is '20250230'"),
    (
        10,
        row(LINES, 9, order_number=""),
        Rule.MISSING_KEY,
        "order_number is empty; it is part of the key (order_number, line_number)",
    ),
    (
        11,
        row(LINES, 10, product_number=" "),
        Rule.MISSING_VALUE,
        "product_number is empty; the contract requires a value",
    ),
    (
        12,
        row(LINES, 1),
        Rule.DUPLICATE_KEY,
        "key order_number=0010000001, line_number=10 already appears on line 2",
    ),
    (
        13,
        row(LINES, 11, currency="ZZZ"),
        Rule.UNKNOWN_CODE,
        "currency is 'ZZZ'; expected one of CNY, USD, EUR",
    ),
    (
        14,
        row(LINES, 12, quantity="-5.000"),
        Rule.NEGATIVE_VALUE,
        "quantity is -5.000; expected a number >= 0",
    ),
    (
        15,
        row(LINES, 13, requested_date="18991231"),
        Rule.DATE_OUT_OF_RANGE,
        "requested_date is 1899-12-31; expected a date from 2000-01-01 to 2029-01-15",
    ),
    (16, row(LINES, 14, promised_date="20290116"), Rule.DATE_OUT_OF_RANGE, "promised_date"),
    (17, row(LINES, 15, promised_date="20290115"), None, None),  # exactly 3 years: allowed
    # A broken copy of a good row is rejected for what is broken, not as a duplicate.
    (18, row(LINES, 2, quantity="-1.000"), Rule.NEGATIVE_VALUE, "quantity is -1.000"),
    # Several broken rules: the first in the documented order wins.
    (19, row(LINES, 16, order_number="", quantity="-1.000"), Rule.MISSING_KEY, "order_number"),
    (20, row(LINES, 17, quantity="abc", currency="ZZZ"), Rule.UNPARSABLE_NUMBER, "quantity"),
    (21, row(LINES, 18, currency="ZZZ", quantity="-2.000"), Rule.UNKNOWN_CODE, "currency"),
    (22, row(LINES, 19), None, None),
]


def _check(con, landing, system, entity, path, cases, encoding):
    for line, _, rule, _ in cases:
        assert rule is not None or line  # cases are (line, row, rule, reason)
    found = {r["line_number"]: r for r in rejects(con, system, entity)}
    expected_rejects = {line: (rule, reason) for line, _, rule, reason in cases if rule}
    assert set(found) == set(expected_rejects)
    for line, (rule, reason) in expected_rejects.items():
        reject = found[line]
        assert (reject["rule"], line) == (rule, line)
        assert reason in reject["reason"], (line, reject["reason"])
        if system.format == "jsonl" and rule == Rule.DUPLICATE_KEY:
            # rebuilt from the parsed values: the same JSON, not necessarily the same bytes
            assert json.loads(reject["raw_line"]) == json.loads(physical_line(path, line, encoding))
        else:
            assert reject["raw_line"] == physical_line(path, line, encoding)
        assert reject["source_file"] == str(path)
        assert reject["batch"] == path.parent.name
    return found


def test_erp_rows_breaking_each_rule_are_quarantined_and_the_good_rows_load(con, landing):
    path = landing.csv(ERP, LINES, [item for _, item, _, _ in ERP_CASES])
    result = load(con, landing, ERP, LINES)
    _check(con, landing, ERP, LINES, path, ERP_CASES, "gb18030")
    good = [item for _, item, rule, _ in ERP_CASES if rule is None]
    loaded = raw_rows(con, ERP, LINES, "order_number, line_number, quantity")
    assert loaded == [
        (item["order_number"], int(item["line_number"]), Decimal(item["quantity"])) for item in good
    ]
    (file,) = result.files
    assert (file.rows_read, file.rows_loaded, file.rows_rejected) == (21, 4, 17)


OPPORTUNITY_CASES = [
    (2, row(OPPORTUNITIES, 1), None, None),
    (
        3,
        row(OPPORTUNITIES, 2, IsClosed="maybe"),
        Rule.UNPARSABLE_BOOLEAN,
        "IsClosed is 'maybe'; expected true or false",
    ),
    (
        4,
        row(OPPORTUNITIES, 3, CreatedDate="2025-02-30T25:61:00+08:00"),
        Rule.UNPARSABLE_DATE,
        "CreatedDate is '2025-02-30T25:61:00+08:00'; expected a timestamp as "
        "YYYY-MM-DDTHH:MM:SS+HH:MM",
    ),
    (
        5,
        row(OPPORTUNITIES, 4, CreatedDate="1899-12-31T00:00:00+08:00"),
        Rule.DATE_OUT_OF_RANGE,
        "CreatedDate is 1899-12-31T00:00:00+08:00; expected a time from 2000-01-01",
    ),
    (6, row(OPPORTUNITIES, 5, StageName="Won"), Rule.UNKNOWN_CODE, "StageName is 'Won'"),
    (7, row(OPPORTUNITIES, 6, Amount="-1.00"), Rule.NEGATIVE_VALUE, "Amount is -1.00"),
    (8, row(OPPORTUNITIES, 7, Name=""), Rule.MISSING_VALUE, "Name is empty"),
    (9, row(OPPORTUNITIES, 8, Probability="9,5"), Rule.UNPARSABLE_NUMBER, "Probability is '9,5'"),
    (10, row(OPPORTUNITIES, 9, Name="名称, with comma"), None, None),
]


def test_crm_rows_breaking_each_rule_are_quarantined(con, landing):
    path = landing.csv(CRM, OPPORTUNITIES, [item for _, item, _, _ in OPPORTUNITY_CASES])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    load(con, landing, CRM, OPPORTUNITIES)
    _check(con, landing, CRM, OPPORTUNITIES, path, OPPORTUNITY_CASES, "utf-8-sig")
    names = raw_rows(con, CRM, OPPORTUNITIES, "Name")
    assert names == [("Huaxin - control units 2025",), ("名称, with comma",)]


def test_line_numbers_stay_physical_around_multiline_values_blank_lines_and_broken_quotes(
    con, landing
):
    lines = [
        csv_line(CRM, list(row(OPPORTUNITIES, 1).values())),  # 2
        csv_line(CRM, list(row(OPPORTUNITIES, 2, Name="two\nline name").values())),  # 3-4
        "",  # 5: blank
        csv_line(CRM, list(row(OPPORTUNITIES, 3, Amount="x").values())),  # 6: rejected
        csv_line(CRM, list(row(OPPORTUNITIES, 4).values())),  # 7
        csv_line(CRM, list(row(OPPORTUNITIES, 5).values())) + ',"never closed',  # 8 ...
        csv_line(CRM, list(row(OPPORTUNITIES, 6).values())),  # 9: swallowed by the quote
    ]
    path = landing.csv(CRM, OPPORTUNITIES, lines)
    result = load(con, landing, CRM, OPPORTUNITIES)
    assert raw_rows(con, CRM, OPPORTUNITIES, "Id") == [
        (row(OPPORTUNITIES, 1)["Id"],),
        (row(OPPORTUNITIES, 2)["Id"],),
        (row(OPPORTUNITIES, 4)["Id"],),
    ]
    found = rejects(con, CRM, OPPORTUNITIES)
    assert [(r["line_number"], r["rule"]) for r in found] == [
        (6, Rule.UNPARSABLE_NUMBER),
        (8, Rule.MALFORMED_CSV),
    ]
    assert found[0]["raw_line"] == physical_line(path, 6, "utf-8")
    assert "runs over" in found[1]["reason"]
    (file,) = result.files
    assert (file.rows_read, file.rows_loaded, file.rows_rejected) == (5, 3, 2)


def test_an_open_ended_validity_date_is_not_out_of_range(con, landing):
    versions = ERP.entity("standard_cost_versions")
    landing.csv(ERP, versions, [row(versions, 1, valid_to="99991231")])
    result = load(con, landing, ERP, versions)
    assert result.rows_loaded == 1 and result.rows_rejected == 0


SHIPMENT_CASES = [
    (1, json_row(SHIPMENTS, 1), None, None),
    (2, '{"shipment_id": "SHP-0002", "carrier_id": "SF-EX', Rule.MALFORMED_JSON, "not one valid"),
    (
        3,
        json_row(SHIPMENTS, 3, gross_weight_kg="N/A"),
        Rule.UNPARSABLE_NUMBER,
        "gross_weight_kg is 'N/A'; expected a number",
    ),
    (
        4,
        json_row(SHIPMENTS, 4, delivery_numbers="0080012345"),
        Rule.UNPARSABLE_LIST,
        "expected a JSON array of strings",
    ),
    (5, json_row(SHIPMENTS, 5, shipment_id=None), Rule.MISSING_KEY, "shipment_id is empty"),
    (
        6,
        json_row(SHIPMENTS, 6, shipped_at="1899-12-31T00:00:00Z"),
        Rule.DATE_OUT_OF_RANGE,
        "shipped_at is 1899-12-31T00:00:00Z",
    ),
    (
        7,
        json_row(SHIPMENTS, 7, updated_at="2025-13-01T00:00:00Z"),
        Rule.UNPARSABLE_DATE,
        "updated_at is '2025-13-01T00:00:00Z'; expected a timestamp as YYYY-MM-DDTHH:MM:SSZ",
    ),
    (8, "", None, None),  # a blank line is no record
    (9, json_row(SHIPMENTS, 1), Rule.DUPLICATE_KEY, "already appears on line 1"),
    (10, "[1, 2]", Rule.MALFORMED_JSON, "not one valid JSON object"),
    (11, json_row(SHIPMENTS, 11, gross_weight_kg=-3.5), Rule.NEGATIVE_VALUE, "is -3.500"),
    (12, json_row(SHIPMENTS, 12), None, None),
]


def test_json_lines_rows_breaking_each_rule_are_quarantined(con, landing):
    record = json_row(SHIPMENTS, 13)
    del record["carrier_id"]
    cases = [*SHIPMENT_CASES, (13, record, Rule.MISSING_VALUE, "carrier_id is empty")]
    path = landing.jsonl(TMS, SHIPMENTS, [item for _, item, _, _ in cases])
    result = load(con, landing, TMS, SHIPMENTS)
    _check(con, landing, TMS, SHIPMENTS, path, cases, "utf-8")
    loaded = raw_rows(con, TMS, SHIPMENTS, "shipment_id, delivery_numbers")
    assert loaded == [
        (json_row(SHIPMENTS, 1)["shipment_id"], ["0080012345"]),
        (json_row(SHIPMENTS, 12)["shipment_id"], ["0080012345"]),
    ]
    (file,) = result.files
    assert (file.rows_read, file.rows_loaded, file.rows_rejected) == (12, 2, 10)


def _scrap(i, **values):
    record = {
        "scrap_id": f"SC-{i:04d}",
        "production_order_id": "WO-1",
        "quantity": Decimal("1.000"),
        "reason_code": "SOLDER",
        "cost_amount": Decimal("812.40"),
        "currency": "CNY",
        "recorded_at": dt.datetime(2025, 4, 11, 8, tzinfo=dt.UTC),
    }
    return record | values


def test_parquet_rows_breaking_each_rule_are_quarantined_with_their_row_number(con, landing):
    rows = [
        _scrap(1),
        _scrap(2, scrap_id=None),
        _scrap(3, quantity=Decimal("-1.000")),
        _scrap(4, reason_code="ZZZ"),
        _scrap(1),
        _scrap(6, recorded_at=dt.datetime(1899, 12, 31, tzinfo=dt.UTC)),
        _scrap(7),
    ]
    landing.parquet(MES, SCRAP, parquet_table(SCRAP, rows))
    result = load(con, landing, MES, SCRAP)
    found = rejects(con, MES, SCRAP)
    assert [(r["line_number"], r["rule"]) for r in found] == [
        (2, Rule.MISSING_KEY),
        (3, Rule.NEGATIVE_VALUE),
        (4, Rule.UNKNOWN_CODE),
        (5, Rule.DUPLICATE_KEY),
        (6, Rule.DATE_OUT_OF_RANGE),
    ]
    assert '"reason_code":"ZZZ"' in found[2]["raw_line"]
    assert "already appears on line 1" in found[3]["reason"]
    assert raw_rows(con, MES, SCRAP, "scrap_id") == [("SC-0001",), ("SC-0007",)]
    assert result.files[0].rows_read == 7


def test_a_parquet_column_of_the_wrong_type_rejects_the_rows_that_do_not_convert(con, landing):
    rows = [_scrap(1, quantity="2.5"), _scrap(2, quantity="abc")]
    landing.parquet(MES, SCRAP, parquet_table(SCRAP, rows, quantity=pa.string()))
    load(con, landing, MES, SCRAP)
    assert raw_rows(con, MES, SCRAP, "scrap_id, quantity") == [("SC-0001", Decimal("2.500"))]
    (reject,) = rejects(con, MES, SCRAP)
    assert reject["rule"] == Rule.UNPARSABLE_NUMBER
    assert reject["reason"].startswith("quantity is 'abc'; expected a number")


@pytest.mark.parametrize("system, entity", [(ERP, LINES), (TMS, SHIPMENTS)])
def test_rows_rejected_in_this_run_warn_but_do_not_block(con, landing, system, entity):
    if system.format == "csv":
        landing.csv(system, entity, [row(entity, 1), row(entity, 2, currency="ZZZ")])
    else:
        landing.jsonl(system, entity, [json_row(entity, 1), "{"])
    result = load(con, landing, system, entity, run_id="run-1")
    verdict = ledger_verdict(con, system, entity, run_id="run-1")
    assert not verdict.blocking and not verdict.passed
    assert verdict.run_rows_rejected == result.rows_rejected == 1
    assert ledger_verdict(con, system, entity, run_id="run-2").passed


def test_a_key_repeated_three_times_keeps_the_first_and_rejects_the_others(con, landing):
    customers = ERP.entity("customers")
    rows = [row(customers, 1), row(customers, 2), row(customers, 1, city="A"), row(customers, 1)]
    landing.csv(ERP, customers, rows)
    load(con, landing, ERP, customers)
    assert raw_rows(con, ERP, customers, "customer_number, city") == [
        ("0000010001", "深圳"),
        ("0000010002", "深圳"),
    ]
    found = rejects(con, ERP, customers)
    assert [(r["line_number"], r["rule"]) for r in found] == [
        (4, Rule.DUPLICATE_KEY),
        (5, Rule.DUPLICATE_KEY),
    ]
    assert all("already appears on line 2" in r["reason"] for r in found)


@pytest.mark.parametrize("own_scan", [False, True], ids=["one scan", "a scan per file"])
def test_line_numbers_stay_physical_across_many_rejected_lines_in_several_files(
    con, landing, monkeypatch, own_scan
):
    """Lines the reader rejects anywhere in long files (first line, runs of them, the last line)
    move the rows after them down: a row breaking a value rule, or repeating a key, further on
    is still reported at its own physical line, and so is the first occurrence it repeats;
    whether the files are read in one scan or (large files) each in a scan of its own."""
    if own_scan:
        monkeypatch.setattr(stage, "_OWN_SCAN_BYTES", 1)
    broken = {2, 3, 66, 67, 68, 130, 200, 263}  # physical lines; 263 is the last line
    unknown_code, repeated, repeat = 150, 100, 250  # line 250 repeats the key of line 100
    expected, expected_rejects = set(), {}
    for batch, first in ((BATCH, 0), ("2026-01-16", 1000)):
        lines = []
        for line in range(2, 264):
            item = row(LINES, first + (repeated if line == repeat else line))
            if line in broken:
                lines.append(csv_line(ERP, [item[n] for n in LINES.column_names] + ["extra"]))
                expected_rejects[(batch, line)] = (Rule.WRONG_COLUMN_COUNT, "expected 13")
            elif line == unknown_code:
                lines.append(item | {"currency": "ZZZ"})
                expected_rejects[(batch, line)] = (Rule.UNKNOWN_CODE, "currency is 'ZZZ'")
            elif line == repeat:
                lines.append(item)
                expected_rejects[(batch, line)] = (Rule.DUPLICATE_KEY, f"on line {repeated} ")
            else:
                lines.append(item)
                expected.add((batch, item["order_number"], int(item["line_number"])))
        landing.csv(ERP, LINES, lines, batch=batch)
    load(con, landing, ERP, LINES)
    assert set(raw_rows(con, ERP, LINES, "_batch, order_number, line_number")) == expected
    found = {(r["batch"], r["line_number"]): r for r in rejects(con, ERP, LINES)}
    assert set(found) == set(expected_rejects)
    for place, (rule, reason) in expected_rejects.items():
        assert found[place]["rule"] == rule and reason in found[place]["reason"], place
