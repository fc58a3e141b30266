"""Ingest benchmark: ProfitLens ingest against DuckDB alone reading the same files, at scale 1.

Three timings on the same export files (generated once with `generate(scale=1.0, seed=1)` and
reused from data/bench/, or PROFITLENS_BENCH_LANDING if set):

- baseline: DuckDB alone reads every file of every entity into one table per entity, with the
  contract's types (read_csv / read_json / read_parquet, malformed rows skipped with
  ignore_errors). DuckDB cannot read GB18030, so the baseline also transcodes: a GB18030 file
  that is pure ASCII is read as it is (it is valid UTF-8), every other one is decoded to a
  temporary UTF-8 copy with Python's incremental codec, chunk by chunk; that time is counted.
- ingest, first run: `load_entity` for every entity into an empty warehouse (checksums, file
  checks, value rules, rejects, ledger, line numbers).
- ingest, second run: the same again with no new files.

`run(report)` is what benchmarks/run.py calls: `report(name, value, unit)` once per figure.
`python -m benchmarks.ingest_bench` prints the table.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from dagster_project.contracts import SYSTEMS, Entity, System
from dagster_project.lib.ingest import load_entity
from dagster_project.lib.ingest.landing import discover
from dagster_project.lib.settings import REPO_ROOT

SCALE = 1.0
SEED = 1
MAX_RATIO = 1.5
Report = Callable[[str, float, str], None]


def run(report: Report | None = None, landing: Path | None = None) -> dict[str, float]:
    """Time baseline and ingest on scale-1 exports; report each figure; return them."""
    report = report or (lambda name, value, unit: None)
    landing = landing or bench_landing()
    with tempfile.TemporaryDirectory(prefix="profitlens-bench-") as tmp:
        work = Path(tmp)
        baseline_s, baseline_rows = _timed(
            lambda: baseline_load(landing, work / "baseline.duckdb", work)
        )
        first_s, (loaded, rejected) = _timed(lambda: ingest_all(landing, work / "ingest.duckdb"))
        second_s, _ = _timed(lambda: ingest_all(landing, work / "ingest.duckdb"))
    figures = {
        "baseline_s": baseline_s,
        "ingest_first_run_s": first_s,
        "ingest_second_run_s": second_s,
        "ratio": first_s / baseline_s,
    }
    for name, value in figures.items():
        report(f"ingest.{name}", round(value, 3), "x" if name == "ratio" else "s")
    report("ingest.rows_baseline", baseline_rows, "rows")
    report("ingest.rows_loaded", loaded, "rows")
    report("ingest.rows_rejected", rejected, "rows")
    return figures


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
    loaded = rejected = 0
    for system in SYSTEMS:
        for entity in system.entities:
            with duckdb.connect(str(database)) as con:
                result = load_entity(con, landing, system, entity, run_id="bench")
            loaded += result.rows_loaded
            rejected += result.rows_rejected
    return loaded, rejected


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


def _timed(step):
    started = time.perf_counter()
    value = step()
    return time.perf_counter() - started, value


def main() -> int:
    landing = bench_landing()
    size = sum(p.stat().st_size for p in landing.rglob("*") if p.is_file())
    figures: dict[str, tuple[float, str]] = {}
    run(lambda name, value, unit: figures.__setitem__(name, (value, unit)), landing)
    print(f"\nIngest benchmark: {landing} ({size / 1e9:.2f} GB, {os.cpu_count()} CPUs)\n")
    print(f"{'':34}{'value':>10}")
    for name, (value, unit) in figures.items():
        print(
            f"{name:34}{value:>10,.3f} {unit}" if unit != "rows" else f"{name:34}{value:>10,} rows"
        )
    ratio = figures["ingest.ratio"][0]
    verdict = "within" if ratio <= MAX_RATIO else "OVER"
    print(f"\ningest / DuckDB alone = {ratio:.2f}x ({verdict} the {MAX_RATIO}x budget)")
    truth = landing.parent / f"{landing.name}_truth" / "summary.json"
    if truth.exists():
        malformed = sum(json.loads(truth.read_text())["malformed_rows_by_file"].values())
        print(f"generator's malformed rows: {malformed:,}")
    return 0 if ratio <= MAX_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
