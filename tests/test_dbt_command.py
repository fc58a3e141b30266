"""profitlens-dbt formats only the log lines a log keeps, and every log writes what dbt writes.

(The whole command is exercised elsewhere: tests/dbt/test_incremental.py reads the SQL
statements from a debug-level dbt.log, tests/test_build.py reads Dagster's JSON events.)
"""

from __future__ import annotations

import io
import re

import pytest
from dbt_common.events import logger as event_logger
from dbt_common.events.base_types import EventLevel, msg_from_base_event
from dbt_common.events.types import Note, PrintEvent

from dagster_project.lib.dbt_command import format_only_kept_log_lines


def _events() -> list:
    return [
        msg_from_base_event(Note(msg="select 42 as answer"), level=EventLevel.DEBUG),
        msg_from_base_event(Note(msg="1 of 1 OK created sql table model"), level=EventLevel.INFO),
        msg_from_base_event(Note(msg="3 nodes failed"), level=EventLevel.WARN),
        msg_from_base_event(PrintEvent(msg="shown to --quiet too")),
    ]


def _written(events: list, level: EventLevel, line_format, name: str) -> tuple[str, int]:
    """What a dbt log of `level` writes for `events`, and how many lines it formatted."""
    scrubbed = []
    stream = io.StringIO()
    config = event_logger.LoggerConfig(
        name=name,
        level=level,
        line_format=line_format,
        output_stream=stream,
        scrubber=lambda line: scrubbed.append(line) or line,
    )
    log_class = (
        event_logger._JsonLogger
        if line_format == event_logger.LineFormat.Json
        else event_logger._TextLogger
    )
    log = log_class(config)
    for msg in events:
        log.write_line(msg)
    # text lines start with the wall-clock time, which may tick between the two runs
    return re.sub(r"\d\d:\d\d:\d\d", "hh:mm:ss", stream.getvalue()), len(scrubbed)


@pytest.mark.parametrize("line_format", list(event_logger.LineFormat))
@pytest.mark.parametrize(
    ("level", "kept"),
    [(EventLevel.DEBUG, 4), (EventLevel.INFO, 3), (EventLevel.ERROR, 1)],
)
def test_a_log_writes_what_dbt_writes_and_formats_only_those_lines(
    monkeypatch: pytest.MonkeyPatch, line_format, level: EventLevel, kept: int
) -> None:
    events = _events()
    name = f"profitlens-test-{line_format.name}-{level.value}"
    as_shipped, formatted_as_shipped = _written(events, level, line_format, name)
    monkeypatch.setattr(event_logger._Logger, "write_line", event_logger._Logger.write_line)

    assert format_only_kept_log_lines()
    written, formatted = _written(events, level, line_format, name)

    assert written == as_shipped
    assert written.count("\n") == kept
    assert formatted == kept  # dbt as shipped formats every event: len(events)
    assert formatted_as_shipped == len(events)
