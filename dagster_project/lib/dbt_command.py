"""`profitlens-dbt`: dbt's command line with Python's cyclic garbage collector switched off.

Every dbt command of the product runs through it (the nightly job, the manifest parse, the
benchmark, the tests). dbt keeps hundreds of thousands of long-lived objects (its manifest,
the macros of every node's context), and the collector walks them again and again: about a
second of dbt's single Python thread on a night at scale 1, most of it while dbt starts and
builds the staging layer, when nothing else can run (docs/operations.md, "dbt's garbage
collector"). Reference counting still frees what dbt drops; only garbage in reference cycles
stays, and it lives no longer than this one command, whose nodes are the same at any scale
(measured: peak memory of a night unchanged).
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    gc.disable()  # before dbt's imports: they already set the collector going
    from dbt.cli.main import cli

    sys.exit(cli())
