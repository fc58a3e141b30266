"""Generator speed and memory: scale 1 under 60 s (target of the source-systems issue)."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.report import BENCH_DIR, Report

SCALE_1_DIR = BENCH_DIR / "scale-1"


def generate(scale: float, out: Path) -> tuple[float, float]:
    """Generate in a fresh process; returns (seconds, peak resident MB of the process tree)."""
    shutil.rmtree(out.parent, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [
            str(Path(sys.executable).with_name("profitlens")),
            "generate",
            "--scale",
            str(scale),
            "--seed",
            "1",
            "--out",
            str(out),
        ],
        check=True,
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def run(report: Report, scale_10: bool = False) -> tuple[Path, Path | None]:
    """Generates scale 1 (kept in data/bench/scale-1 for the other benchmarks) and, when
    asked, scale 10 (data/bench/scale-10: the caller removes it when done, 13 GB).

    Returns the landing folders of scale 1 and of scale 10 (None when not generated).
    """
    landing = SCALE_1_DIR / "landing"
    seconds, peak = generate(1.0, landing)
    report.add("generate", "scale 1 wall time", seconds, "s", "< 60 s", seconds < 60)
    report.add("generate", "scale 1 peak memory (largest process)", peak, "MB")
    report.add("generate", "scale 1 exports on disk", size_mb(landing), "MB")
    if not scale_10:
        return landing, None
    landing_10 = BENCH_DIR / "scale-10" / "landing"
    seconds, peak = generate(10.0, landing_10)
    report.add("generate", "scale 10 wall time", seconds, "s")
    report.add("generate", "scale 10 peak memory (largest process)", peak, "MB")
    report.add("generate", "scale 10 exports on disk", size_mb(landing_10), "MB")
    return landing, landing_10
