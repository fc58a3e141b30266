"""Benchmark figures: printed as a table and saved as JSON (data/bench/results.json)."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dagster_project.lib.settings import REPO_ROOT

BENCH_DIR = REPO_ROOT / "data" / "bench"


@dataclass
class Figure:
    section: str
    metric: str
    value: float
    unit: str
    target: str = ""  # e.g. "< 60 s"; empty when informative
    passed: bool | None = None


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    started: float = field(default_factory=time.time)

    def add(
        self,
        section: str,
        metric: str,
        value: float,
        unit: str,
        target: str = "",
        passed: bool | None = None,
    ) -> None:
        self.figures.append(Figure(section, metric, round(value, 3), unit, target, passed))
        verdict = "" if passed is None else ("  ok" if passed else "  MISSED")
        print(f"  {section} | {metric}: {value:,.2f} {unit} {target}{verdict}", flush=True)

    def print_table(self) -> None:
        print("\n| section | metric | value | target | |\n| --- | --- | ---: | --- | --- |")
        for f in self.figures:
            verdict = "" if f.passed is None else ("ok" if f.passed else "**missed**")
            print(
                f"| {f.section} | {f.metric} | {f.value:,.2f} {f.unit} | {f.target} | {verdict} |"
            )

    def save(self, path: Path = BENCH_DIR / "results.json") -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(
                {
                    "machine": {
                        "python": platform.python_version(),
                        "cpus": __import__("os").cpu_count(),
                    },
                    "seconds": round(time.time() - self.started, 1),
                    "figures": [asdict(f) for f in self.figures],
                },
                indent=2,
            )
            + "\n"
        )
        return path

    @property
    def missed(self) -> list[Figure]:
        return [f for f in self.figures if f.passed is False]
