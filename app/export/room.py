"""Will the bundle fit where the person chose to put it? Asked before a byte is written.

Two things stop a large export part-way, minutes in: a drive with too little free space, and
a drive that cannot hold one file as large as the bundle (FAT32, the way most USB sticks are
sold, takes files of at most 4 GiB less a byte). Both can be known at the start. Pictures,
videos and other already-compressed originals go into the bundle as they are, so their total
is the least the bundle can take; only a certain shortfall is refused. The report and the
spreadsheets come on top, and a disk that fills with them is met as before (the export's
full-disk error, after which nothing is left behind).

The file system's type is read from the kernel's list of mounts (Linux only: see
app/models/disk_room.py). Elsewhere only the free space is checked, and a bundle too large for
the drive fails as it is written, with its own calm sentence (bundle.py).
"""

from __future__ import annotations

import errno
import shutil
from dataclasses import dataclass
from pathlib import Path

from app.errors import underlying_os_error
from app.export.formatting import size_text
from app.i18n import rounded_size, tr
from app.models.disk_room import largest_file_at


@dataclass(frozen=True)
class Room:
    """What a folder's drive can take: `free` bytes (None: unknown), and files of at most
    `largest_file` bytes (None: no limit a bundle could meet)."""

    free: int | None
    largest_file: int | None


def room_at(folder: Path) -> Room:
    try:
        free: int | None = shutil.disk_usage(folder).free
    except OSError:
        free = None
    return Room(free, largest_file_at(folder))


def room_problem(room: Room, *, bundle_at_least: int, one_file: bool) -> str | None:
    """One calm sentence when the bundle certainly cannot be written there, else None.

    `bundle_at_least`: the least the whole bundle will take. `one_file`: a single ZIP (a
    portal pack's parts are checked as they are written instead: each is at most the portal's
    size, which the person chose).
    """
    if room.free is not None and bundle_at_least > room.free:
        need, free = rounded_size(bundle_at_least), rounded_size(room.free)
        if need == free:  # "needs 3.0 MB, has 3.0 MB free" would read as a mistake
            need, free = size_text(bundle_at_least), size_text(room.free)
        return tr("The bundle needs at least {need}, and this drive has {free} free. Choose "
                  "another place, or free some space, then try again. The case itself is "
                  "unchanged.").format(need=need, free=free)
    if one_file and room.largest_file is not None and bundle_at_least > room.largest_file:
        return too_big_for_drive(portal=False)
    return None


def too_big_for_drive(*, portal: bool) -> str:
    """The sentence for a bundle (or a portal pack's part) larger than the drive's files."""
    if portal:
        return tr("This drive cannot hold files as large as the pack's parts (USB sticks "
                  "formatted as FAT32 take files of at most 4 GB). Choose a smaller size for "
                  "each file, or another place. The case itself is unchanged.")
    return tr("The bundle will be larger than this drive can hold in one file (USB sticks "
              "formatted as FAT32 take files of at most 4 GB). Make a portal pack instead "
              "(its files are at most 2 GB each), or choose another place. The case itself "
              "is unchanged.")


def storage_message(error: OSError, *, portal: bool) -> str:
    """The calm sentence for a bundle that could not be written (the case is never touched)."""
    exc = underlying_os_error(error)
    number = exc.errno if isinstance(exc, OSError) else None
    if number in (errno.ENOSPC, errno.EDQUOT):
        return tr("The disk is full, so the bundle could not be written. Free some space or "
                  "choose another place, then try again. The case itself is unchanged.")
    if number == errno.EFBIG:
        return too_big_for_drive(portal=portal)
    if number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return tr("Safekeep is not allowed to write there. Choose another folder.")
    return tr("The bundle could not be written there. Choose another place and try again. "
              "The case itself is unchanged.")
