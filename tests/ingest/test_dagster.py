"""What operators see in Dagster: per-asset metadata, the ledger checks and their severity, a
rejected file blocking what is built on it, and the sensor starting a build for a new folder."""

import dagster as dg
import pytest

from dagster_project.contracts import CRM, ERP
from dagster_project.defs.ingest.assets import ingest_assets, raw_asset_key
from dagster_project.defs.ingest.checks import ingest_checks
from dagster_project.defs.ingest.sensors import new_export_folders
from tests.ingest.conftest import row

LINES = ERP.entity("sales_order_lines")
ACCOUNTS = CRM.entity("accounts")
LINES_KEY = raw_asset_key(ERP, LINES)
ACCOUNTS_KEY = raw_asset_key(CRM, ACCOUNTS)
CASES_KEY = raw_asset_key(CRM, CRM.entity("cases"))  # an entity with only an empty export
UNDER_TEST = {LINES_KEY, ACCOUNTS_KEY, CASES_KEY}


@dg.asset(deps=[ACCOUNTS_KEY])
def built_on_accounts() -> None:
    """Stands in for dbt and publish downstream of a raw table."""


@dg.asset(deps=[LINES_KEY])
def built_on_order_lines() -> None:
    """Stands in for dbt and publish downstream of a raw table."""


def _run():
    definitions = dg.Definitions(
        assets=[
            *(a for a in ingest_assets if a.key in UNDER_TEST),
            built_on_accounts,
            built_on_order_lines,
        ],
        asset_checks=[c for c in ingest_checks if next(iter(c.check_keys)).asset_key in UNDER_TEST],
        jobs=[dg.define_asset_job("ingest", executor_def=dg.in_process_executor)],
    )
    with dg.DagsterInstance.ephemeral() as instance:
        return definitions.resolve_job_def("ingest").execute_in_process(
            instance=instance, raise_on_error=False
        )


def _metadata(result, key):
    (materialization,) = [
        m for m in result.get_asset_materialization_events() if m.asset_key == key
    ]
    return {k: v.value for k, v in materialization.materialization.metadata.items()}


def _checks(result):
    return {e.asset_key: e for e in result.get_asset_check_evaluations()}


@pytest.fixture
def exports(landing, settings_env):
    settings_env(landing.root)
    landing.csv(ERP, LINES, [row(LINES, 1), row(LINES, 2, quantity="-1.000")])
    header = [n for n in ACCOUNTS.column_names if n != "Name"]
    landing.csv(CRM, ACCOUNTS, [row(ACCOUNTS, 1)], header=header)
    for system in (ERP, CRM):
        landing.complete(system, fill=True)  # every other entity: an empty export
    return landing


def test_assets_report_rows_and_files_and_checks_grade_rows_and_files(exports):
    result = _run()
    lines = _metadata(result, LINES_KEY)
    assert {k: lines[k] for k in ("rows_loaded", "rows_rejected", "files_loaded")} == {
        "rows_loaded": 1,
        "rows_rejected": 1,
        "files_loaded": 1,
    }
    assert (lines["files_skipped"], lines["files_rejected"]) == (0, 0)
    assert _metadata(result, ACCOUNTS_KEY)["files_rejected"] == 1

    checks = _checks(result)
    assert set(checks) == UNDER_TEST
    rows_rejected = checks[LINES_KEY]
    assert not rows_rejected.passed and rows_rejected.severity == dg.AssetCheckSeverity.WARN
    file_rejected = checks[ACCOUNTS_KEY]
    assert not file_rejected.passed and file_rejected.severity == dg.AssetCheckSeverity.ERROR
    assert "missing_column" in file_rejected.description and "'Name'" in file_rejected.description
    others = [e for key, e in checks.items() if key not in (LINES_KEY, ACCOUNTS_KEY)]
    assert all(e.passed for e in others)

    # A rejected file blocks what is built on it; rejected rows do not.
    built = {m.asset_key for m in result.get_asset_materialization_events()}
    assert built_on_order_lines.key in built
    assert built_on_accounts.key not in built
    assert not result.success


def test_a_second_run_without_new_files_reads_nothing_and_the_file_stays_rejected(exports):
    _run()
    again = _run()
    lines = _metadata(again, LINES_KEY)
    assert (lines["rows_loaded"], lines["files_loaded"], lines["files_skipped"]) == (0, 0, 1)
    checks = _checks(again)
    assert checks[LINES_KEY].passed  # nothing rejected in this run, the ledger balances
    assert not checks[ACCOUNTS_KEY].passed  # the bad file is still the latest version


def test_the_sensor_starts_a_build_for_each_newly_completed_folder(landing, settings_env):
    settings_env(landing.root)
    landing.csv(ERP, LINES, [row(LINES, 1)])
    with dg.DagsterInstance.ephemeral() as instance:
        first = new_export_folders(dg.build_sensor_context(instance=instance))
        (request,) = first.run_requests
        assert request.tags["profitlens/new_exports"] == "erp/2026-01-15"
        cursor = first.cursor

        quiet = new_export_folders(dg.build_sensor_context(instance=instance, cursor=cursor))
        assert isinstance(quiet, dg.SkipReason)

        landing.csv(CRM, ACCOUNTS, [row(ACCOUNTS, 1)], batch="2026-01-16", complete=False)
        waiting = new_export_folders(dg.build_sensor_context(instance=instance, cursor=cursor))
        assert isinstance(waiting, dg.SkipReason)  # no _SUCCESS yet

        landing.complete(CRM, "2026-01-16")
        second = new_export_folders(dg.build_sensor_context(instance=instance, cursor=cursor))
        (request_2,) = second.run_requests
        assert request_2.tags["profitlens/new_exports"] == "crm/2026-01-16"
        assert request_2.run_key != request.run_key


def test_the_sensor_targets_the_build_job_and_runs_by_default():
    assert new_export_folders.job_name == "build_warehouse"
    assert new_export_folders.default_status == dg.DefaultSensorStatus.RUNNING
    assert new_export_folders.minimum_interval_seconds == 60


@pytest.mark.slow
def test_the_project_definitions_hold_an_asset_and_a_blocking_check_per_entity_and_the_sensor():
    from dagster_project.definitions import defs

    definitions = defs()
    assert definitions.resolve_sensor_def("new_export_folders").job_name == "build_warehouse"
    graph = definitions.resolve_asset_graph()
    ledger_checks = {k for k in graph.asset_check_keys if k.name == "ledger_balances"}
    assert {k.asset_key for k in ledger_checks} == {a.key for a in ingest_assets}
    assert all(graph.get_check_spec(k).blocking for k in ledger_checks)
