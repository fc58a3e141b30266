"""Ingest benchmark: ProfitLens ingest against DuckDB alone reading the same files, at scale 1.

Three kinds of timing on the same export files (generated once with
`generate(scale=1.0, seed=1)` and reused from data/bench/, or PROFITLENS_BENCH_LANDING if set):

- baseline: DuckDB alone reads every file of every entity into one table per entity, with the
  contract's types (read_csv / read_json / read_parquet, malformed rows skipped with
  ignore_errors). DuckDB cannot read GB18030, so the baseline also transcodes: a GB18030 file
  that is pure ASCII is read as it is (it is valid UTF-8), every other one is decoded to a
  temporary UTF-8 copy with Python's incremental codec, chunk by chunk; that time is counted.
- ingest, first run: `load_entity` for every entity into an empty warehouse (checksums, file
  checks, value rules, rejects, ledger, line numbers).
- ingest, second run: the same again with no new files.

The ratio of the first two is taken from PAIRS pairs run back to back (DuckDB alone, then
ingest, each into a fresh file), and the pair with the median ratio is reported: this machine's
speed drifts by a third within minutes, and a baseline timed on a fast spell against an ingest
timed on a slow one said nothing about the ingest.

`run(report, landing)` is what benchmarks/run.py calls (report: benchmarks.report.Report);
`python -m benchmarks.ingest_bench` runs it alone and prints the figures.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from dagster_project.contracts import SYSTEMS, Entity, System
from dagster_project.lib.ingest import load_all
from dagster_project.lib.ingest.landing import discover
from dagster_project.lib.settings import REPO_ROOT

SCALE = 1.0
SEED = 1
MAX_RATIO = 1.5
PAIRS = 3


def run(report=None, landing: Path | None = None) -> dict[str, float]:
    """Time baseline and ingest on scale-1 exports and report each figure.

    `report` is benchmarks.report.Report (figures with targets) or any callable
    `report(name, value, unit)`; `landing` defaults to bench_landing()."""
    landing = Path(landing) if landing else bench_landing()
    pairs = []
    with tempfile.TemporaryDirectory(prefix="profitlens-bench-") as tmp:
        for number in range(1, PAIRS + 1):
            work = Path(tmp) / f"pair-{number}"
            work.mkdir()
            baseline_s, baseline_rows = _timed(
                baseline_load, landing, work / "baseline.duckdb", work
            )
            first_s, (loaded, rejected) = _timed(ingest_all, landing, work / "ingest.duckdb")
            pairs.append((first_s / baseline_s, baseline_s, first_s))
            print(
                f"    pair {number}: DuckDB alone {baseline_s:.2f} s, ingest {first_s:.2f} s",
                flush=True,
            )
            if number < PAIRS:
                shutil.rmtree(work)  # 2 x 1.5 GB a pair: keep only the last
        second_s, _ = _timed(ingest_all, landing, work / "ingest.duckdb")
    ratio, baseline_s, first_s = sorted(pairs)[len(pairs) // 2]
    malformed = _malformed_rows(landing)
    figures = [
        ("DuckDB alone (baseline; the pair with the median ratio)", baseline_s, "s", "", None),
        ("ingest, first run (same pair)", first_s, "s", "", None),
        (
            f"ingest / DuckDB alone (median of {PAIRS} pairs)",
            ratio,
            "x",
            f"<= {MAX_RATIO}",
            ratio <= MAX_RATIO,
        ),
        ("ingest, second run (no new files)", second_s, "s", "< 5 s", second_s < 5),
        ("rows loaded", loaded, "rows", "", None),
        (
            "rows rejected",
            rejected,
            "rows",
            "" if malformed is None else f"= {malformed:,} malformed",
            None if malformed is None else rejected == malformed,
        ),
    ]
    for metric, value, unit, target, passed in figures:
        if hasattr(report, "add"):
            report.add("ingest", metric, value, unit, target, passed)
        elif report is not None:
            report(f"ingest.{metric}", round(value, 3), unit)
    return {
        "baseline_s": baseline_s,
        "ingest_first_run_s": first_s,
        "ingest_second_run_s": second_s,
        "ratio": ratio,
        "rows_baseline": baseline_rows,
        "rows_loaded": loaded,
        "rows_rejected": rejected,
    }


def _malformed_rows(landing: Path) -> int | None:
    truth = landing.parent / f"{landing.name}_truth" / "summary.json"
    if not truth.exists():
        return None
    return sum(json.loads(truth.read_text())["malformed_rows_by_file"].values())


def bench_landing() -> Path:
    """Scale-1 exports: PROFITLENS_BENCH_LANDING, or generated once into data/bench/."""
    configured = os.environ.get("PROFITLENS_BENCH_LANDING")
    if configured:
        return Path(configured)
    landing = REPO_ROOT / "data" / "bench" / f"scale{SCALE:g}-seed{SEED}" / "landing"
    if not (landing.parent / "landing_truth" / "summary.json").exists():
        from dagster_project.lib.generate import generate

        shutil.rmtree(landing.parent, ignore_errors=True)
        print(f"generating scale-{SCALE:g} exports into {landing} (once) ...", flush=True)
        generate(landing, scale=SCALE, seed=SEED)
    return landing


def ingest_all(landing: Path, database: Path) -> tuple[int, int]:
    """Our ingest of every entity, as the Dagster assets run it (a connection each).
    Returns (rows loaded, rows rejected)."""
    loads = load_all(database, landing, run_id="bench")
    return sum(load.rows_loaded for load in loads), sum(load.rows_rejected for load in loads)


def baseline_load(landing: Path, database: Path, work: Path) -> int:
    """DuckDB alone: every entity's files into one table, typed by the contract."""
    rows = 0
    with duckdb.connect(str(database)) as con:
        con.execute("set TimeZone = 'UTC'")
        for system in SYSTEMS:
            for entity in system.entities:
                files = [f.path for f in discover(landing, system, entity).files]
                if not files:
                    continue
                readable = [_utf8(path, system, work) for path in files]
                table = f'"{system.raw_table(entity)}"'
                con.execute(
                    f"create table {table} as select * from {_reader(system, entity)}",
                    [[str(p) for p in readable]],
                )
                rows += con.execute(f"select count(*) from {table}").fetchall()[0][0]
    return rows


