"""`make bench`: every speed and memory target of the issues, measured in one run.

Set BENCH_SCALE_10=1 to also generate scale 10 (about 10 minutes, 13 GB of disk).
"""

from __future__ import annotations

import importlib
import os
import sys

from benchmarks import generate_bench, yardstick
from benchmarks.report import Report


def main() -> int:
    report = Report()
    yardstick_metric = f"yardstick: {yardstick.STEPS:,}-step Python loop"
    report.add("machine", f"{yardstick_metric}, before", yardstick.seconds(), "s")
    print("Generating scale 1 ...", flush=True)
    landing = generate_bench.run(report, scale_10=os.environ.get("BENCH_SCALE_10") == "1")
    for name in ("benchmarks.ingest_bench", "benchmarks.dbt_bench"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        print(f"Running {name} ...", flush=True)
        module.run(report, landing)
    report.add("machine", f"{yardstick_metric}, after", yardstick.seconds(), "s")
    report.print_table()
    print(f"\nSaved {report.save()}")
    if report.missed:
        print(f"{len(report.missed)} target(s) missed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
