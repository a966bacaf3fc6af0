"""One process at a time per case file.

Two programs writing one SQLCipher file is safe for SQLite itself, but two windows editing the
same case would confuse a person and interleave audit events. So an open case holds an
advisory lock, and a second opener is told, calmly, that the case is open elsewhere.
On POSIX `flock` is used: unlike the fcntl locks SQLite itself takes, it is not dropped when
some other descriptor of the same file is closed.
"""

import os
import sys
from pathlib import Path

from app.errors import CaseInUse
from app.i18n import tr

# Windows byte-range locks are mandatory, so lock a byte far past anything SQLite reads.
_WINDOWS_LOCK_OFFSET = 2**40


class CaseFileLock:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self._path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise CaseInUse(
                tr("This case is already open in another window or program. Close it there first.")
            ) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                _unlock(fd)
            finally:
                os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
