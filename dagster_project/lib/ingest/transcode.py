"""GB18030 files streamed to DuckDB as UTF-8 through named pipes, without a temporary copy.

DuckDB here has no GB18030 reader (and cannot download its encodings extension), so a thread
decodes each file chunk by chunk with an incremental decoder and writes UTF-8 into a FIFO that
DuckDB's CSV reader opens like a file. Memory stays at one chunk whatever the file size. Chunks
that are pure ASCII (most of a typical ERP file: numbers and codes) are passed through as they
are, since ASCII is the same in both encodings. A byte that is not valid GB18030, or a file that
turns out to be UTF-8, is reported in `errors`; the caller rejects that file after the scan.
"""

from __future__ import annotations

import codecs
import errno
import os
import shutil
import tempfile
import threading
from pathlib import Path
from types import TracebackType

from dagster_project.lib.ingest.fingerprint import CHUNK_BYTES, Rejection
from dagster_project.lib.ingest.rules import FileProblem

_CHUNK = CHUNK_BYTES // 4
_POLL_SECONDS = 0.002


class TranscodingPipes:
    """Context manager: {source path: FIFO path}; a thread fills the FIFOs as DuckDB opens them."""

    def __init__(self, sources: list[tuple[Path, str]], encoding: str):
        # (source file, relative FIFO name): the name keeps <batch>/<file> so rules that read the
        # batch from the path work on the FIFO path too.
        self.sources = sources
        self.encoding = encoding
        self.errors: dict[Path, Rejection] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._dir: Path | None = None
        self.fifos: dict[Path, Path] = {}

    def __enter__(self) -> TranscodingPipes:
        if not self.sources:
            return self
        self._dir = Path(tempfile.mkdtemp(prefix="profitlens-gb18030-"))
        for source, name in self.sources:
            fifo = self._dir / name
            fifo.parent.mkdir(parents=True, exist_ok=True)
            os.mkfifo(fifo)
            self.fifos[source] = fifo
        self._thread = threading.Thread(target=self._serve, name="gb18030-pump", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)

    def _serve(self) -> None:
        """Serve whichever FIFO DuckDB has opened, preferring file order; until all are done.

        If streaming fails, the remaining FIFOs are still opened and closed as DuckDB reaches
        them (it reads them as empty) so that DuckDB never waits forever; those files are
        reported in `errors` and rejected."""
        pending = [source for source, _ in self.sources]
        failure: BaseException | None = None
        while pending and not self._stop.is_set():
            fd = self._open_next(pending)
            if fd is None:
                self._stop.wait(_POLL_SECONDS)
                continue
            source, fd = fd
            pending.remove(source)
            try:
                with open(fd, "wb", closefd=True) as sink:
                    if failure is None:
                        self._stream(source, sink)
            except BaseException as error:  # noqa: BLE001 - reported, the scan goes on
                failure = failure or error
            if failure is not None:
                self.errors.setdefault(
                    source,
                    Rejection(
                        FileProblem.UNREADABLE_FILE,
                        f"{source}: could not be transcoded to UTF-8: {failure!r}",
                    ),
                )

    def _open_next(self, pending: list[Path]) -> tuple[Path, int] | None:
        for source in list(pending):
            try:
                fd = os.open(self.fifos[source], os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                if error.errno == errno.ENXIO:  # DuckDB has not opened this one yet
                    continue
                pending.remove(source)
                self.errors[source] = Rejection(
                    FileProblem.UNREADABLE_FILE, f"{source}: cannot stream it to DuckDB: {error}"
                )
                continue
            os.set_blocking(fd, True)
            return source, fd
        return None

    def _stream(self, source: Path, sink) -> None:
        decoder = codecs.getincrementaldecoder(self.encoding)("strict")
        utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        maybe_utf8, saw_non_ascii = True, False
        offset, newlines = 0, 0
        try:
            with open(source, "rb") as handle:
                while chunk := handle.read(_CHUNK):
                    if chunk.isascii() and decoder.getstate()[0] == b"":
                        sink.write(chunk)
                    else:
                        saw_non_ascii = True
                        if maybe_utf8:
                            try:
                                utf8.decode(chunk)
                            except UnicodeDecodeError:
                                maybe_utf8 = False
                        try:
                            sink.write(decoder.decode(chunk).encode("utf-8"))
                        except UnicodeDecodeError as error:
                            byte = offset + error.start
                            line = newlines + chunk[: error.start].count(b"\n") + 1
                            self.errors[source] = Rejection(
                                FileProblem.WRONG_ENCODING,
                                f"{source}: byte {byte} (line {line}) is not valid "
                                f"{self.encoding}; the contract says this system exports "
                                f"{self.encoding}. "
                                f"Re-export the file in {self.encoding}.",
                            )
                            return
                    offset += len(chunk)
                    newlines += chunk.count(b"\n")
                sink.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeDecodeError:
            self.errors[source] = Rejection(
                FileProblem.WRONG_ENCODING,
                f"{source}: the file ends inside a multi-byte {self.encoding} character.",
            )
            return
        except BrokenPipeError:
            self.errors.setdefault(
                source,
                Rejection(FileProblem.UNREADABLE_FILE, f"{source}: DuckDB stopped reading it."),
            )
            return
        if saw_non_ascii and maybe_utf8:
            self.errors[source] = Rejection(
                FileProblem.WRONG_ENCODING,
                f"{source}: the file is UTF-8, not {self.encoding} as the contract says this "
                f"system exports (its Chinese text would load garbled). Re-export it in "
                f"{self.encoding}.",
            )
