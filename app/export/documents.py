"""A bundle's documents (README.txt, report.pdf, the CSV files, the manifest) as they wait to
be written into it: small ones deflated in memory, big ones in an unnamed file beside the
bundle, each hashed as it was made."""

import contextlib
import hashlib
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.export.bundle_zip import DEFLATE_LEVEL, inflated
from app.export.manifest import FileEntry


@dataclass(frozen=True)
class Document:
    """A small document of the bundle (README.txt), kept deflated in memory until written.

    Deflated as a ZIP member is (raw deflate at level 1), with its CRC-32, so a plain ZIP takes
    the packed bytes as they are: inflating twenty megabytes of text and deflating it again
    was a twentieth of a 10,000-item export."""

    path: str
    packed: bytes
    size: int
    sha256: str
    deflated: bool
    crc: int  # CRC-32 of the document as written (ZIP's check)

    @classmethod
    def of(cls, path: str, data: bytes, *, pack: bool = True) -> "Document":
        if not pack:
            return cls(path, data, len(data), hashlib.sha256(data).hexdigest(), False,
                       zlib.crc32(data))
        deflater = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        return cls(path, deflater.compress(data) + deflater.flush(), len(data),
                   hashlib.sha256(data).hexdigest(), True, zlib.crc32(data))

    def data(self) -> bytes:
        return b"".join(self.chunks())

    def packed_pieces(self) -> Iterator[bytes]:
        yield self.packed

    def chunks(self) -> Iterator[bytes]:
        """The document a megabyte at a time (never whole, a second time, in memory)."""
        if not self.deflated:
            yield self.packed
            return
        yield from inflated(self.packed_pieces())

    def entry(self) -> FileEntry:
        return FileEntry(self.path, self.sha256, self.size)

    def close(self) -> None:
        """Nothing to let go: the document is in memory."""


class SpooledDocument:
    """A document written to an unnamed file as it is made, hashed on the way: report.pdf
    (300 MB for 1,000 screenshot pages) as it is, and the CSV files and the manifest deflated
    (tens of megabytes of text in a case of 30,000 items, held in memory until they were
    written). The file sits beside the bundle, which holds the same in the clear, and has no
    name: the system removes it when it is closed, also if Safekeep is stopped."""

    def __init__(self, path: str, folder: Path, *, deflate: bool = False) -> None:
        self.path = path
        self.deflated = deflate
        self._deflater = (zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
                          if deflate else None)
        self._file = tempfile.TemporaryFile(dir=folder)
        self._digest = hashlib.sha256()
        self.size = self.crc = 0
        self.sha256 = ""

    @classmethod
    def streamed(cls, path: str, chunks: Iterable[bytes], folder: Path) -> "SpooledDocument":
        """A document made a piece at a time (csv/messages.csv of 200,000 messages): hashed
        and deflated as it comes, never whole in memory."""
        document = cls(path, folder, deflate=True)
        try:
            for chunk in chunks:
                document.write(chunk)
            return document.done()
        except BaseException:
            document.close()
            raise

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self._file.write(data if self._deflater is None else self._deflater.compress(data))
        return len(data)

    def done(self) -> "SpooledDocument":
        if self._deflater is not None:
            self._file.write(self._deflater.flush())
            self._deflater = None
        self._file.flush()
        self.sha256 = self._digest.hexdigest()
        return self

    def restart(self) -> None:
        """Empty again, as new: what a process stopped half-way had written is dropped."""
        self._file.seek(0)
        self._file.truncate()
        self._digest = hashlib.sha256()
        self.size = self.crc = 0
        self.sha256 = ""

    def adopt(self, size: int, crc: int, sha256: str) -> None:
        """What another process wrote into this file (app/export/report_process.py), as it
        counted it."""
        self.size, self.crc, self.sha256 = size, crc, sha256

    def packed_pieces(self) -> Iterator[bytes]:
        """The file as written: deflated for a deflated document."""
        self._file.seek(0)
        while chunk := self._file.read(_SPOOL_CHUNK):
            yield chunk

    def chunks(self) -> Iterator[bytes]:
        """The document itself, a megabyte at a time."""
        if self.deflated:
            yield from inflated(self.packed_pieces())
        else:
            yield from self.packed_pieces()

    def data(self) -> bytes:
        return b"".join(self.chunks())

    def entry(self) -> FileEntry:
        return FileEntry(self.path, self.sha256, self.size)

    def close(self) -> None:
        """Let the file go. What it still held unwritten is not wanted (the file has no name):
        a disk that is full by now must not turn the export's own error into this one."""
        with contextlib.suppress(OSError):
            self._file.close()


_SPOOL_CHUNK = 1 << 20
