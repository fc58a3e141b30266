"""The dbt unit tests (SQL logic on fixed inputs) pass.

The nightly build leaves them out (dagster_project/defs/dbt/assets.py): they test the SQL,
not the night's data, so they run here, against a copy of the demo warehouse, whose tables
give the unit tests' inputs their column types.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from dagster_project.defs.dbt.resources import DBT_EXECUTABLE, dbt_environment
from dagster_project.lib.settings import DBT_PROJECT_DIR


def test_every_dbt_unit_test_passes(published_warehouse, tmp_path, monkeypatch):
    database = tmp_path / "unit.duckdb"
    shutil.copyfile(published_warehouse, database)
    monkeypatch.setenv("PROFITLENS_WAREHOUSE_DIR", str(tmp_path))
    result = subprocess.run(
        [
            str(DBT_EXECUTABLE),
            "test",
            "--select",
            "test_type:unit",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        env={**os.environ, **dbt_environment(), "PROFITLENS_BUILD_PATH": str(database)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-5000:]
    summary = [line for line in result.stdout.splitlines() if "Done. PASS=" in line]
    assert summary and "PASS=0 " not in summary[-1], result.stdout[-2000:]
