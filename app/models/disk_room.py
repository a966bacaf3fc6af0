"""Is there room on the case's disk for a file? Asked before a large file is stored, and before
each group of small files stored together is written.

A file that fills the disk part-way is rolled back, but by then the person's disk has been full
(other programs fail meanwhile), and the case file may keep the pages it grew by. So before a
large file is stored, the least it will take is compared with the free space, and a file that
certainly cannot fit is refused at once. The least it takes, measured on SQLCipher 4 cases
(4096-byte pages, 80 of them for the HMAC and IV): the case file grows by 1.021 bytes for each
byte stored, less the pages freed earlier that it reuses; and the write-ahead log holds the
first part of the file (a whole part, or the whole file if smaller) before it is folded in,
beyond what the log's file already holds. Only a certain shortfall is refused: a file that
passes and still meets a full disk is rolled back as before (CaseFile.write gives the log's
room back at once). A group of small files is one transaction: the log holds all of it, and a
group that cannot fit stops the batch before it is written (what was stored before stays).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text

from app.i18n import rounded_size, tr
from app.models.casefile import CaseFile
from app.models.page_check import PAGE_SIZE

FAT_LARGEST_FILE = 2**32 - 1
# File systems whose files stop at 4 GiB: the kernel's FAT drivers and FAT32 through FUSE.
_FAT_TYPES = frozenset({"vfat", "msdos", "umsdos", "fuse.fusefat", "fuseblk.fusefat"})
_MOUNTS = Path("/proc/self/mountinfo")
# Bytes of the case file per byte of evidence stored: 1.0215 measured (the pages' 80-byte
# reserve, and the chunk rows' own few bytes). The lower figure, so a refusal is certain.
GROWTH_PER_BYTE = 1.02


@dataclass(frozen=True)
class Shortfall:
    size: int  # the file's, or the files' together
    needed: int  # the least they take on the disk
    free: int  # what the disk has free
    too_big_a_file: bool = False  # the case file would outgrow what its drive holds in one file
    # Small files stored together, one transaction: how many (the batch stops before them).
    # None for a file stored alone (only it is refused).
    files: int | None = None

    @property
    def sentence(self) -> str:
        if self.files is not None:
            return self._files_sentence(self.files)
        if self.too_big_a_file:
            return tr("This file ({size}) would make the case file larger than 4 GB, the most "
                      "its drive holds in one file (it is formatted as FAT32, as many USB "
                      "sticks are). Keep the case on another drive, then add it again.").format(
                          size=rounded_size(self.size))
        return tr("This file is {size} and needs at least {needed} free on the disk that "
                  "holds the case while it is stored; that disk has {free} free. Free some "
                  "space, or keep the case on a disk with more room, then add it again.").format(
                      size=rounded_size(self.size), needed=rounded_size(self.needed),
                      free=rounded_size(self.free))

    def _files_sentence(self, count: int) -> str:
        size = rounded_size(self.size)
        if self.too_big_a_file:
            files = (tr("the next file ({size})") if count == 1 else
                     tr("the next {count} files ({size})")).format(count=count, size=size)
            return tr("Adding {files} would make the case file larger than 4 GB, the most its "
                      "drive holds in one file (it is formatted as FAT32, as many USB sticks "
                      "are). Everything added before is safe. Keep the case on another drive, "
                      "then add the rest again.").format(files=files)
        need = (tr("the next file ({size}) needs") if count == 1 else
                tr("the next {count} files ({size}) need")).format(count=count, size=size)
        return tr("The disk that holds the case is nearly full: {need} at least {needed} free "
                  "while stored, and the disk has {free} free. Everything added before is "
                  "safe. Free some space, then add the rest again.").format(
                      need=need, needed=rounded_size(self.needed),
                      free=rounded_size(self.free))


def shortfall_for(case: CaseFile, size: int, log_part: int, *, files: int | None = None,
                  free_pages: int | None = None) -> Shortfall | None:
    """A Shortfall if `size` bytes of evidence (one file, or `files` stored together), written
    to the log `log_part` bytes at a time, certainly cannot fit on the case's disk now; None
    if they may (or the room is unknown). `free_pages`: the case's free pages, when the
    caller is inside a transaction that has read them (else they are read here)."""
    try:
        free = shutil.disk_usage(case.path.parent).free
        case_size = case.path.stat().st_size
        log = Path(f"{case.path}-wal")
        log_size = log.stat().st_size if log.exists() else 0
    except OSError:
        return None
    if free_pages is None:
        with case.read() as session:
            free_pages = free_pages_in(session.connection())
    in_file = int(size * GROWTH_PER_BYTE) - free_pages * PAGE_SIZE
    in_log = int(min(size, log_part) * GROWTH_PER_BYTE) - log_size
    needed = max(0, in_file) + max(0, in_log)
    if needed > free:
        return Shortfall(size, needed, free, files=files)
    largest = largest_file_at(case.path.parent)
    if largest is not None and case_size + in_file > largest:
        return Shortfall(size, needed, free, too_big_a_file=True, files=files)
    return None


def free_pages_in(connection: Connection) -> int:
    """The pages removed items left inside the case file, which it fills again first."""
    return int(connection.execute(text("PRAGMA freelist_count")).scalar_one())


def largest_file_at(folder: Path) -> int | None:
    """The largest file the drive `folder` is on can hold, where it is known to be small
    enough to meet (FAT32's 4 GiB less a byte); None otherwise."""
    return FAT_LARGEST_FILE if file_system_type(folder) in _FAT_TYPES else None


def file_system_type(folder: Path, mounts: Path | None = None) -> str | None:
    """"ext4", "vfat", "fuse.fusefat"... for the drive `folder` is on; None if not known."""
    try:
        device = os.stat(folder).st_dev
        lines = (mounts or _MOUNTS).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    wanted = f"{os.major(device)}:{os.minor(device)}"
    for line in lines:
        fields, _, after = line.partition(" - ")
        parts = fields.split()
        if len(parts) >= 3 and parts[2] == wanted and after:
            return after.split()[0]
    return None