def _reader(system: System, entity: Entity) -> str:
    columns = "{" + ", ".join(f"'{c.name}': '{c.type}'" for c in entity.columns) + "}"
    if system.format == "parquet":
        return "read_parquet(?, union_by_name = true)"
    if system.format == "jsonl":
        return (
            f"read_json(?, columns = {columns}, format = 'newline_delimited', "
            f"timestampformat = '{system.timestamp_format}', ignore_errors = true)"
        )
    return (
        f"read_csv(?, columns = {columns}, header = true, auto_detect = false, "
        f"delim = '{system.delimiter}', quote = '\"', escape = '\"', "
        f"dateformat = '{system.date_format}', timestampformat = '{system.timestamp_format}', "
        f"ignore_errors = true)"
    )


def _utf8(path: Path, system: System, work: Path) -> Path:
    """The file itself when DuckDB can read it, else a streamed UTF-8 copy (GB18030)."""
    if codecs.lookup(system.encoding).name != "gb18030" or _is_ascii(path):
        return path
    target = work / "utf8" / path.parent.name / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    decoder = codecs.getincrementaldecoder(system.encoding)("replace")
    with open(path, "rb") as source, open(target, "wb") as sink:
        while chunk := source.read(1 << 20):
            sink.write(decoder.decode(chunk).encode("utf-8"))
        sink.write(decoder.decode(b"", final=True).encode("utf-8"))
    return target


def _is_ascii(path: Path) -> bool:
    with open(path, "rb") as handle:
        while chunk := handle.read(4 << 20):
            if not chunk.isascii():
                return False
    return True


def _timed(step, *args):
    started = time.perf_counter()
    value = step(*args)
    return time.perf_counter() - started, value


def main() -> int:
    landing = bench_landing()
    size = sum(p.stat().st_size for p in landing.rglob("*") if p.is_file())
    print(f"Ingest benchmark: {landing} ({size / 1e9:.2f} GB, {os.cpu_count()} CPUs)\n")
    figures = run(lambda name, value, unit: print(f"{name:48}{value:>14,.3f} {unit}"), landing)
    verdict = "within" if figures["ratio"] <= MAX_RATIO else "OVER"
    print(f"\ningest / DuckDB alone = {figures['ratio']:.2f}x ({verdict} the {MAX_RATIO}x budget)")
    return 0 if figures["ratio"] <= MAX_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
