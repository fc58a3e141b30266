"""Publishing lets a snapshot go live only when it holds the whole star schema."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.defs.dbt.resources import ensure_manifest
from dagster_project.lib.publish import PublishError, mart_tables, publish
from dagster_project.lib.settings import DBT_PROJECT_DIR


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_required_tables_are_every_mart_of_the_dbt_project() -> None:
    marts_folder = DBT_PROJECT_DIR / "models" / "marts"
    models = {f"marts.{sql.stem}" for sql in marts_folder.rglob("*.sql")}

    required = mart_tables(ensure_manifest())

    assert set(required) == models
    # the star schema, at least: the central fact and the conformed dimensions
    assert {"marts.fct_order_lines", "marts.dim_customers", "marts.dim_products"} <= models
    assert sum(table.startswith("marts.fct_") for table in required) >= 7


def test_without_a_dbt_manifest_nothing_is_published(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="cannot read the dbt manifest"):
        mart_tables(tmp_path / "manifest.json")


@pytest.fixture
def live(published_warehouse: Path, tmp_path: Path) -> Path:
    """Yesterday's good snapshot, live in a warehouse folder of the test's own."""
    published = tmp_path / "warehouse" / "profitlens.duckdb"
    published.parent.mkdir()
    shutil.copy(published_warehouse, published)
    return published


def build_with(published_warehouse: Path, tmp_path: Path, change: str) -> Path:
    """Tonight's build file: the demo warehouse with one thing broken by `change` (SQL)."""
    build = tmp_path / "build" / "profitlens_build.duckdb"
    build.parent.mkdir(exist_ok=True)
    shutil.copy(published_warehouse, build)
    with duckdb.connect(str(build)) as connection:
        connection.execute(change)
    return build


@pytest.mark.slow
def test_a_build_missing_any_mart_is_not_published(
    published_warehouse: Path, live: Path, tmp_path: Path
) -> None:
    required = mart_tables(ensure_manifest())
    before = sha256(live)

    for table in required:
        build = build_with(published_warehouse, tmp_path, f"drop table {table}")

        with pytest.raises(PublishError, match=f"lacks {table} "):
            publish(build, live, required)

        assert sha256(live) == before, table
        assert [path.name for path in live.parent.iterdir()] == [live.name], table


@pytest.mark.slow
@pytest.mark.parametrize("table", ["marts.fct_order_lines", "marts.dim_products"])
def test_a_build_with_no_order_lines_or_an_empty_dimension_is_not_published(
    published_warehouse: Path, live: Path, tmp_path: Path, table: str
) -> None:
    required = mart_tables(ensure_manifest())
    before = sha256(live)
    build = build_with(published_warehouse, tmp_path, f"delete from {table}")

    with pytest.raises(PublishError, match=f"{table} is empty"):
        publish(build, live, required)

    assert sha256(live) == before


@pytest.mark.slow
def test_a_complete_build_is_published_even_with_a_fact_that_has_no_rows_yet(
    published_warehouse: Path, live: Path, tmp_path: Path
) -> None:
    # A company that does not log service cases in the CRM has none; that is no broken build.
    required = mart_tables(ensure_manifest())
    build = build_with(published_warehouse, tmp_path, "delete from marts.fct_cases")

    result = publish(build, live, required)

    assert result.rows_by_table["marts.fct_cases"] == 0
    assert set(result.rows_by_table) == set(required)
    with duckdb.connect(str(live), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.fct_cases").fetchall() == [(0,)]
