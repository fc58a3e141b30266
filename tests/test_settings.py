"""Settings are validated once, in the settings module, and dbt gets them from there."""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.defs.dbt.resources import DBT_EXECUTABLE, dbt_environment
from dagster_project.lib import memory
from dagster_project.lib.settings import DBT_PROJECT_DIR, load_settings
from tests.dbt.dbt_cli import run_dbt

COST_VARIABLES = ("PROFITLENS_COST_PER_CASE", "PROFITLENS_COST_PER_CASE_HOUR")
MEMORY_LIMIT = "PROFITLENS_DUCKDB_MEMORY_LIMIT"


@pytest.fixture(autouse=True)
def no_local_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in (*COST_VARIABLES, MEMORY_LIMIT):
        monkeypatch.delenv(variable, raising=False)


def duckdb_size_bytes(text: str) -> int:
    """A size as DuckDB reports a setting (e.g. '7.4 GiB'), in bytes."""
    number, unit = text.split()
    powers = {"bytes": 0, "KiB": 1, "MiB": 2, "GiB": 3, "TiB": 4, "PiB": 5}
    return round(float(number) * 1024 ** powers[unit])


def duckdb_memory_limit_bytes(limit: str) -> int:
    """What DuckDB makes of a memory_limit setting, in bytes."""
    with duckdb.connect(config={"memory_limit": limit}) as connection:
        return duckdb_size_bytes(
            connection.execute("select current_setting('memory_limit')").fetchall()[0][0]
        )


@pytest.mark.parametrize(
    ("memory_bytes", "expected"),
    [(16 * 2**30, "10GB"), (64 * 10**9, "38GB"), (10**9, "600MB"), (None, "60%")],
)
def test_the_memory_limit_defaults_to_a_share_of_the_machine_s_memory(
    monkeypatch: pytest.MonkeyPatch, memory_bytes: int | None, expected: str
) -> None:
    monkeypatch.setattr(memory, "available_memory_bytes", lambda: memory_bytes)

    assert load_settings().duckdb_memory_limit == expected
    assert dbt_environment()[MEMORY_LIMIT] == expected


def test_the_default_memory_limit_on_this_machine_is_about_60_percent_of_it() -> None:
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    available = memory.available_memory_bytes()  # a container's limit may be lower

    limit = load_settings().duckdb_memory_limit

    assert available is not None and available <= physical
    assert limit.endswith(("GB", "MB"))
    assert 0.5 * available <= duckdb_memory_limit_bytes(limit) <= 0.6 * available


@pytest.mark.parametrize(
    ("value", "expected"),
    [("8GB", "8GB"), (" 12 gb ", "12GB"), ("1.5GiB", "1.5GiB"), ("512mb", "512MB"), ("40%", "40%")],
)
def test_a_memory_limit_set_in_the_environment_wins_and_duckdb_takes_it(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    monkeypatch.setenv(MEMORY_LIMIT, value)

    assert load_settings().duckdb_memory_limit == expected
    assert dbt_environment()[MEMORY_LIMIT] == expected
    assert duckdb_memory_limit_bytes(expected) > 0


@pytest.mark.parametrize("value", ["8", "eight GB", "0GB", "-1GB", "8 GBs", "150%", "8GB; x"])
def test_a_memory_limit_that_is_not_a_size_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(MEMORY_LIMIT, value)

    with pytest.raises(ValueError, match=f"^{MEMORY_LIMIT}=.* is not a memory size; .* 8GB"):
        load_settings()


def test_case_costs_default_to_the_documented_cny_figures() -> None:
    settings = load_settings()

    assert (settings.cost_per_case, settings.cost_per_case_hour) == (1200, 40)
    assert dbt_environment()["PROFITLENS_COST_PER_CASE"] == "1200"
    assert dbt_environment()["PROFITLENS_COST_PER_CASE_HOUR"] == "40"


@pytest.mark.parametrize(
    ("value", "expected", "passed_to_dbt"),
    [("35.5", "35.5", "35.5"), (" 0 ", "0", "0"), ("1.5E+2", "150", "150"), ("-0", "0", "0")],
)
def test_case_costs_accept_non_negative_numbers(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: str, passed_to_dbt: str
) -> None:
    for variable in COST_VARIABLES:
        monkeypatch.setenv(variable, value)

    settings = load_settings()

    assert settings.cost_per_case == settings.cost_per_case_hour == Decimal(expected)
    assert dbt_environment()["PROFITLENS_COST_PER_CASE"] == passed_to_dbt
    assert dbt_environment()["PROFITLENS_COST_PER_CASE_HOUR"] == passed_to_dbt


@pytest.mark.parametrize("variable", COST_VARIABLES)
@pytest.mark.parametrize("value", ["-1", "abc", "12 CNY", "1,200", "NaN", "Infinity", "1) or (1"])
def test_a_case_cost_that_is_not_a_non_negative_number_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ValueError, match=f"^{variable}=.* is not a non-negative number"):
        load_settings()
    with pytest.raises(ValueError, match=variable):
        dbt_environment()  # no dbt run starts with a value the settings refused


@pytest.mark.slow
def test_dbt_prices_cases_with_the_settings_values(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Written in a form only the settings module turns into the plain number dbt must see.
    monkeypatch.setenv("PROFITLENS_COST_PER_CASE", "9.95E+1")
    monkeypatch.setenv("PROFITLENS_COST_PER_CASE_HOUR", "7.25")
    env = {**os.environ, **dbt_environment(), "PROFITLENS_BUILD_PATH": str(tmp_path / "x.duckdb")}

    subprocess.run(
        [
            *(str(DBT_EXECUTABLE), "compile", "--quiet", "--select", "int_cases_costed"),
            *("--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)),
            *("--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")),
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )

    compiled = next((tmp_path / "target").rglob("int_cases_costed.sql")).read_text()
    assert "cast(99.5 as decimal(18, 2))" in compiled
    assert "cast(7.25 as decimal(18, 2)) * open_hours" in compiled


@pytest.mark.slow
@pytest.mark.parametrize(("limit", "pool_share"), [("2GB", 1.0), ("40%", 0.4)])
def test_dbt_s_duckdb_gets_the_memory_limit_and_a_block_pool_within_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, limit: str, pool_share: float
) -> None:
    # In connect's config a share ("40%") makes DuckDB abort the process; the profile's SET
    # takes it as a share of the limit. Every form the settings accept must start dbt.
    monkeypatch.setenv(MEMORY_LIMIT, limit)
    query = (
        "select current_setting('memory_limit') as memory_limit,"
        " current_setting('block_allocator_memory') as pool"
    )

    shown = run_dbt(
        tmp_path / "x.duckdb", tmp_path, "show", "--inline", query, "--output", "json", "--quiet"
    )

    assert shown.returncode == 0, shown.stdout[-3000:]
    row = json.loads(shown.stdout)["show"][0]
    limit_bytes = duckdb_size_bytes(row["memory_limit"])
    assert limit_bytes == duckdb_memory_limit_bytes(limit)
    assert duckdb_size_bytes(row["pool"]) == pytest.approx(pool_share * limit_bytes, rel=0.02)
