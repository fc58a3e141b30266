"""`make bench`: every speed and memory target of the issues, measured in one run.

Set BENCH_SCALE_10=1 to also generate scale 10 and build it with dbt (the marts issue:
scale 10 completes within DuckDB's memory limit): about 40 minutes more, and 13 GB of
exports plus about 45 GB for the warehouse and its copies, removed at the end.
"""

from __future__ import annotations

import os
import shutil
import sys

from benchmarks import dbt_bench, generate_bench, ingest_bench, yardstick
from benchmarks.report import Report


def main() -> int:
    report = Report()
    yardstick_metric = f"yardstick: {yardstick.STEPS:,}-step Python loop"
    report.add("machine", f"{yardstick_metric}, before", yardstick.seconds(), "s")
    try:
        print("Generating scale 1 ...", flush=True)
        landing = generate_bench.run(report)
        for module in (ingest_bench, dbt_bench):
            print(f"Running {module.__name__} ...", flush=True)
            module.run(report, landing)
        # after scale 1: writing 13 GB would push the scale-1 exports out of the page cache
        if os.environ.get("BENCH_SCALE_10") == "1":
            try:
                print("Generating scale 10 ...", flush=True)
                landing_10 = generate_bench.run(report, scale=10)
                print("Running benchmarks.dbt_bench on scale 10 ...", flush=True)
                dbt_bench.run(report, landing_10, "scale 10")
            finally:
                shutil.rmtree(generate_bench.SCALE_10_DIR, ignore_errors=True)
    finally:
        # the figures measured so far are kept when a step fails
        report.add("machine", f"{yardstick_metric}, after", yardstick.seconds(), "s")
        report.print_table()
        print(f"\nSaved {report.save()}")
    if report.missed:
        print(f"{len(report.missed)} target(s) missed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
