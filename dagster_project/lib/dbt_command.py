"""`profitlens-dbt`: dbt's own command line, with two costs of dbt's single Python thread removed.

Every dbt command of the product runs through it (the nightly job, the manifest parse, the
benchmark, the tests); arguments, output and exit status are dbt's (docs/operations.md, "dbt's
Python thread").

- Python's cyclic garbage collector is off. dbt keeps hundreds of thousands of long-lived
  objects (its manifest, the macros of every node's context), and the collector walks them
  again and again: about a second of a night at scale 1, most of it while dbt starts and
  builds the staging layer, when nothing else can run. Reference counting still frees what
  dbt drops; only garbage in reference cycles stays, and it lives no longer than this one
  command, whose nodes are the same at any scale (measured: peak memory of a night unchanged).
- A log line is formatted only for a log that keeps it. dbt formats every event for every log
  (its text, or JSON as Dagster reads it, scrubbed of secrets by scanning the whole
  environment) and only then lets Python's logging drop what is below the log's level: every
  SQL statement, twice, on an ordinary night. What each log writes is unchanged.
"""

from __future__ import annotations

import gc
import logging
import sys


def format_only_kept_log_lines() -> bool:
    """Make dbt skip formatting a line its log would drop. False (nothing changed) when dbt's
    logger no longer has the parts this relies on: dbt then works as it ships."""
    from dbt_common.events import logger as event_logger

    logger_class = getattr(event_logger, "_Logger", None)
    is_print_event = getattr(event_logger, "_is_print_event", None)
    level_map = getattr(event_logger, "_log_level_map", None)  # dbt's levels as logging's
    if None in (logger_class, is_print_event, level_map) or "write_line" not in vars(logger_class):
        return False
    write_line = logger_class.write_line
    python_levels = {level.value: number for level, number in level_map.items()}

    def write_kept_line(self, msg) -> None:
        python_logger = getattr(self, "_python_logger", None)
        if python_logger is None:
            return  # no output: dbt would format the line and discard it
        # print events always go out (dbt sends them as errors, so --quiet keeps them)
        level = logging.ERROR if is_print_event(msg) else python_levels.get(msg.info.level)
        if level is not None and not python_logger.isEnabledFor(level):
            return
        write_line(self, msg)

    logger_class.write_line = write_kept_line
    return True


def main() -> None:
    gc.disable()  # before dbt's imports: they already set the collector going
    format_only_kept_log_lines()
    from dbt.cli.main import cli

    sys.exit(cli())
