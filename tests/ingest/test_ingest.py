"""Loading is idempotent and incremental: the same folder twice changes nothing, a corrected file
replaces its rows, a new folder is read alone, an incomplete folder waits for `_SUCCESS`."""

import os
import time

import pytest

from dagster_project.contracts import CRM, ERP, SYSTEMS
from dagster_project.lib import ingest
from dagster_project.lib.ingest import METADATA_COLUMNS, ledger_verdict, load_entity
from dagster_project.lib.ingest.landing import complete_batches
from tests.ingest.conftest import BATCH, load, raw_rows, rejects, row

LINES = ERP.entity("sales_order_lines")
CUSTOMERS = ERP.entity("customers")
ACCOUNTS = CRM.entity("accounts")
DAY_2 = "2026-01-16"


def _tables(con):
    """Everything ingest wrote, for comparing two states."""
    return {
        "raw": raw_rows(con, ERP, LINES),
        "rejects": rejects(con, ERP, LINES),
        "loads": con.execute(
            "select source_file, sha256, rows_read, rows_loaded, rows_rejected, status "
            "from raw._loads order by all"
        ).fetchall(),
    }


def test_loading_the_same_folder_twice_changes_nothing(con, landing):
    landing.csv(ERP, LINES, [row(LINES, 1), row(LINES, 2), row(LINES, 3, currency="ZZZ")])
    first = load(con, landing, ERP, LINES)
    before = _tables(con)
    second = load(con, landing, ERP, LINES)
    assert (first.files_loaded, first.rows_loaded, first.rows_rejected) == (1, 2, 1)
    assert (second.files_loaded, second.files_skipped, second.rows_loaded) == (0, 1, 0)
    assert second.files == []  # unchanged and untouched: not even read
    assert _tables(con) == before


def test_a_rewritten_but_identical_file_is_read_skipped_and_noted(con, landing):
    path = landing.csv(ERP, LINES, [row(LINES, 1)])
    load(con, landing, ERP, LINES)
    before = _tables(con)["raw"]
    time.sleep(0.01)
    path.write_bytes(path.read_bytes())  # same bytes, new modification time
    second = load(con, landing, ERP, LINES)
    (skipped,) = second.files
    assert skipped.status == "skipped_unchanged" and "same sha256" in skipped.message
    assert raw_rows(con, ERP, LINES) == before
    assert ledger_verdict(con, ERP, LINES).passed


def test_verify_checksums_rereads_every_file_but_loads_nothing_unchanged(con, landing):
    landing.csv(ERP, LINES, [row(LINES, 1)])
    load(con, landing, ERP, LINES)
    again = load(con, landing, ERP, LINES, verify_checksums=True)
    assert [f.status for f in again.files] == ["skipped_unchanged"]


def test_a_corrected_file_replaces_its_rows_and_rejects(con, landing):
    path = landing.csv(ERP, LINES, [row(LINES, 1), row(LINES, 2, quantity="-4.000")])
    landing.csv(ERP, LINES, [row(LINES, 9)], batch=DAY_2)
    load(con, landing, ERP, LINES)
    assert [r["rule"] for r in rejects(con, ERP, LINES)] == ["negative_value"]

    time.sleep(0.01)
    landing.csv(ERP, LINES, [row(LINES, 1, quantity="7.000"), row(LINES, 2, quantity="4.000")])
    result = load(con, landing, ERP, LINES)
    assert [(f.source_file, f.status) for f in result.files] == [(str(path), "loaded")]
    quantities = raw_rows(con, ERP, LINES, "_batch, line_number, cast(quantity as VARCHAR)")
    assert quantities == [(BATCH, 10, "7.000"), (BATCH, 20, "4.000"), (DAY_2, 90, "40.000")]
    assert rejects(con, ERP, LINES) == []
    history = con.execute(
        "select rows_loaded, rows_rejected from raw._loads where source_file = ? "
        "order by finished_at",
        [str(path)],
    ).fetchall()
    assert history == [(1, 1), (2, 0)]
    assert not ledger_verdict(con, ERP, LINES).blocking


def test_day_two_loads_only_day_twos_files(con, landing, monkeypatch):
    landing.csv(ERP, LINES, [row(LINES, 1), row(LINES, 2)])
    load(con, landing, ERP, LINES, run_id="day-1")
    landing.csv(ERP, LINES, [row(LINES, 3)], batch=DAY_2)
    read = []
    real = ingest.load.fingerprint
    monkeypatch.setattr(
        ingest.load, "fingerprint", lambda path, *a: read.append(path) or real(path, *a)
    )
    result = load(con, landing, ERP, LINES, run_id="day-2")
    assert [p.parent.name for p in read] == [DAY_2]  # day 1 is not even read again
    assert [f.batch for f in result.files] == [DAY_2]
    assert raw_rows(con, ERP, LINES, "_batch, count(*) over (partition by _batch)") == [
        (BATCH, 2),
        (BATCH, 2),
        (DAY_2, 1),
    ]
    runs = con.execute("select batch, run_id from raw._loads order by batch").fetchall()
    assert runs == [(BATCH, "day-1"), (DAY_2, "day-2")]


