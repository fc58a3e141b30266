"""The customer history's change rows stay those of a full recompute when a night comes late.

int_crm_account_changes keeps only the nights on which an account's attributes changed, and
a night adds the changes of the snapshot nights loaded since the last build. A snapshot night
older than one already processed moves the changes after it (the night after it may now
differ), so that run recomputes every record (macros/attribute_changes.sql).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.settings import BUILD_FILE_NAME
from tests.dbt.dbt_cli import run_dbt

pytestmark = pytest.mark.slow

STEADY_ACCOUNT = """
    select crm_account_id, list(batch_date order by batch_date), any_value(crm_owner_id)
    from staging.stg_crm__account_snapshots
    group by crm_account_id
    having count(*) >= 3
        and count(distinct concat_ws('|', industry, region, crm_owner_id)) = 1
    order by crm_account_id
    limit 1
"""


def _run_changes(database: Path, work_dir: Path, *args: str) -> None:
    result = run_dbt(database, work_dir, "run", "--select", "int_crm_account_changes", *args)
    assert result.returncode == 0, result.stdout[-5000:]


def test_a_snapshot_night_loaded_late_recomputes_the_changes_after_it(built_warehouse, tmp_path):
    database = tmp_path / "copy.duckdb"
    shutil.copy(built_warehouse.warehouse_dir / "build" / BUILD_FILE_NAME, database)
    with duckdb.connect(str(database)) as con:
        # an account with one state on every night; it is missing from its second night
        account, nights, owner = con.execute(STEADY_ACCOUNT).fetchone()
        late_night = nights[1]
        con.execute(
            "create table main.late_night as from staging.stg_crm__account_snapshots "
            "where crm_account_id = ? and batch_date = ?",
            [account, late_night],
        )
        con.execute(
            "delete from staging.stg_crm__account_snapshots "
            "where crm_account_id = ? and batch_date = ?",
            [account, late_night],
        )
    _run_changes(database, tmp_path / "before", "--full-refresh")

    # the missing night arrives after that build, with another owner
    with duckdb.connect(str(database)) as con:
        con.execute(
            "insert into staging.stg_crm__account_snapshots select * replace "
            "('LATE-OWNER' as crm_owner_id, current_timestamp as source_loaded_at) "
            "from main.late_night"
        )
    _run_changes(database, tmp_path / "late")

    with duckdb.connect(str(database), read_only=True) as con:
        changes = con.execute(
            "select batch_date, crm_owner_id from intermediate.int_crm_account_changes "
            "where crm_account_id = ? order by batch_date",
            [account],
        ).fetchall()
    # the owner changed on the late night and changed back the night after it
    assert changes == [(nights[0], owner), (late_night, "LATE-OWNER"), (nights[2], owner)]
