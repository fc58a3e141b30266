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


def _hold_back_second_night(built_warehouse, tmp_path) -> tuple[Path, str, list, str]:
    """A copy of the warehouse in which an account with one state on every night lacks its
    second night (kept in main.late_night): (file, account, its nights, its owner)."""
    database = tmp_path / "copy.duckdb"
    shutil.copy(built_warehouse.warehouse_dir / "build" / BUILD_FILE_NAME, database)
    with duckdb.connect(str(database)) as con:
        account, nights, owner = con.execute(STEADY_ACCOUNT).fetchone()
        con.execute(
            "create table main.late_night as from staging.stg_crm__account_snapshots "
            "where crm_account_id = ? and batch_date = ?",
            [account, nights[1]],
        )
        con.execute(
            "delete from staging.stg_crm__account_snapshots "
            "where crm_account_id = ? and batch_date = ?",
            [account, nights[1]],
        )
    return database, account, nights, owner


def _deliver_late_night(database: Path, owner: str) -> None:
    with duckdb.connect(str(database)) as con:
        con.execute(
            "insert into staging.stg_crm__account_snapshots select * replace "
            "(? as crm_owner_id, current_timestamp as source_loaded_at) from main.late_night",
            [owner],
        )


def _changes(database: Path, account: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select batch_date, crm_owner_id from intermediate.int_crm_account_changes "
            "where crm_account_id = ? order by batch_date",
            [account],
        ).fetchall()


def test_a_snapshot_night_loaded_late_recomputes_the_changes_after_it(built_warehouse, tmp_path):
    database, account, nights, owner = _hold_back_second_night(built_warehouse, tmp_path)
    _run_changes(database, tmp_path / "before", "--full-refresh")

    # the missing night arrives after that build, with another owner
    _deliver_late_night(database, "LATE-OWNER")
    _run_changes(database, tmp_path / "late")

    # the owner changed on the late night and changed back the night after it
    assert _changes(database, account) == [
        (nights[0], owner),
        (nights[1], "LATE-OWNER"),
        (nights[2], owner),
    ]


def test_a_change_a_late_night_makes_no_change_is_gone(built_warehouse, tmp_path):
    database, account, nights, owner = _hold_back_second_night(built_warehouse, tmp_path)
    # the account moves to a new owner from its third night on
    with duckdb.connect(str(database)) as con:
        con.execute(
            "update staging.stg_crm__account_snapshots set crm_owner_id = 'NEW-OWNER' "
            "where crm_account_id = ? and batch_date >= ?",
            [account, nights[2]],
        )
    _run_changes(database, tmp_path / "before", "--full-refresh")
    assert _changes(database, account) == [(nights[0], owner), (nights[2], "NEW-OWNER")]

    # the second night arrives late, already with the new owner: the move happened then
    _deliver_late_night(database, "NEW-OWNER")
    _run_changes(database, tmp_path / "late")
    assert _changes(database, account) == [(nights[0], owner), (nights[1], "NEW-OWNER")]
