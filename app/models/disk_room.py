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
# Each item's own rows (its record, its audit event, index entries): 1.4 to 1.6 kB measured
# (40 files of 1 kB grew the case file by 86 to 102 kB).
ITEM_BYTES = 2048
# What one commit writes to the write-ahead log beyond its items: every table's and index's
# pages on the way to the rows (page 1, roots, inner pages). 11 to 21 pages measured for one
# item of 1 kB, wherever the trees stood.
COMMIT_LOG_PAGES = 24
# And what it grows the case file by beyond its items: a new page for a table or index whose
# last page it fills (a file of 1 kB alone grew the case file by 0 or 4 kB).
COMMIT_FILE_PAGES = 8
# Each item also lands in two indexes whose keys are random (its SHA-256, its audit event's
# hash): a page of each written whole to the log, whoever else is on it. 40 files of 1 kB
# wrote 330 to 370 kB to the log, though the case file grew by 86 to 102 kB.
RANDOM_INDEXES = 2
# Small files stored together are written only as far as they surely fit: in the case file and
# in the log, each this much more than the estimate, and a little room besides.
SURE_FACTOR = 1.25
SURE_SLACK = 256 * 1024


@dataclass(frozen=True)
class Shortfall:
    """Why one file cannot be stored (only it is refused; the batch goes on)."""

    size: int  # the file's
    needed: int  # the least it takes on the disk
    free: int  # what the disk has free
    too_big_a_file: bool = False  # the case file would outgrow what its drive holds in one file

    @property
    def sentence(self) -> str:
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



@dataclass(frozen=True)
class NoRoomFrom:
    """Why small files stored together stop at `first`: the batch stops there, everything
    before it stored."""

    first: str  # the file's name
    too_big_a_file: bool = False  # as Shortfall's

    @property
    def sentence(self) -> str:
        if self.too_big_a_file:
            return tr("Adding the files from {first} on would make the case file larger than "
                      "4 GB, the most its drive holds in one file (it is formatted as FAT32, as "
                      "many USB sticks are). Everything added before is safe. Keep the case on "
                      "another drive, then add the rest again.").format(first=self.first)
        return tr("The disk that holds the case is nearly full, so the files from {first} on "
                  "were not added: they would fill it. Everything added before is safe. Free "
                  "some space, then add the rest again.").format(first=self.first)


@dataclass(frozen=True)
class DiskRoom:
    """The case's disk as it is now: what a write of evidence can count on."""

    free: int  # bytes free on the disk
    case_size: int
    log_size: int  # the write-ahead log's file, which a write reuses before growing it
    free_pages: int  # pages removed items left inside the case file, filled again first
    largest: int | None  # the largest file the drive holds, where it is known to be small

    def shortfall(self, size: int, log_part: int) -> Shortfall | None:
        """A Shortfall if one file of `size` bytes, written to the log `log_part` bytes at a
        time, certainly cannot fit; None if it may."""
        in_file, needed = self._least(size, log_part)
        if needed > self.free:
            return Shortfall(size, needed, self.free)
        if self._too_big(in_file):
            return Shortfall(size, needed, self.free, too_big_a_file=True)
        return None

    def fitting(self, files: list[tuple[str, int]]) -> tuple[int, NoRoomFrom | None]:
        """Of files stored together in one transaction ((name, size) each), how many from the
        first surely fit now; and, if not all, where they stop. Surely, so that
        storing them never meets a full disk half-way: unlike the least a file takes
        (`shortfall`), the log is counted whole (a log not yet folded in grows past its end,
        and a commit writes whole pages of the tables and indexes it touches: for small files
        far more than they hold), what the log holds already is still to be folded into the
        case file (on the disk, and in a FAT32 drive's largest file), and there is a margin
        for the estimate's own error. Counting the log as the files' own size had left a
        folder of 1 kB files about 30 kB short of folding the last group in: the case's
        close then filled the disk."""
        in_file, in_log = COMMIT_FILE_PAGES * PAGE_SIZE, COMMIT_LOG_PAGES * PAGE_SIZE
        for count, (name, size) in enumerate(files):
            in_file, in_log = in_file + item_in_file(size), in_log + item_in_log(size)
            # What the log holds is still to be folded into the case file, as well.
            too_big = self._too_big(int(in_file * SURE_FACTOR) + SURE_SLACK + self.log_size
                                    - self.free_pages * PAGE_SIZE)
            needed = (in_file + in_log) * SURE_FACTOR + SURE_SLACK + self.log_size
            if too_big or needed > self.free:
                return count, NoRoomFrom(name, too_big_a_file=too_big)
        return len(files), None

    def _least(self, size: int, log_part: int) -> tuple[int, int]:
        """(what the case file grows by, what the disk needs in all) for `size` bytes: the
        least, so that a refusal is certain."""
        in_file = int(size * GROWTH_PER_BYTE) - self.free_pages * PAGE_SIZE
        in_log = int(min(size, log_part) * GROWTH_PER_BYTE) - self.log_size
        return in_file, max(0, in_file) + max(0, in_log)

    def _too_big(self, in_file: int) -> bool:
        return self.largest is not None and self.case_size + in_file > self.largest


def item_in_file(size: int) -> int:
    """What one small file of `size` bytes stored with others grows the case file by, at most
    (its pictures counted in `size`)."""
    return int((size + ITEM_BYTES) * GROWTH_PER_BYTE)


def item_in_log(size: int) -> int:
    """What it adds to the write-ahead log of its group's commit, at most."""
    return item_in_file(size) + RANDOM_INDEXES * PAGE_SIZE


def disk_room(case: CaseFile, free_pages: int | None = None) -> DiskRoom | None:
    """The room on the case's disk now; None if it cannot be known. `free_pages`: the case's
    free pages, when the caller is inside a transaction that has read them (else read here)."""
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
    return DiskRoom(free, case_size, log_size, free_pages, largest_file_at(case.path.parent))


def shortfall_for(case: CaseFile, size: int, log_part: int) -> Shortfall | None:
    """A Shortfall if one file of `size` bytes, written to the log `log_part` bytes at a time,
    certainly cannot fit on the case's disk now; None if it may (or the room is unknown)."""
    room = disk_room(case)
    return None if room is None else room.shortfall(size, log_part)


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
