"""Generator speed and memory: scale 1 under 60 s (target of the source-systems issue)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.report import BENCH_DIR, Report

SCALE_1_DIR = BENCH_DIR / "scale-1"
SCALE_10_DIR = BENCH_DIR / "scale-10"


def generate(scale: float, out: Path) -> tuple[float, float]:
    """Generate in a fresh process; returns (seconds, peak resident MB of its process tree).

    The peak is read in a wrapper process: this process's own children include the dbt
    builds of the other benchmarks, whose peak would otherwise count as the generator's.
    """
    shutil.rmtree(out.parent, ignore_errors=True)
    command = [
        str(Path(sys.executable).with_name("profitlens")),
        "generate",
        "--scale",
        str(scale),
        "--seed",
        "1",
        "--out",
        str(out),
    ]
    measure = (
        "import pathlib, resource, subprocess, sys; subprocess.run(sys.argv[2:], check=True); "
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
        "pathlib.Path(sys.argv[1]).write_text(str(peak))"
    )
    out.parent.mkdir(parents=True)
    peak_file = out.parent / "generator-peak-kb"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", measure, str(peak_file), *command], check=True)
    seconds = time.perf_counter() - started
    peak_kb = int(peak_file.read_text())
    peak_file.unlink()
    return seconds, peak_kb / 1024


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def run(report: Report) -> Path:
    """Generates scale 1, kept in data/bench/scale-1 for the other benchmarks; returns its
    landing folder."""
    landing = SCALE_1_DIR / "landing"
    seconds, peak = generate(1.0, landing)
    report.add("generate", "scale 1 wall time", seconds, "s", "< 60 s", seconds < 60)
    report.add("generate", "scale 1 peak memory (largest process)", peak, "MB")
    report.add("generate", "scale 1 exports on disk", size_mb(landing), "MB")
    return landing


def run_scale_10(report: Report) -> Path:
    """Generates scale 10 into SCALE_10_DIR (13 GB: the caller removes it when done);
    returns its landing folder."""
    landing = SCALE_10_DIR / "landing"
    seconds, peak = generate(10.0, landing)
    report.add("generate", "scale 10 wall time", seconds, "s")
    report.add("generate", "scale 10 peak memory (largest process)", peak, "MB")
    report.add("generate", "scale 10 exports on disk", size_mb(landing), "MB")
    return landing
