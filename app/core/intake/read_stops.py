"""A file to add that cannot be read, for a reason that is not the file's own: the disk the
case is on is full, or the drive the files are read from has gone (a USB stick or a phone
taken out halfway). Either stops the import there, with everything added before it kept,
rather than refusing every file after it with the same reason (a stick pulled out during a
folder of 300 screenshots gave 167 lines of "This file could not be read")."""

import contextlib
import errno
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.errors import StorageError
from app.i18n import tr
from app.models.base import file_name_in
from app.models.safe_files import folder_answers


@contextlib.contextmanager
def open_to_read(path: Path) -> Iterator[BinaryIO]:
    """`path` opened to be read, and closed quietly: a file read to its end is whole, and a
    drive that went away just after (closing a file on FUSE, as a phone's is, asks the drive)
    must not undo it: the file was added and is reported, and the stop comes at the next."""
    handle = path.open("rb")
    try:
        yield handle
    finally:
        with contextlib.suppress(OSError):
            handle.close()


def full_disk() -> StorageError:
    return StorageError(
        tr("The disk is full. Free some space and try again. Everything added before this is safe.")
    )


class SourceGone(StorageError):
    """The drive or folder the files are read from went away: what was read before it is
    whole and is kept (as on a cancel); the rest is not read."""


def stop_for(exc: OSError, path: Path, display: str) -> StorageError | None:
    """Why the whole import stops at `path`, or None when only this file is refused."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return full_disk()
    if isinstance(exc, PermissionError) or folder_answers(path.parent):
        return None
    return SourceGone(tr(
        "The files from {name} on were not added: the drive or folder they are in can no "
        "longer be read. Was a USB stick or phone taken out? Everything added before is safe. "
        "Put it back, then add the rest again.").format(name=file_name_in(display)))
