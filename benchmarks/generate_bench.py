"""Generator speed and memory: scale 1 under 60 s (target of the source-systems issue)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.report import BENCH_DIR, Report

SCALE_1_DIR = BENCH_DIR / "scale-1"
SCALE_10_DIR = BENCH_DIR / "scale-10"


def generate(scale: float, out: Path) -> tuple[float, float]:
    """Generate in a fresh process; returns (seconds, peak resident MB of that process tree).

    The peak is that child's own (os.wait4), not the largest child of this process so far:
    the dbt builds of the other benchmarks are children too.
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
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    return seconds, usage.ru_maxrss / 1024


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def run(report: Report, scale: int = 1) -> Path:
    """Generates scale 1 (kept in SCALE_1_DIR for the other benchmarks) or scale 10
    (SCALE_10_DIR, 13 GB: the caller removes it when done); returns the landing folder."""
    landing = (SCALE_1_DIR if scale == 1 else SCALE_10_DIR) / "landing"
    seconds, peak = generate(float(scale), landing)
    label = f"scale {scale}"
    target = "< 60 s" if scale == 1 else ""
    report.add(
        "generate", f"{label} wall time", seconds, "s", target, seconds < 60 if target else None
    )
    report.add("generate", f"{label} peak memory (largest process)", peak, "MB")
    report.add("generate", f"{label} exports on disk", size_mb(landing), "MB")
    return landing
