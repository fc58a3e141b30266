"""How much memory DuckDB may use during a build: PROFITLENS_DUCKDB_MEMORY_LIMIT, checked.

Without the variable the limit is a share of the machine's memory, so that a laptop and a
large server both get a limit that fits (a fixed 8GB was too much for small machines and
wasted large ones). The share leaves room for the Python process, dbt and the OS page cache.
"""

from __future__ import annotations

import math
import os
import re
from decimal import Decimal
from pathlib import Path

DEFAULT_SHARE = 0.6
# The sizes DuckDB's memory_limit takes (GB = 1000^3 bytes, GiB = 1024^3), canonical spelling.
UNITS = {unit.lower(): unit for unit in ("KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB", "%")}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z%]+)")
# A container's memory limit, when it has one (cgroup v2, then v1); above the RAM: no limit.
_CGROUP_LIMITS = (
    Path("/sys/fs/cgroup/memory.max"),
    Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
)


def available_memory_bytes() -> int | None:
    """Physical memory (os.sysconf), or a container's lower limit; None when unknown."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows) or no such name
        return None
    limits = [physical]
    for path in _CGROUP_LIMITS:
        try:
            limits.append(int(path.read_text().strip()))
        except (OSError, ValueError):  # absent, or "max" (no limit)
            continue
    return min(limits) if physical > 0 else None


def default_memory_limit(memory_bytes: int | None = None) -> str:
    """DEFAULT_SHARE of `memory_bytes` (default: this machine's), in whole GB, e.g. `"14GB"`.

    Below 1GB in whole MB; when the memory is unknown, DuckDB's own percentage syntax, which
    it resolves against the same physical memory.
    """
    memory_bytes = available_memory_bytes() if memory_bytes is None else memory_bytes
    if not memory_bytes:
        return f"{DEFAULT_SHARE:.0%}"
    share = memory_bytes * DEFAULT_SHARE
    if share >= 1e9:
        return f"{math.floor(share / 1e9)}GB"
    return f"{max(1, math.floor(share / 1e6))}MB"


def memory_limit(variable: str) -> str:
    """The limit set in `variable`, spelled as DuckDB takes it (`" 12 gb"` -> `"12GB"`)."""
    text = (os.environ.get(variable) or "").strip()
    if not text:
        return default_memory_limit()
    match = _SIZE.fullmatch(text.lower())
    unit = UNITS.get(match.group(2)) if match else None
    amount = Decimal(match.group(1)) if match else Decimal(0)
    if unit is None or amount <= 0 or (unit == "%" and amount > 100):
        raise ValueError(
            f"{variable}={text!r} is not a memory size; set it to a positive number with a "
            f"unit ({', '.join(UNITS)}), such as 8GB or 512MB, or a share of the memory such "
            f"as 60%. Unset, it is {DEFAULT_SHARE:.0%} of this machine's memory "
            f"({default_memory_limit()})."
        )
    return f"{match.group(1)}{unit}"
