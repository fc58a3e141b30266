"""Physical line numbers of rejected rows, from the reader's row order and its rejected lines.

DuckDB's CSV reader emits rows in file order but not their line numbers; its rejects table has
the line of each rejected record. In the usual file (every physical line one record, as the
pre-pass can tell from its line count) the k-th emitted row of a file is on line
k + header + (number of rejected lines before it): a handful of (row threshold, shift) pairs per
file, applied in SQL with an ASOF join over the rejected rows only (loaded rows keep no line).
A file where that count does not add up (blank lines, a quoted value running over several
lines, an unterminated quote) is scanned once more, here, to map records to lines exactly;
that costs a second read of that file only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

_CHUNK = 4 << 20


@dataclass
class FileLines:
    rows_read: int
    shifts: list[tuple[int, int]] = field(default_factory=list)  # (first row k, shift) pairs
    reject_lines: dict[int, int] = field(default_factory=dict)  # reader's record -> line
    note: str | None = None


def map_lines(
    path: Path,
    physical_lines: int,
    emitted: int,
    rejected_records: list[int],
    header_lines: int,
    quoted: bool,
) -> FileLines:
    """Line numbers of one file's rows. `emitted`: rows the reader returned (incl. blank JSON
    lines); `rejected_records`: the reader's line numbers of the lines it rejected."""
    records = sorted(set(rejected_records))
    if physical_lines == header_lines + emitted + len(records):
        return FileLines(
            rows_read=emitted + len(records),
            shifts=_shifts_from_rejects(records, header_lines),
            reject_lines={r: r for r in records},
        )
    if not quoted:
        return _unmatched(emitted, records, header_lines, path)
    starts = _record_starts(path)
    rejected = set(records)
    good = [
        line
        for index, (line, blank) in enumerate(starts, start=1)
        if index > header_lines and not blank and index not in rejected
    ]
    if len(good) != emitted:
        return _unmatched(emitted, records, header_lines, path)
    shifts, current = [], 0
    for k, line in enumerate(good, start=1):
        shift = line - (k + header_lines)
        if shift != current:
            shifts.append((k, shift))
            current = shift
    reject_lines = {r: starts[r - 1][0] if r <= len(starts) else r for r in records}
    return FileLines(len(good) + len(records), shifts, reject_lines)


def _shifts_from_rejects(records: list[int], header_lines: int) -> list[tuple[int, int]]:
    # Row k follows the j-th rejected line r_j when k >= r_j - header - j + 1: it moves down j.
    by_threshold: dict[int, int] = {}
    for j, record in enumerate(records, start=1):
        by_threshold[record - header_lines - j + 1] = j
    return sorted(by_threshold.items())


def _unmatched(emitted: int, records: list[int], header_lines: int, path: Path) -> FileLines:
    lines = FileLines(
        emitted + len(records),
        _shifts_from_rejects(records, header_lines),
        {r: r for r in records},
    )
    lines.note = (
        f"{path}: the reader's records could not be matched to physical lines; line numbers "
        "count records, not lines"
    )
    return lines


def _record_starts(path: Path) -> list[tuple[int, bool]]:
    """(first physical line, is blank) of each record as a CSV reader splits them: a line
    break inside double quotes continues the record ("" is an escaped quote, so parity works)."""
    starts: list[tuple[int, bool]] = []
    in_quotes = False
    line = 0
    pending = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            pieces = (pending + chunk).split(b"\n")
            pending = pieces.pop()
            for piece in pieces:
                line += 1
                if not in_quotes:
                    starts.append((line, piece.rstrip(b"\r") == b""))
                if piece.count(b'"') % 2:
                    in_quotes = not in_quotes
    if pending:
        line += 1
        if not in_quotes:
            starts.append((line, pending.rstrip(b"\r") == b""))
    return starts
