"""Writing the bundle's ZIP: plain (zipfile) or AES-256 (pyzipper, WinZip AE-2, which 7-Zip
and WinZip open), hashing every file as it is written so SHA256SUMS describes exactly the
bytes in the archive.

Every file goes inside one top-level folder (`Alex-WMP-20251114-0042-2026-11-30/`), so
unzipping never scatters files into whatever folder the officer happened to be in. Paths in
SHA256SUMS and manifest.json are relative to that folder: `cd FOLDER && sha256sum -c
SHA256SUMS` works, and the entries this class returns use the same relative paths.
"""

import contextlib
import functools
import hashlib
import io
import os
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from app.export.manifest import FileEntry, same_or_new

# Formats that are compressed already: deflating them again saves under 1% and would be most
# of the export's time (a 1080p PNG screenshot costs ~30 ms to deflate, ~1 ms to store).
_ALREADY_COMPRESSED = (
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/heic", "image/heif",
    "image/avif", "video/", "audio/", "application/zip", "application/gzip",
    "application/x-7z", "application/x-rar", "application/x-bzip2", "application/x-xz",
    "application/zstd", "application/vnd.openxmlformats", "application/epub",
)
# Text is deflated at level 1: about five times quicker than zlib's default (6) on chat logs,
# and still a quarter of their size (the default made a fifth). Deflating 10,000 small text
# files at level 6 was a sixth of the export.
DEFLATE_LEVEL = 1
_INFLATE_CHUNK = 1 << 20
_ZIP64_THRESHOLD = 1 << 31
# The most one member can add around its data: local header and central directory entry with
# the name twice, ZIP64 extras, a data descriptor, AES salt, check value and code (about 190
# bytes; kept generous). And the end records of the whole archive.
_MEMBER_OVERHEAD = 320
ARCHIVE_OVERHEAD = 1024


