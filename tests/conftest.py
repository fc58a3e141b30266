"""Shared fixtures: a generated demo dataset and a warehouse built from it, in temporary folders.

Tests never touch the developer's own data/: every setting points into pytest's tmp dirs.
Building is the slow part, so one warehouse is built per session and shared read-only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dagster_project.lib.generate import generate

DEMO_SCALE = 0.01
DEMO_SEED = 7


@dataclass(frozen=True)
class Demo:
    landing_dir: Path
    truth: dict


@dataclass(frozen=True)
class Warehouse:
    landing_dir: Path
    warehouse_dir: Path
    truth: dict

    @property
    def published_path(self) -> Path:
        return self.warehouse_dir / "profitlens.duckdb"


def make_demo(root: Path, scale: float = DEMO_SCALE, seed: int = DEMO_SEED, **options) -> Demo:
    landing = root / "landing"
    result = generate(landing, scale=scale, seed=seed, **options)
    return Demo(landing, result.truth)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """Demo exports at test scale (about 10k order lines); treat as read-only."""
    return make_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Point every ProfitLens setting at `tmp_path`; returns a function to repoint the landing."""

    def point(landing_dir: Path, warehouse_dir: Path | None = None) -> Path:
        warehouse = warehouse_dir or tmp_path / "warehouse"
        monkeypatch.setenv("PROFITLENS_LANDING_DIR", str(landing_dir))
        monkeypatch.setenv("PROFITLENS_WAREHOUSE_DIR", str(warehouse))
        monkeypatch.delenv("PROFITLENS_REPORTING_CURRENCY", raising=False)
        return warehouse

    return point


def run_build():
    """The whole build (ingest -> dbt -> publish) in-process, as `profitlens build` runs it."""
    import dagster as dg

    from dagster_project.definitions import defs

    with dg.DagsterInstance.ephemeral() as instance:
        return (
            defs()
            .resolve_job_def("build_warehouse")
            .execute_in_process(instance=instance, raise_on_error=False)
        )


@pytest.fixture(scope="session")
def built_warehouse(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    """A warehouse built and published from the demo exports; treat as read-only."""
    warehouse_dir = tmp_path_factory.mktemp("warehouse")
    saved = dict(os.environ)
    os.environ["PROFITLENS_LANDING_DIR"] = str(demo.landing_dir)
    os.environ["PROFITLENS_WAREHOUSE_DIR"] = str(warehouse_dir)
    os.environ.pop("PROFITLENS_REPORTING_CURRENCY", None)
    try:
        result = run_build()
        if not result.success:
            from dagster_project.cli import build_problems

            pytest.fail("demo build failed:\n" + "\n".join(build_problems(result)))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    yield Warehouse(demo.landing_dir, warehouse_dir, demo.truth)


@pytest.fixture(scope="session")
def published_warehouse(built_warehouse: Warehouse) -> Path:
    """Path of the published profitlens.duckdb built from the demo exports."""
    return built_warehouse.published_path
