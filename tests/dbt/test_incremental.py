"""Nightly incremental runs give exactly the tables a full refresh gives.

The demo exports are replayed night by night: the initial extract and all but the last two
nightly folders are ingested and built from scratch, then each remaining night is ingested
and built incrementally (the large facts replace only new and changed rows). The result is
compared, table by table and row by row, with a full refresh built from all the exports.
The nights carry corrections, late lines, completed work orders, new payments and cases, so
the incremental logic is exercised where it is hard: costs that move between rows. One night
also corrects a product's net weight, which moves the freight shares of lines shipped long
before the look-back window.
"""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.contracts import ERP, SYSTEMS
from dagster_project.defs.dbt.assets import NIGHTLY_BUILD_ARGS
from tests.dbt.dbt_cli import ingest, run_dbt

pytestmark = pytest.mark.slow

MODELS_ONLY = ("--exclude", "resource_type:test", "resource_type:unit_test")
INCREMENTAL_FACTS = (
    "fct_order_lines",
    "fct_production_orders",
    "fct_shipments",
    "fct_invoices",
    "fct_payments",
    "fct_opportunities",
)


def _dbt(database: Path, work_dir: Path, command: str, *args: str) -> None:
    result = run_dbt(database, work_dir, command, *args)
    assert result.returncode == 0, result.stdout[-5000:]


def _tables_updated_in_place(work_dir: Path) -> set[str]:
    """The tables a dbt run updated in place (rather than rebuilt), from its debug log: an
    incremental run deletes the recomputed keys, then inserts their rows."""
    log = (work_dir / "logs" / "dbt.log").read_text()
    return {
        table for table in INCREMENTAL_FACTS if f'delete from "nightly"."marts"."{table}"' in log
    }


def _copy_batch(source: Path, target: Path, batch: str) -> None:
    for system in SYSTEMS:
        shutil.copytree(source / system.name / batch, target / system.name / batch)


def _redeliver_without_last_record(export: Path) -> None:
    """A corrected file sent again for an earlier night: one of its records is gone."""
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    export.write_text("".join(lines[:-1]), encoding="utf-8")


def _correct_net_weight(batch_dir: Path, product_number: str) -> Decimal:
    """The ERP corrects a product's net weight in a night's master export (changed_on kept,
    as a careless correction would); returns the new weight."""
    products_csv = batch_dir / ERP.file_name(ERP.entity("products"))
    text = products_csv.read_text(encoding=ERP.encoding)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=ERP.delimiter))
    weight_column = rows[0].index("net_weight_kg")
    (row,) = [row for row in rows[1:] if row[0] == product_number]
    row[weight_column] = str(Decimal(row[weight_column]) + Decimal("0.250"))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=ERP.delimiter, lineterminator="\n").writerows(rows)
    products_csv.write_text(out.getvalue(), encoding=ERP.encoding)
    return Decimal(row[weight_column])


def _comparable_columns(
    con: duckdb.DuckDBPyConnection, table: str, skip: set[str] | frozenset[str] = frozenset()
) -> str:
    """Every column but the load timestamp, which differs between two ingests of one file."""
    schema, name = table.split(".")
    columns = con.execute(
        "select column_name from information_schema.columns where table_catalog = 'nightly' "
        "and table_schema = ? and table_name = ? and column_name <> 'source_loaded_at' "
        "order by ordinal_position",
        [schema, name],
    ).fetchall()
    return ", ".join(f'"{column}"' for (column,) in columns if column not in skip)


