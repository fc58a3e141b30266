"""One sequential pass over a file before DuckDB parses it: checksum, line count, file-level checks.

The pass streams the file in 4 MB chunks (constant memory) and computes the sha256 that decides
whether the file is loaded at all, counts physical lines (the independent `rows_read` of a text
file), notes whether it is pure ASCII (a pure-ASCII GB18030 file is valid UTF-8, so DuckDB can
read it directly), validates UTF-8 where the contract declares it, and checks the header or the
first record against the contract. File-level problems found here keep the file out of the scan.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from dagster_project.contracts import Entity, System
from dagster_project.lib.ingest.rules import FileProblem

CHUNK_BYTES = 4 << 20
_HEAD_BYTES = 1 << 16
UTF8_BOM = codecs.BOM_UTF8


@dataclass(frozen=True)
class Rejection:
    problem: FileProblem
    message: str  # names the file and, where it applies, the column

    def text(self) -> str:
        return f"{self.problem}: {self.message}"


@dataclass(frozen=True)
class FileFacts:
    size: int
    sha256: str
    mtime_ns: int
    newlines: int
    ends_with_newline: bool
    is_ascii: bool
    rejection: Rejection | None = None

    @property
    def physical_lines(self) -> int:
        """Lines as an editor counts them (a last line without a line break counts too)."""
        return self.newlines + (0 if self.ends_with_newline or self.size == 0 else 1)


def fingerprint(path: Path, system: System, entity: Entity) -> FileFacts:
    digest = hashlib.sha256()
    stat = path.stat()
    newlines = 0
    is_ascii = True
    head = b""
    last = b""
    offset = 0
    utf8 = codecs.getincrementaldecoder("utf-8")("strict") if _declares_utf8(system) else None
    encoding_error: Rejection | None = None
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            if system.format != "parquet":
                newlines += chunk.count(b"\n")
                plain = chunk.isascii()
                is_ascii = is_ascii and plain
                if utf8 is not None and encoding_error is None and not (plain and _clean(utf8)):
                    try:
                        utf8.decode(chunk)
                    except UnicodeDecodeError as error:
                        encoding_error = _encoding_rejection(path, system, offset + error.start)
                if len(head) < _HEAD_BYTES:
                    head += chunk[: _HEAD_BYTES - len(head)]
            last = chunk[-1:]
            offset += len(chunk)
    if utf8 is not None and encoding_error is None:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding_error = _encoding_rejection(path, system, offset - 1)
    facts = FileFacts(
        size=offset,
        sha256=digest.hexdigest(),
        mtime_ns=stat.st_mtime_ns,
        newlines=newlines,
        ends_with_newline=last == b"\n",
        is_ascii=is_ascii,
    )
    if system.format == "parquet":
        if offset == 0:
            return _with(facts, FileProblem.EMPTY_FILE, f"{path}: the file is empty (0 bytes).")
        return facts
    return _with_rejection(
        facts, _text_rejection(path, system, entity, facts, head, encoding_error)
    )


def first_look(path: Path, system: System, entity: Entity) -> FileFacts | None:
    """What the scan needs before the checksum pass is done, from the file's head and last byte.

    The checksum pass over a new file runs while DuckDB scans it (the file has to be hashed
    anyway; hashing alongside costs no extra wall time). Before the scan only the cheap checks
    run: empty, cut off, byte-order mark, header or first record. Returns provisional facts
    (no sha256 or line count yet; replaced by `fingerprint`'s after the scan), or None when the
    file has a problem, which `fingerprint` then describes before the scan. A GB18030 file is
    also checked for being pure ASCII here, since that decides how DuckDB reads it."""
    stat = path.stat()
    if stat.st_size == 0:
        return None
    is_ascii = False
    if system.format == "parquet":
        return FileFacts(stat.st_size, "", stat.st_mtime_ns, 0, False, is_ascii)
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
        handle.seek(-1, 2)
        last = handle.read(1)
        if codecs.lookup(system.encoding).name == "gb18030":
            handle.seek(0)
            is_ascii = all(chunk.isascii() for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""))
    facts = FileFacts(stat.st_size, "", stat.st_mtime_ns, 0, last == b"\n", is_ascii)
    if _text_rejection(path, system, entity, facts, head, None) is not None:
        return None
    return facts


def _with(facts: FileFacts, problem: FileProblem, message: str) -> FileFacts:
    return _with_rejection(facts, Rejection(problem, message))


def _with_rejection(facts: FileFacts, rejection: Rejection | None) -> FileFacts:
    if rejection is None:
        return facts
    return FileFacts(**{**facts.__dict__, "rejection": rejection})


def _declares_utf8(system: System) -> bool:
    return codecs.lookup(system.encoding).name in ("utf-8", "utf-8-sig")


def _clean(decoder: codecs.IncrementalDecoder) -> bool:
    return decoder.getstate()[0] == b""


def _encoding_rejection(path: Path, system: System, byte: int) -> Rejection:
    with open(path, "rb") as handle:
        line = handle.read(byte).count(b"\n") + 1
    return Rejection(
        FileProblem.WRONG_ENCODING,
        f"{path}: byte {byte} (line {line}) is not valid {system.encoding}; the contract says "
        f"{system.name} exports are {system.encoding}. Re-export the file in {system.encoding}.",
    )


def _text_rejection(
    path: Path,
    system: System,
    entity: Entity,
    facts: FileFacts,
    head: bytes,
    encoding_error: Rejection | None,
) -> Rejection | None:
    if facts.size == 0:
        if system.format == "jsonl":
            return None  # no records: a valid empty delta
        return Rejection(
            FileProblem.EMPTY_FILE,
            f"{path}: the file is empty (0 bytes); a CSV export has at least its header line.",
        )
    if encoding_error is not None:
        return encoding_error
    if codecs.lookup(system.encoding).name == "gb18030" and head.startswith(UTF8_BOM):
        return Rejection(
            FileProblem.WRONG_ENCODING,
            f"{path}: the file starts with a UTF-8 byte-order mark, so it was saved as UTF-8; "
            f"the contract says {system.name} exports are {system.encoding}.",
        )
    if not facts.ends_with_newline:
        return Rejection(
            FileProblem.TRUNCATED_FILE,
            f"{path}: the last line (line {facts.physical_lines}) has no line break: the file was "
            f"cut off after {facts.size} bytes. Re-export it.",
        )
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    if system.format == "csv":
        return _header_rejection(path, system, entity, first_line)
    return _json_fields_rejection(path, entity, head)


def _header_rejection(path: Path, system: System, entity: Entity, line: bytes) -> Rejection | None:
    try:
        text = line.decode(system.encoding)
    except UnicodeDecodeError:
        text = line.decode(system.encoding, errors="replace")
    found = next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=system.delimiter), [])
    return _columns_rejection(path, entity, found, "header")


def _json_fields_rejection(path: Path, entity: Entity, head: bytes) -> Rejection | None:
    """The fields of the first record that parses (a broken first line is a row problem)."""
    for raw in head.split(b"\n")[:-1][:20]:
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        if isinstance(record, dict):
            found = list(record)
            expected = set(entity.column_names)
            # JSON field order carries no meaning, and extra fields are tolerated.
            if expected <= set(found):
                return None
            return _columns_rejection(path, entity, found, "first record", ordered=False)
    return None


def _columns_rejection(
    path: Path, entity: Entity, found: list[str], where: str, ordered: bool = True
) -> Rejection | None:
    expected = entity.column_names
    missing = [name for name in expected if name not in found]
    unknown = [name for name in found if name not in expected]
    listing = ", ".join(expected)
    if missing and unknown:
        pairs = "; ".join(f"'{m}' is missing" for m in missing)
        return Rejection(
            FileProblem.RENAMED_COLUMN,
            f"{path}: {pairs} from the {where}, which has {_quoted(unknown)} instead "
            f"(renamed?). The contract's columns are: {listing}.",
        )
    if missing:
        return Rejection(
            FileProblem.MISSING_COLUMN,
            f"{path}: column {_quoted(missing)} is missing from the {where}. "
            f"The contract's columns are: {listing}.",
        )
    if unknown and ordered:
        return Rejection(
            FileProblem.UNEXPECTED_COLUMN,
            f"{path}: the {where} has column {_quoted(unknown)}, which the contract does not "
            f"declare. The contract's columns are: {listing}.",
        )
    if ordered and found != expected:
        return Rejection(
            FileProblem.COLUMN_ORDER,
            f"{path}: the {where} has the contract's columns in another order "
            f"({', '.join(found)}); expected: {listing}.",
        )
    return None


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)
