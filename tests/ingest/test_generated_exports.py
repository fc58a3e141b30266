"""A whole generated dataset with the default mess: ingest rejects exactly the rows the generator
broke on purpose, file by file and rule by rule, and loads every other row."""

import csv
from pathlib import Path

import duckdb
import pytest

from dagster_project.contracts import ERP, SYSTEMS
from dagster_project.lib.ingest import ledger_verdict, load_entity

pytestmark = pytest.mark.slow  # generates the demo dataset (shared with other tests)


@pytest.fixture(scope="module")
def loaded(demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("ingest") / "build.duckdb"
    with duckdb.connect(str(path)) as con:
        results = [
            load_entity(con, demo.landing_dir, system, entity, run_id="demo")
            for system in SYSTEMS
            for entity in system.entities
        ]
        verdicts = [ledger_verdict(con, s, e) for s in SYSTEMS for e in s.entities]
    with duckdb.connect(str(path), read_only=True) as con:
        yield con, results, verdicts


def _by_file(con, sql: str, landing: Path) -> dict[str, int]:
    return {
        Path(source).relative_to(landing.resolve()).as_posix(): n
        for source, n in con.execute(sql).fetchall()
    }


def test_rejected_rows_are_exactly_the_generators_malformed_rows(demo, loaded):
    con, results, verdicts = loaded
    rejected = _by_file(
        con, "select source_file, count(*) from raw._rejects group by 1", demo.landing_dir
    )
    expected = {k: n for k, n in demo.truth["malformed_rows_by_file"].items() if n}
    assert rejected == expected


def test_each_malformed_row_is_rejected_for_the_rule_it_breaks(demo, loaded):
    con, _, _ = loaded
    by_rule = dict(con.execute("select rule, count(*) from raw._rejects group by 1").fetchall())
    expected = dict(demo.truth["malformed_rows_by_rule"])
    # A number written unquoted with a thousands separator ("...,1,234.50,...") splits into two
    # fields: the line has one field too many, whatever was meant. (The generator means an
    # unparsable number; quoted, it would be one.)
    split = _unquoted_number_with_comma(demo.landing_dir)
    expected["unparsable_number"] -= split
    expected["wrong_column_count"] = expected.get("wrong_column_count", 0) + split
    assert by_rule == {rule: n for rule, n in expected.items() if n}


def test_every_row_of_every_file_is_read_and_the_ledgers_balance(demo, loaded):
    con, results, verdicts = loaded
    read = _by_file(con, "select source_file, rows_read from raw._loads", demo.landing_dir)
    assert read == demo.truth["rows_by_file"]
    for verdict in verdicts:
        assert not verdict.blocking, verdict.summary()
    assert sum(r.files_rejected for r in results) == 0
    loaded_rows = sum(r.rows_loaded for r in results)
    malformed = sum(demo.truth["malformed_rows_by_file"].values())
    assert loaded_rows == sum(demo.truth["rows_by_file"].values()) - malformed


def test_gb18030_names_arrive_as_the_generator_wrote_them(demo, loaded):
    con, _, _ = loaded
    customers = ERP.entity("customers")
    (path,) = demo.landing_dir.glob(f"erp/{demo.truth['batches'][-1]}/customers.csv")
    with path.open(encoding="gb18030", newline="") as handle:
        written = {
            r["customer_number"]: r["customer_name"]
            for r in csv.DictReader(handle)
            if r["customer_number"]
        }
    loaded_names = dict(
        con.execute(
            f"select customer_number, customer_name from raw.{ERP.raw_table(customers)} "
            "where _load_id in (select load_id from raw._loads where source_file = ?)",
            [str(path.resolve())],
        ).fetchall()
    )
    assert loaded_names.items() <= written.items()
    assert len(loaded_names) >= len(written) - demo.truth["malformed_rows_by_file"].get(
        path.relative_to(demo.landing_dir).as_posix(), 0
    )
    assert sum("有限公司" in name for name in loaded_names.values()) > len(loaded_names) / 3


def _unquoted_number_with_comma(landing: Path) -> int:
    count = 0
    for system in SYSTEMS:
        if system.format != "csv":
            continue
        for path in landing.glob(f"{system.name}/*/*.csv"):
            text = path.read_text(encoding=system.encoding)
            count += text.count(",1,234.50,") + text.count(",1,234.50\n")
    return count
