"""Loading exports into raw tables by the contract."""

import duckdb
import pandas as pd
import pytest

from dagster_project.contracts import CRM, ERP, SYSTEMS
from dagster_project.lib.ingest import ExportFileError, load_entity


@pytest.fixture
def con(tmp_path):
    with duckdb.connect(str(tmp_path / "build.duckdb")) as connection:
        yield connection


def test_every_row_of_every_file_is_loaded(demo, con):
    for system in SYSTEMS:
        for entity in system.entities:
            loaded = load_entity(con, demo.landing_dir, system, entity)
            key = f"{system.name}/{demo.truth['batch']}/{system.file_name(entity)}"
            assert loaded.rows == demo.truth["rows_by_file"][key], key
            assert con.execute(f"select count(*) from {loaded.table}").fetchone()[0] == loaded.rows


def test_types_come_from_the_contract_not_from_sniffing(demo, con):
    load_entity(con, demo.landing_dir, ERP, ERP.entity("customers"))
    load_entity(con, demo.landing_dir, CRM, CRM.entity("opportunities"))
    types = dict(con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_name in ('erp__customers', 'crm__opportunities')"
    ).fetchall())
    assert types["customer_number"] == "VARCHAR"  # digits with leading zeros stay text
    assert types["created_on"] == "DATE"  # from YYYYMMDD
    assert types["CreatedDate"] == "TIMESTAMP WITH TIME ZONE"
    assert types["Amount"] == "DECIMAL(18,2)"
    assert con.execute("select min(customer_number) from raw.erp__customers").fetchone()[0] == "0000010001"


def test_gb18030_names_arrive_intact(demo, con):
    load_entity(con, demo.landing_dir, ERP, ERP.entity("customers"))
    (path,) = demo.landing_dir.glob("erp/*/customers.csv")
    expected = pd.read_csv(path, encoding="gb18030", dtype=str)["customer_name"].tolist()
    loaded = [row[0] for row in con.execute(
        "select customer_name from raw.erp__customers order by customer_number").fetchall()]
    assert loaded == expected
    assert sum("有限公司" in name for name in loaded) > len(loaded) / 2


def test_a_file_in_the_wrong_encoding_is_named_in_the_error(tmp_path, con):
    folder = tmp_path / "landing" / "erp" / "2026-01-01"
    folder.mkdir(parents=True)
    header = ",".join(ERP.entity("customers").column_names)
    (folder / "customers.csv").write_bytes((header + "\n").encode() + b"0000000001,\xff\xfe bad\n")
    with pytest.raises(ExportFileError, match="customers.csv: byte .* is not valid gb18030"):
        load_entity(con, tmp_path / "landing", ERP, ERP.entity("customers"))


def test_an_entity_without_files_gets_an_empty_table(tmp_path, con):
    loaded = load_entity(con, tmp_path / "empty", CRM, CRM.entity("accounts"))
    assert loaded.rows == 0
    assert con.execute("select count(*) from raw.crm__accounts").fetchone()[0] == 0
