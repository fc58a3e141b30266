"""dbt speed and memory: the marts issue's targets, measured on a generated landing folder.

What the nightly job runs, timed the way it runs: the project is parsed first (Dagster parses
it when the definitions load; dbt then parses only what changed), then `dbt build` with the
job's arguments (NIGHTLY_BUILD_ARGS: every model, seed and data test; unit tests run in
`make test`).

- full build: `dbt build` on a fresh warehouse holding all but the last export night -
  target < 60 s at scale 1;
- incremental night: the last night ingested, then `dbt build` again (staging and facts
  recompute what changed), run NIGHT_RUNS times from a copy of the loaded file - target
  < 15 s at scale 1 for the median run;
- CPU seconds of each build (both cores busy: the wall time cannot drop below half of it);
- peak memory of the dbt process, against DuckDB's memory limit
  (PROFITLENS_DUCKDB_MEMORY_LIMIT), and whether the full build completed within it: no
  DuckDB out-of-memory error and no failed node (a failed full build ends the measurement);
- the floor under a night: dbt's start-up (a build that selects no node) and a night whose
  exports hold nothing new, also as the build that compacts the tables once a week.

Ingest is done with the real loader but not timed here (benchmarks/ingest_bench.py measures
it). Run on its own: `python -m benchmarks.dbt_bench <landing> [scale-label]`.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from benchmarks.report import BENCH_DIR, Report
from dagster_project.contracts import SYSTEMS
from dagster_project.defs.dbt.assets import NIGHTLY_BUILD_ARGS
from dagster_project.defs.dbt.resources import DBT_EXECUTABLE, dbt_environment
from dagster_project.lib.ingest import load_all
from dagster_project.lib.settings import DBT_PROJECT_DIR, load_settings

NIGHT_RUNS = 3


def _link_batches(source: Path, target: Path, batches: list[str]) -> None:
    """A landing folder holding `batches` of `source` (symlinks: no copy of the exports)."""
    for system in SYSTEMS:
        (target / system.name).mkdir(parents=True, exist_ok=True)
        for batch in batches:
            link = target / system.name / batch
            if not link.exists():
                link.symlink_to(source / system.name / batch, target_is_directory=True)


@dataclass(frozen=True)
class DbtRun:
    seconds: float
    cpu_seconds: float
    peak_mb: float  # largest child so far: meaningful when it grew
    summary: str
    succeeded: bool  # dbt's exit status: every node built and passed (warnings allowed)
    out_of_memory: int  # lines of dbt's output naming a DuckDB "Out of Memory Error"


def _dbt(database: Path, work_dir: Path, *args: str) -> DbtRun:
    """dbt in a child process, with the settings a build passes, on the benchmark's own file."""
    env = {**os.environ, **dbt_environment(), "PROFITLENS_BUILD_PATH": str(database)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [
            str(DBT_EXECUTABLE),
            *args,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(work_dir / "target"),
            "--log-path",
            str(work_dir / "logs"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    lines = [line for line in result.stdout.splitlines() if "Done. PASS=" in line]
    summary = lines[-1].split("Done. ")[-1] if lines else result.stdout[-2000:]
    if result.returncode != 0:
        print(result.stdout[-5000:], file=sys.stderr)
    peak_mb = max(after.ru_maxrss, before.ru_maxrss) / 1024
    out_of_memory = sum("Out of Memory Error" in line for line in result.stdout.splitlines())
    return DbtRun(seconds, cpu, peak_mb, summary, result.returncode == 0, out_of_memory)


def _failed_nodes(run: DbtRun) -> int:
    """ERROR= of dbt's summary line; 1 when dbt failed before printing one."""
    errors = re.search(r"\bERROR=(\d+)", run.summary)
    count = int(errors.group(1)) if errors else 0
    return count if count or run.succeeded else 1


def _restore(copy: Path, database: Path) -> None:
    """The warehouse as the ingest left it, its pages written out before the clock starts."""
    Path(f"{database}.wal").unlink(missing_ok=True)
    shutil.copyfile(copy, database)
    os.sync()


def _median_night(database: Path, work_dir: Path) -> DbtRun:
    """The same night NIGHT_RUNS times from the loaded file; the run of median wall time.

    This machine's speed drifts by a third within minutes; one run says little.
    """
    loaded = work_dir / "night-loaded.duckdb"
    shutil.copyfile(database, loaded)
    runs = []
    for number in range(1, NIGHT_RUNS + 1):
        _restore(loaded, database)
        runs.append(_dbt(database, work_dir, *NIGHTLY_BUILD_ARGS))
        print(f"    night run {number}: {runs[-1].seconds:.2f} s", flush=True)
    loaded.unlink()
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def run(report: Report, landing: Path, label: str = "scale 1", keep: bool = False) -> None:
    """Full build and one incremental night on `landing` (e.g. data/bench/scale-1/landing).

    The work folder (warehouse and copies: about 45 GB at scale 10) is removed at the end,
    also when a step fails, unless `keep`.
    """
    landing = Path(landing).resolve()
    work_dir = BENCH_DIR / f"dbt-{label.replace(' ', '-')}"
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    try:
        _measure(report, landing, label, work_dir)
    finally:
        if not keep:
            shutil.rmtree(work_dir, ignore_errors=True)


def _measure(report: Report, landing: Path, label: str, work_dir: Path) -> None:
    database = work_dir / "build.duckdb"
    nights = sorted(folder.name for folder in (landing / "erp").iterdir() if folder.is_dir())
    partial = work_dir / "landing"

    _link_batches(landing, partial, nights[:-1])
    load_all(database, partial)
    # one target folder for every run: the night parses partially, as the nightly job does
    parse = _dbt(database, work_dir, "parse")
    section = f"dbt {label}"
    report.add(section, "parse (once, when the definitions load)", parse.seconds, "s")
    scale_1 = label == "scale 1"
    full = _dbt(database, work_dir, *NIGHTLY_BUILD_ARGS)
    report.add(
        section,
        "full build (dbt build, fresh warehouse)",
        full.seconds,
        "s",
        "< 60 s" if scale_1 else "",
        full.seconds < 60 if scale_1 else None,
    )
    report.add(section, "full build CPU time", full.cpu_seconds, "s")
    report.add(
        section,
        "full build peak memory (dbt process)",
        full.peak_mb,
        "MB",
        f"limit {load_settings().duckdb_memory_limit}",
    )
    # DuckDB spills to disk up to its memory limit and stops a statement it cannot fit with
    # an "Out of Memory Error": a build with none of those, and no node failed for any other
    # reason, completed within the limit
    report.add(
        section,
        "full build: DuckDB out-of-memory errors (lines of dbt's output)",
        full.out_of_memory,
        "lines",
        "= 0",
        full.out_of_memory == 0,
    )
    report.add(
        section, "full build: nodes failed", _failed_nodes(full), "nodes", "= 0", full.succeeded
    )
    print(f"  {section} | full build: {full.summary}", flush=True)
    if not full.succeeded:
        print(f"  {section} | the full build failed: no night is measured", flush=True)
        return

    _link_batches(landing, partial, nights[-1:])
    load_all(database, partial)
    night = _median_night(database, work_dir)
    report.add(
        section,
        f"incremental night (dbt build after one export night; median of {NIGHT_RUNS})",
        night.seconds,
        "s",
        "< 15 s" if scale_1 else "",
        night.seconds < 15 if scale_1 else None,
    )
    report.add(section, "incremental night CPU time (that run)", night.cpu_seconds, "s")
    print(f"  {section} | incremental night: {night.summary}", flush=True)

    # The floor under a night: what dbt costs before any node runs, and a night on exports
    # that hold nothing new (every node still compiles, checks what changed and runs its tests).
    start_up = _dbt(database, work_dir, "build", "--select", "nothing_selected", "--no-write-json")
    report.add(section, "dbt start-up (build selecting no node)", start_up.seconds, "s")
    idle = _dbt(database, work_dir, *NIGHTLY_BUILD_ARGS)
    report.add(section, "night with nothing new (fixed cost of the graph)", idle.seconds, "s")
    report.add(section, "night with nothing new CPU time", idle.cpu_seconds, "s")
    # The nights above skip compaction (the full build did it); one build a period does it
    # (var compact_every_days): the same idle night with compaction due, parsed beforehand
    # with that var as the nightly job's project is.
    compacting_dir = work_dir / "compacting"
    due_now = ("--vars", "{compact_every_days: 0}")
    _dbt(database, compacting_dir, "parse", *due_now)
    compacting = _dbt(database, compacting_dir, *NIGHTLY_BUILD_ARGS, *due_now)
    report.add(section, "night with nothing new, compacting (weekly)", compacting.seconds, "s")

    with duckdb.connect(str(database), read_only=True) as con:
        lines = con.execute("select count(*) from marts.fct_order_lines").fetchall()[0][0]
    report.add(section, "order lines in fct_order_lines", lines, "rows")
    report.add(section, "warehouse file", database.stat().st_size / 1e6, "MB")


if __name__ == "__main__":
    bench = Report()
    run(bench, Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "scale 1", keep=True)
    bench.print_table()
