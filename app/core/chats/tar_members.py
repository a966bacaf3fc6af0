"""The files inside a TAR archive (Skype's data download is one), read in place and never
unpacked.

A TAR file is a row of 512-byte headers, each followed by its file's bytes, uncompressed. The
headers are read once, with the standard library, and each safe member's place is kept; a
member is then read as a window onto the archive (window.py), which cannot reach past its own
bytes. Members are left out, and counted, when their names climb out of a folder or are
absolute, when they are links, devices or sparse files, or when their bytes run past the end
of the archive (a download cut short). Compressed TAR files (.tar.gz) are not read here:
Skype's export is a plain TAR.
"""

import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

#: A header names a member; beyond this many, it is not an export.
MAX_TAR_MEMBERS = 500_000


@dataclass(frozen=True)
class TarMember:
    offset: int  # where its bytes start in the archive
    size: int


@dataclass(frozen=True)
class TarListing:
    members: dict[str, TarMember]
    unsafe: int  # left out for their names or types
    cut: int  # left out because their bytes run past the end of the archive


def looks_like_tar(handle: IO[bytes]) -> bool:
    """Whether the file starts with a valid (uncompressed) TAR header. Leaves the handle at
    the start."""
    handle.seek(0)
    head = handle.read(512)
    handle.seek(0)
    if len(head) < 512 or head[257:262] != b"ustar":
        return False  # the old v7 format has no magic; exports are ustar, GNU or PAX
    try:
        tarfile.TarInfo.frombuf(head, "utf-8", "surrogateescape")
    except (tarfile.HeaderError, ValueError):
        return False
    return True


def _safe_name(name: str) -> bool:
    if not name or "\\" in name or "\0" in name or name.startswith("/"):
        return False
    if len(name) > 1 and name[1] == ":":  # C:...
        return False
    return not any(part in ("..", ".") for part in name.split("/"))


def list_members(handle: IO[bytes], size: int) -> TarListing:
    """The regular files in the TAR archive `handle` (of `size` bytes), by name. Raises
    tarfile.TarError when it is not one, and ValueError when it holds too many members."""
    handle.seek(0)
    members: dict[str, TarMember] = {}
    unsafe = cut = 0
    with tarfile.open(fileobj=handle, mode="r:") as archive:
        for count, info in enumerate(_headers(archive), start=1):
            if count > MAX_TAR_MEMBERS:
                raise ValueError("too many members")
            if info.isdir():
                continue
            name = info.name[2:] if info.name.startswith("./") else info.name
            if not info.isreg() or info.issparse() or not _safe_name(name):
                unsafe += 1
            elif info.offset_data + info.size > size:
                cut += 1
            else:
                members[name] = TarMember(info.offset_data, info.size)
    handle.seek(0)
    return TarListing(members, unsafe, cut)


def _headers(archive: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    """Each header in turn, until the archive ends, where it was meant to or not: a member
    whose bytes run past the end (counted as cut) makes tarfile raise at the next header."""
    while True:
        try:
            info = archive.next()
        except tarfile.ReadError:
            if archive.offset == 0:
                raise
            return
        if info is None:
            return
        yield info
