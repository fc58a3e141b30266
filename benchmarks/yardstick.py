"""The machine's speed at the time of a benchmark, to compare figures taken on other days.

This machine's single-core speed drifts (the same loop took 2.0 s and 3.1 s minutes apart):
the yardstick, taken before and after the run, says how fast it was then.
"""

from __future__ import annotations

import time

STEPS = 20_000_000


def seconds() -> float:
    """Wall time of a fixed pure-Python loop (one core, no I/O)."""
    started = time.perf_counter()
    total = 0
    for step in range(STEPS):
        total += step * step
    return time.perf_counter() - started
