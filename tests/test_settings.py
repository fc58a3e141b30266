"""Settings are validated once, in the settings module, and dbt gets them from there."""

from __future__ import annotations

import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from dagster_project.defs.dbt.resources import DBT_EXECUTABLE, dbt_environment
from dagster_project.lib.settings import DBT_PROJECT_DIR, load_settings

COST_VARIABLES = ("PROFITLENS_COST_PER_CASE", "PROFITLENS_COST_PER_CASE_HOUR")


@pytest.fixture(autouse=True)
def no_local_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in COST_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


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
