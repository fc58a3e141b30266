"""`profitlens`: generate demo exports, build the warehouse, query it, serve the app."""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

from dagster_project.lib.settings import REPO_ROOT, load_settings

DEFAULT_DAGSTER_HOME = REPO_ROOT / "data" / "dagster"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="profitlens", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="write demo exports of CRM, ERP, MES and TMS")
    generate.add_argument(
        "--scale", type=float, default=0.02, help="1 = about 1M order lines (default 0.02)"
    )
    generate.add_argument("--seed", type=int, default=42)
    generate.add_argument(
        "--start", type=date.fromisoformat, default=None, help="first order day, YYYY-MM-DD"
    )
    generate.add_argument("--days", type=int, default=None, help="days of history (default 1095)")
    generate.add_argument(
        "--out", type=Path, default=None, help="landing folder (default: PROFITLENS_LANDING_DIR)"
    )
    generate.add_argument(
        "--daily-exports",
        type=int,
        default=None,
        help="nightly export folders after the initial extract (default 7)",
    )
    generate.add_argument(
        "--clean", action="store_true", help="no mess: no malformed rows, duplicates, corrections"
    )
    generate.add_argument(
        "--truth",
        type=Path,
        default=None,
        help="folder for what the generator knows (default: <out>_truth beside --out)",
    )
    generate.add_argument(
        "--if-empty", action="store_true", help="do nothing when the landing folder has exports"
    )

    commands.add_parser("build", help="ingest, transform and publish the warehouse (in-process)")

    sql = commands.add_parser("sql", help="run a read-only query on the published warehouse")
    sql.add_argument("query")
    sql.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    sql.add_argument(
        "--build",
        action="store_true",
        help="query the build's own file instead (what the last build left, e.g. the rows a "
        "failed check found; read-only, never while a build runs)",
    )

    commands.add_parser(
        "docs", help="rewrite docs/sources.md and the dbt sources from the export contracts"
    )

    app = commands.add_parser("app", help="serve the dashboards")
    app.add_argument("--port", type=int, default=8501)
    app.add_argument("--address", default="127.0.0.1")

    args = parser.parse_args(argv)
    try:
        return {"generate": _generate, "build": _build, "sql": _sql, "docs": _docs, "app": _app}[
            args.command
        ](args)
    except (ValueError, FileNotFoundError) as error:
        print(f"profitlens {args.command}: {error}", file=sys.stderr)
        return 2


def _generate(args: argparse.Namespace) -> int:
    from dagster_project.lib.generate import (
        DEFAULT_DAILY_EXPORTS,
        DEFAULT_DAYS,
        DEFAULT_START,
        Mess,
        generate,
    )

    out = (args.out or load_settings().landing_dir).resolve()
    if args.if_empty and any(out.glob("*/*/*.*")):
        print(f"Exports found in {out}; not generating demo data.")
        return 0
    started = time.perf_counter()
    result = generate(
        out,
        scale=args.scale,
        seed=args.seed,
        start=args.start or DEFAULT_START,
        days=args.days or DEFAULT_DAYS,
        daily_exports=DEFAULT_DAILY_EXPORTS if args.daily_exports is None else args.daily_exports,
        mess=Mess.clean() if args.clean else Mess(),
        truth_dir=args.truth,
        progress=lambda message: print(f"  {message}", flush=True),
    )
    rows = sum(result.rows_by_file.values())
    print(
        f"Wrote {len(result.rows_by_file)} files ({rows:,} rows) "
        f"in {len(result.batches)} export folders "
        f"to {out} in {time.perf_counter() - started:.1f} s; truth in {result.truth_dir}"
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    _prepare_dagster_home()
    import dagster as dg

    from dagster_project.definitions import defs

    settings = load_settings()
    started = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        result = (
            defs()
            .resolve_job_def("build_warehouse")
            .execute_in_process(instance=instance, raise_on_error=False)
        )
    if not result.success:
        print("\nBuild FAILED; the published warehouse was left as it was.", file=sys.stderr)
        for problem in build_problems(result):
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(
        f"\nBuilt and published {settings.published_path} in {time.perf_counter() - started:.0f} s."
    )
    print('Query it: profitlens sql "select * from marts.fct_order_lines limit 5"')
    return 0


def build_problems(result) -> list[str]:
    """What went wrong in a build, for people: failed steps and checks (warnings marked so)."""
    import dagster as dg

    problems = [
        f"check {evaluation.asset_key.to_user_string()}:{evaluation.check_name} "
        + ("warned" if evaluation.severity == dg.AssetCheckSeverity.WARN else "failed")
        + (f" ({evaluation.description})" if evaluation.description else "")
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed
    ]
    for event in result.all_events:
        if event.is_step_failure:
            error = event.event_specific_data.error
            while error is not None and error.cause is not None:  # the root cause is what to fix
                error = error.cause
            message = error.message.strip() if error else "unknown error"
            problems.append(f"step {event.step_key} failed: {message}")
    return problems


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    from dagster_project.lib.warehouse import connect_read_only

    settings = load_settings()
    path = settings.build_path if args.build else settings.published_path
    with connect_read_only(path) as con:
        try:
            relation = con.sql(args.query)
        except duckdb.Error as error:
            print(f"profitlens sql: {error}", file=sys.stderr)
            return 1
        if relation is None:
            return 0
        if args.csv:
            relation.df().to_csv(sys.stdout, index=False)
        else:
            relation.show(max_rows=100, max_width=10_000)
    return 0


def _docs(args: argparse.Namespace) -> int:
    from dagster_project.lib.contract_docs import rendered_files

    for path, content in rendered_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print(f"Wrote {path.relative_to(REPO_ROOT)}")
    return 0


def _app(args: argparse.Namespace) -> int:
    app = REPO_ROOT / "dashboards" / "streamlit_app.py"
    print(f"ProfitLens is serving on http://{args.address}:{args.port}", flush=True)
    streamlit = Path(sys.executable).with_name("streamlit")
    os.execv(
        str(streamlit),
        [
            str(streamlit),
            "run",
            str(app),
            "--server.address",
            args.address,
            "--server.port",
            str(args.port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
    )


def _prepare_dagster_home() -> Path:
    """Runs are recorded in DAGSTER_HOME (default data/dagster), telemetry off."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME)))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    return home


if __name__ == "__main__":
    sys.exit(main())