def test_an_incomplete_folder_waits_for_its_success_marker(con, landing):
    landing.csv(ERP, LINES, [row(LINES, 1)], complete=False)
    waiting = load(con, landing, ERP, LINES)
    assert (waiting.files, waiting.incomplete_batches) == ([], [BATCH])
    assert complete_batches(landing.root) == []
    landing.complete(ERP)
    done = load(con, landing, ERP, LINES)
    assert (done.files_loaded, done.rows_loaded, done.incomplete_batches) == (1, 1, [])
    assert complete_batches(landing.root) == [f"erp/{BATCH}"]


def test_folders_that_are_not_batches_are_ignored(con, landing):
    landing.csv(ERP, LINES, [row(LINES, 1)], batch="latest")
    result = load(con, landing, ERP, LINES)
    assert (result.files, result.ignored_folders) == ([], ["latest"])


def test_snapshots_and_deltas_keep_every_batch_in_raw(con, landing):
    for batch in (BATCH, DAY_2):
        landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 1), row(CUSTOMERS, 2)], batch=batch)
        landing.csv(ERP, LINES, [row(LINES, 1, line_status="OPEN")], batch=batch)
    load(con, landing, ERP, CUSTOMERS)
    load(con, landing, ERP, LINES)
    assert [b for (b,) in raw_rows(con, ERP, CUSTOMERS, "_batch")] == [BATCH, BATCH, DAY_2, DAY_2]
    assert [b for (b,) in raw_rows(con, ERP, LINES, "_batch")] == [BATCH, DAY_2]


def test_every_raw_table_exists_with_contract_columns_and_metadata_even_without_files(
    con, tmp_path
):
    for system in SYSTEMS:
        for entity in system.entities:
            result = load_entity(con, tmp_path / "nothing", system, entity)
            assert result.files == [] and result.rows_loaded == 0
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() "
                "where schema_name = 'raw' and table_name = ? order by column_index",
                [system.raw_table(entity)],
            ).fetchall()
            assert [name for name, _ in columns] == entity.column_names + list(METADATA_COLUMNS)
    types = dict(
        con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where table_name in ('erp__customers', 'crm__opportunities', 'tms__shipments')"
        ).fetchall()
    )
    assert types["customer_number"] == "VARCHAR"  # digits with leading zeros stay text
    assert types["created_on"] == "DATE"
    assert types["CreatedDate"] == "TIMESTAMP WITH TIME ZONE"
    assert types["Amount"] == "DECIMAL(18,2)"
    assert types["delivery_numbers"] == "VARCHAR[]"
    assert con.execute("select count(*) from raw._loads").fetchone() == (0,)


def test_a_raw_table_that_no_longer_matches_the_contract_is_rebuilt_and_reloaded(con, landing):
    landing.csv(ERP, LINES, [row(LINES, 1), row(LINES, 2)])
    load(con, landing, ERP, LINES)
    # As an older loader wrote it: with the line of every row.
    con.execute("alter table raw.erp__sales_order_lines add column _line_number BIGINT")
    result = load(con, landing, ERP, LINES)
    assert result.reset and result.rows_loaded == 2
    assert len(raw_rows(con, ERP, LINES)) == 2
    assert con.execute("select count(*) from raw._loads").fetchone() == (1,)


@pytest.mark.parametrize("system, entity", [(ERP, CUSTOMERS), (CRM, ACCOUNTS)])
def test_a_file_modified_within_the_same_second_is_still_reloaded(con, landing, system, entity):
    # Same size, new content, modification time forced back to before the first load.
    path = landing.csv(system, entity, [row(entity, 1)])
    stat = path.stat()
    load(con, landing, system, entity)
    data = path.read_bytes().replace(b"0001", b"0002")
    path.write_bytes(data)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    # Unchanged by size and time: trusted without re-reading, unless checksums are verified.
    assert load(con, landing, system, entity).files == []
    result = load(con, landing, system, entity, verify_checksums=True)
    assert [f.status for f in result.files] == ["loaded"]
    (key,) = raw_rows(con, system, entity, entity.primary_key[0])
    assert key[0].endswith("0002")


def test_a_whole_ingest_opens_the_warehouse_with_the_build_s_memory_limit(
    landing, tmp_path, monkeypatch
):
    # load_all (tests and benchmarks) must run the ingest as the Dagster assets do
    monkeypatch.setenv("PROFITLENS_DUCKDB_MEMORY_LIMIT", "512MB")
    limits = []
    connect_build = ingest.load.connect_build

    def connect_and_record(settings, path=None):
        connection = connect_build(settings, path)
        limits.append(connection.execute("select current_setting('memory_limit')").fetchone()[0])
        return connection

    monkeypatch.setattr(ingest.load, "connect_build", connect_and_record)
    landing.csv(ERP, LINES, [row(LINES, 1), row(LINES, 2)])

    loads = ingest.load_all(tmp_path / "whole.duckdb", landing.root)

    assert len(limits) == sum(len(system.entities) for system in SYSTEMS)
    assert set(limits) == {"488.2 MiB"}  # 512 MB as DuckDB reports it
    assert sum(entity_load.rows_loaded for entity_load in loads) == 2
