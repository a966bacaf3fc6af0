"""Bytes of a ZIP that belong to none of its files, for `verify`.

The ZIP library reads a ZIP from its end: it finds the list of files there and each file from
the list, so bytes put before the first file, between two files or after the end are never
read, and a ZIP with a program or another ZIP stuck in front of it opens as if nothing were
there. Safekeep writes its files one after another from the first byte, the list straight
after them and no comment, so any such bytes, two entries sharing bytes, or a comment mean the
ZIP was changed after it was made, even when every file in it is still as it was.
"""

import struct
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

from app.i18n import tr

_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then the name's and extra's lengths
_LOCAL_SIGNATURE = b"PK\x03\x04"
_DESCRIPTOR_SIGNATURE = b"PK\x07\x08"
_HAS_DESCRIPTOR = 0x08
_END_RECORD = 22  # the end of central directory record, without its comment


def span_problems(path: Path, zf: Any, infos: list[Any]) -> list[str]:
    """What lies in the ZIP beyond its files, its list and its end record, in words (none
    for a ZIP as Safekeep writes it)."""
    problems: list[str] = []
    try:
        with open(path, "rb") as f:
            size = f.seek(0, 2)
            hidden, overlap = _between_files(f, sorted(infos, key=lambda i: i.header_offset),
                                             zf.start_dir)
            end = _end_of_end_record(f, size)
    except (OSError, ValueError):
        return problems  # reading the files themselves says what is wrong
    if zf.comment:
        problems.append(tr("This ZIP carries a comment ({n:,} bytes), which some unzip tools "
                           "show. Safekeep never writes one: it was added after the bundle was "
                           "made.").format(n=len(zf.comment)))
    hidden["after"] = max(0, size - end)
    if overlap:
        problems.append(tr("Files in this ZIP share their stored bytes. Safekeep never writes "
                           "a ZIP like this: it was made or changed by something else."))
    if any(hidden.values()):
        problems.append(tr("{n:,} bytes of this ZIP belong to none of its files ({before:,} "
                           "before the first, {between:,} between them, {after:,} after the "
                           "end). Safekeep writes no such bytes: something was added to the "
                           "ZIP after it was made. The files in it are checked all the same."
                           ).format(n=sum(hidden.values()), **hidden))
    return problems


def _between_files(f: BinaryIO, entries: list[Any], directory_start: int
                   ) -> tuple[dict[str, int], bool]:
    """({before, between}: bytes no entry holds, do entries overlap?)."""
    hidden = {"before": 0, "between": 0}
    expected, overlap = 0, False
    for index, info in enumerate(entries):
        gap = info.header_offset - expected
        if gap < 0:
            overlap = True
        elif gap:
            hidden["before" if index == 0 else "between"] += gap
        expected = max(expected, _entry_end(f, info))
    gap = directory_start - expected
    if gap < 0:
        overlap = True
    elif gap:
        hidden["before" if not entries else "between"] += gap
    return hidden, overlap


def _entry_end(f: BinaryIO, info: Any) -> int:
    """Where an entry's local header, data and data descriptor (if any) end."""
    f.seek(info.header_offset)
    header = f.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        raise ValueError("cut short")
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if signature != _LOCAL_SIGNATURE:
        raise ValueError("no local header")
    end: int = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length + \
        info.compress_size
    if info.flag_bits & _HAS_DESCRIPTOR:
        f.seek(end)
        signed = f.read(4) == _DESCRIPTOR_SIGNATURE
        zip64 = info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF
        end += (4 if signed else 0) + 4 + (16 if zip64 else 8)
    return end


def _end_of_end_record(f: BinaryIO, size: int) -> int:
    """Where the end record and its comment end. The ZIP library finds the record by
    searching back from the end of the file, and takes whatever follows it for nothing."""
    # The ZIP library's own reader of the end record (also ZIP64), as verify_entries uses it.
    record = zipfile._EndRecData(f)  # type: ignore[attr-defined]
    if not record:
        return size
    location = int(record[zipfile._ECD_LOCATION])  # type: ignore[attr-defined]
    return location + _END_RECORD + int(record[zipfile._ECD_COMMENT_SIZE])  # type: ignore