def test_incremental_nights_equal_a_full_refresh(demo, tmp_path):
    batches = sorted(folder.name for folder in (demo.landing_dir / "erp").iterdir())
    landing = tmp_path / "landing"
    nightly = tmp_path / "nightly.duckdb"

    for batch in batches[:-2]:
        _copy_batch(demo.landing_dir, landing, batch)
    ingest(landing, nightly)
    _dbt(nightly, tmp_path / "first", "build", *MODELS_ONLY)
    with duckdb.connect(str(nightly), read_only=True) as con:
        # a product delivered a few times, weeks before the look-back window too
        ((reweighed_product,),) = con.execute(
            "select product_number from staging.stg_erp__deliveries group by product_number "
            "having count(*) >= 5 and min(goods_issue_date) < max(goods_issue_date) - 30 "
            "order by count(*), product_number limit 1"
        ).fetchall()
    for night, batch in enumerate(batches[-2:]):
        _copy_batch(demo.landing_dir, landing, batch)
        if night == 0:
            new_weight = _correct_net_weight(landing / ERP.name / batch, reweighed_product)
        if night == 1:
            _redeliver_without_last_record(landing / "tms" / batches[-3] / "tracking_events.jsonl")
        ingest(landing, nightly)
        with duckdb.connect(str(nightly)) as con:
            con.execute("create or replace table main.lines_before as from marts.fct_order_lines")
            if night == 0:
                # as if a release added the column: the night appends it and fills every row
                con.execute("alter table marts.fct_invoices drop column days_overdue")
        # the last night runs as the nightly job does: every data test too
        night_args = MODELS_ONLY if night == 0 else NIGHTLY_BUILD_ARGS[1:]
        _dbt(nightly, tmp_path / f"night{night}", "build", *night_args)
        # incremental indeed: the facts were updated in place, and the night changed a few lines
        assert _tables_updated_in_place(tmp_path / f"night{night}") == set(INCREMENTAL_FACTS)
        with duckdb.connect(str(nightly)) as con:
            ((changed, lines),) = con.execute(
                "select (select count(*) from (from marts.fct_order_lines except all "
                "from main.lines_before)), (select count(*) from marts.fct_order_lines)"
            ).fetchall()
            con.execute("drop table main.lines_before")
            invoice_columns = {
                row[0] for row in con.execute("describe marts.fct_invoices").fetchall()
            }
        assert 0 < changed < lines / 4
        if night == 0:
            with duckdb.connect(str(nightly), read_only=True) as con:
                weights = con.execute(
                    "select distinct product_net_weight_kg "
                    "from intermediate.int_order_lines_shipped where product_number = ?",
                    [reweighed_product],
                ).fetchall()
            # every line of the product was weighed again, those shipped weeks ago included
            assert weights == [(new_weight,)]
            # the next night recomputes everything (a re-delivered file): compare this one now;
            # the column a release appended fills as rows are recomputed (docs/model.md)
            _assert_same_as_full_refresh(
                nightly,
                landing,
                tmp_path / "full_after_night0",
                skip={"marts.fct_invoices": {"days_overdue", "change_hash"}},
            )
        # its values are compared with the full refresh's below, with every other column
        assert "days_overdue" in invoice_columns

    # the first build compacted the tables; the nights within compact_every_days skip it
    with duckdb.connect(str(nightly), read_only=True) as con:
        compacted = con.execute(
            "select compacted from meta.dbt_builds order by started_at"
        ).fetchall()
    assert compacted == [(True,), (False,), (False,)]

    _assert_same_as_full_refresh(nightly, landing, tmp_path / "full")


def _assert_same_as_full_refresh(
    nightly: Path, landing: Path, work_dir: Path, skip: dict[str, set[str]] | None = None
) -> None:
    """Every staging and marts table of `nightly` holds the rows a full refresh of the same
    exports gives (`skip`: columns of a table left out of the comparison)."""
    work_dir.mkdir()
    full = work_dir / "full.duckdb"
    ingest(landing, full)  # the same exports, a re-delivered file included
    _dbt(
        full,
        work_dir,
        "build",
        "--full-refresh",
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
    )

    with duckdb.connect(str(nightly), read_only=True) as con:
        con.execute(f"attach '{full}' as full_refresh (read_only)")
        tables = [
            f"{schema}.{table}"
            for schema, table in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_catalog = 'nightly' and table_schema in ('staging', 'marts') "
                "order by 1, 2"
            ).fetchall()
        ]
        assert {f"marts.{fact}" for fact in INCREMENTAL_FACTS} <= set(tables)
        for table in tables:
            columns = _comparable_columns(con, table, (skip or {}).get(table, set()))
            ((only_nightly, only_full, rows),) = con.execute(
                f"""
                select
                    (select count(*) from (select {columns} from nightly.{table}
                        except all select {columns} from full_refresh.{table})),
                    (select count(*) from (select {columns} from full_refresh.{table}
                        except all select {columns} from nightly.{table})),
                    (select count(*) from nightly.{table})
                """
            ).fetchall()
            assert (only_nightly, only_full) == (0, 0), table
            assert rows > 0, table