def inflated(packed: Iterable[bytes]) -> Iterator[bytes]:
    """Raw deflate data (a ZIP member's, wbits -15), given in pieces, inflated a megabyte at
    a time."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for data in packed:
        while data:
            piece = inflater.decompress(data, _INFLATE_CHUNK)
            data = inflater.unconsumed_tail
            if piece:
                yield piece
    if rest := inflater.flush():
        yield rest


class _DeflatedAlready:
    """Stands in for zipfile's compressor while bytes that are deflated already are written:
    it has nothing held back to flush."""

    def flush(self) -> bytes:
        return b""


# What add_deflated sets on zipfile's member writer (its state in CPython 3.11; a zipfile
# that keeps it otherwise gets the ordinary writes, inflated again).
_WRITER_STATE = frozenset({"_compressor", "_file_size", "_compress_size", "_crc"})


def _write_packed(writer: Any, packed: Iterable[bytes], size: int, crc: int) -> bool:
    """Put deflated bytes, in pieces, into zipfile's member writer as if it had deflated them
    itself; False (nothing taken from `packed`) when the writer does not keep the state this
    expects."""
    if not (_WRITER_STATE <= vars(writer).keys() and hasattr(writer, "_fileobj")):
        return False
    writer._compressor = _DeflatedAlready()
    written = 0
    for piece in packed:
        writer._fileobj.write(piece)
        written += len(piece)
    writer._compress_size = written
    writer._file_size = size
    writer._crc = crc
    return True


@functools.cache
def _shortcut_proven() -> bool:
    """Whether this Python's zipfile takes packed bytes as `_write_packed` gives them: once
    per process, a member written that way in memory is read back (its CRC checked) before
    any bundle relies on it. Private state can change between Python versions; if it did,
    the bundle is written the ordinary way instead of wrongly."""
    text = b"Safekeep checks its ZIP writer. " * 64
    packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = packer.compress(text) + packer.flush()
    buffer = io.BytesIO()
    try:
        with zipfile.ZipFile(buffer, "w") as archive:
            info = zipfile.ZipInfo("check.txt", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.file_size = len(text)
            with archive.open(info, "w") as writer:
                if not _write_packed(writer, (packed,), len(text), zlib.crc32(text)):
                    return False
        with zipfile.ZipFile(buffer) as archive:
            return archive.testzip() is None and archive.read("check.txt") == text
    except (zipfile.BadZipFile, OSError, ValueError, zlib.error):
        return False


def worth_compressing(detected_type: str) -> bool:
    return not detected_type.lower().startswith(_ALREADY_COMPRESSED)


def member_bound(path: str, size: int, compress: bool, folder: str = "") -> int:
    """The most bytes a file of `size` can take in the ZIP, headers included. Deflate can grow
    data that does not compress by about 0.03% (zlib's deflateBound); 0.1% is allowed."""
    name = len(f"{folder}/{path}".encode()) if folder else len(path.encode())
    data = size + size // 1000 + 64 if compress else size
    return data + 2 * name + _MEMBER_OVERHEAD


# The bundle is flushed to the disk each time this much more of it is written (see DiskPaced).
FLUSH_EVERY = 64 * 1024 * 1024


class DiskPaced:
    """The bundle's file, flushed to the disk each time FLUSH_EVERY more bytes are written.

    Unflushed, a bundle of a gigabyte waits in memory for one fsync at the very end: a
    moment on an internal disk, but a minute or more on a USB stick (10-30 MB/s), under a
    progress bar already at its end, when a person may think it stuck and pull the stick
    out. Flushed as it goes, the copy moves at the disk's pace, the bar with it, and the
    last fsync has at most FLUSH_EVERY bytes to write. The flushing is the same work as
    before, spread out: the 1,000-screenshot export takes no longer."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._unflushed = 0
        self._sync = getattr(os, "fdatasync", os.fsync)  # macOS and Windows have only fsync

    def write(self, data: bytes) -> int:
        written = self._handle.write(data)
        self._unflushed += len(data)
        if self._unflushed >= FLUSH_EVERY:
            self.sync()
        return written

    def sync(self) -> None:
        self._handle.flush()
        self._sync(self._handle.fileno())
        self._unflushed = 0

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()

    def seekable(self) -> bool:
        return self._handle.seekable()

    def flush(self) -> None:
        self._handle.flush()

    def close(self) -> None:  # zipfile never closes a file it was given; its owner does
        self._handle.close()


class BundleZip:
    """A ZIP being written to an open binary file. Not thread-safe; one writer at a time."""

    def __init__(self, handle: IO[bytes] | DiskPaced, passphrase: str | None, when: datetime,
                 folder: str = "") -> None:
        self._prefix = f"{folder}/" if folder else ""
        self._date_time = when.timetuple()[:6]
        self._zf: Any
        if passphrase is None:
            self._zf = zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED,
                                       allowZip64=True)
            self._info_cls: Any = zipfile.ZipInfo
        else:
            import pyzipper  # only for encrypted bundles

            self._zf = pyzipper.AESZipFile(handle, "w", compression=pyzipper.ZIP_DEFLATED,
                                           allowZip64=True, encryption=pyzipper.WZ_AES)
            self._zf.setpassword(passphrase.encode("utf-8"))
            self._zf.setencryption(pyzipper.WZ_AES, nbits=256)
            self._info_cls = self._zf.zipinfo_cls
        self._writer: Any = None
        self.entries: list[FileEntry] = []

    def _info(self, path: str, compress: bool, size: int) -> Any:
        info = self._info_cls(self._prefix + path, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info._compresslevel = DEFLATE_LEVEL  # "compress_level" from 3.13, which keeps this name
        info.external_attr = 0o644 << 16  # a regular file, readable: no execute bits
        info.file_size = size
        return info

    def add_stream(self, path: str, chunks: Iterable[bytes], *, size: int, compress: bool,
                   on_chunk: Callable[[int], None] | None = None,
                   known: FileEntry | None = None) -> FileEntry:
        """Write a file from chunks; returns its entry (its path inside the folder) with the
        SHA-256 of what was written. `on_chunk(n)` runs after each chunk (progress, and the
        cancel check: it may raise). `known` is the entry the file is expected to have: kept
        when what was written matches it (see `same_or_new`)."""
        digest = hashlib.sha256()
        written = 0
        self._writer = self._zf.open(self._info(path, compress, size), "w",
                                     force_zip64=size >= _ZIP64_THRESHOLD)
        for chunk in chunks:
            digest.update(chunk)
            self._writer.write(chunk)
            written += len(chunk)
            if on_chunk is not None:
                on_chunk(len(chunk))
        self._writer.close()
        self._writer = None
        entry = same_or_new(known, path, digest.hexdigest(), written)
        self.entries.append(entry)
        return entry

    def add_deflated(self, path: str, packed: Iterable[bytes], *, size: int, crc: int,
                     sha256: str) -> FileEntry | None:
        """A file whose raw deflate stream (made at DEFLATE_LEVEL, as `add_stream` would make
        it; given in pieces), CRC-32, size and SHA-256 are known already, written without
        inflating and deflating it again. None when this ZIP encrypts (AES is applied to what
        zipfile deflates): then the caller writes it with `add_stream`."""
        if self._info_cls is not zipfile.ZipInfo:
            return None
        writer: Any = self._zf.open(self._info(path, True, size), "w",
                                    force_zip64=size >= _ZIP64_THRESHOLD)
        self._writer = writer
        if not (_shortcut_proven() and _write_packed(writer, packed, size, crc)):
            for chunk in inflated(packed):
                writer.write(chunk)
        writer.close()
        self._writer = None
        entry = FileEntry(path, sha256, size)
        self.entries.append(entry)
        return entry

    def add_bytes(self, path: str, data: bytes, *, compress: bool = True) -> FileEntry:
        return self.add_stream(path, (data,), size=len(data), compress=compress)

    def list_first(self, paths: Iterable[str]) -> None:
        """List the files `paths`, in that order, before the others in the ZIP's central
        directory: what ZIP tools show, and the order they unpack in. The files themselves
        may be written in any order (the report, drawn while the originals are copied, comes
        after them); each listing entry says where its file is."""
        rank = {self._prefix + path: n for n, path in enumerate(paths)}
        self._zf.filelist.sort(key=lambda info: rank.get(info.filename, len(rank)))

    def finish(self) -> None:
        """Write the central directory. The file is a complete ZIP only after this."""
        self._zf.close()
        # zipfile keeps an entry per member after closing (14 MB at 30,000 members): let them
        # go before the export's audit event, the largest moment of a big export.
        self._zf.filelist = []
        self._zf.NameToInfo = {}

    def abandon(self) -> None:
        """Drop a half-written ZIP without writing anything more (the caller deletes the file).

        zipfile would otherwise try to finish the archive when it is garbage-collected, and
        complain loudly that a member is still open.
        """
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None
        self._zf._writing = False
        self._zf.fp = None
