"""Is there room on the case's disk for a file? Asked before a large file is stored.

A file that fills the disk part-way is rolled back, but by then the person's disk has been full
(other programs fail meanwhile), and the case file may keep the pages it grew by. So before a
large file is stored, the least it will take is compared with the free space, and a file that
certainly cannot fit is refused at once. The least it takes, measured on SQLCipher 4 cases
(4096-byte pages, 80 of them for the HMAC and IV): the case file grows by 1.021 bytes for each
byte stored, less the pages freed earlier that it reuses; and the write-ahead log holds the
first part of the file (a whole part, or the whole file if smaller) before it is folded in,
beyond what the log's file already holds. Only a certain shortfall is refused: a file that
passes and still meets a full disk is rolled back as before (CaseFile.write gives the log's
room back at once).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from app.i18n import rounded_size, tr
from app.models.casefile import CaseFile
from app.models.page_check import PAGE_SIZE

# Bytes of the case file per byte of evidence stored: 1.0215 measured (the pages' 80-byte
# reserve, and the chunk rows' own few bytes). The lower figure, so a refusal is certain.
GROWTH_PER_BYTE = 1.02


@dataclass(frozen=True)
class Shortfall:
    size: int  # the file's
    needed: int  # the least the file takes on the disk
    free: int  # what the disk has free

    @property
    def sentence(self) -> str:
        return tr("This file is {size} and needs at least {needed} free on the disk that "
                  "holds the case while it is stored; that disk has {free} free. Free some "
                  "space, or keep the case on a disk with more room, then add it again.").format(
                      size=rounded_size(self.size), needed=rounded_size(self.needed),
                      free=rounded_size(self.free))


def shortfall_for(case: CaseFile, size: int, log_part: int) -> Shortfall | None:
    """A Shortfall if `size` bytes of evidence, written to the log `log_part` bytes at a time,
    certainly cannot fit on the case's disk now; None if they may (or the room is unknown)."""
    try:
        free = shutil.disk_usage(case.path.parent).free
        log = Path(f"{case.path}-wal")
        log_size = log.stat().st_size if log.exists() else 0
    except OSError:
        return None
    with case.read() as session:
        free_pages = int(session.execute(text("PRAGMA freelist_count")).scalar_one())
    in_file = int(size * GROWTH_PER_BYTE) - free_pages * PAGE_SIZE
    in_log = int(min(size, log_part) * GROWTH_PER_BYTE) - log_size
    needed = max(0, in_file) + max(0, in_log)
    return Shortfall(size, needed, free) if needed > free else None
