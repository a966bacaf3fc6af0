"""One process at a time per case file, also while its passphrase changes.

Two programs writing one SQLCipher file is safe for SQLite itself, but two windows editing the
same case would confuse a person and interleave audit events. So an open case holds an
advisory lock, and a second opener is told, calmly, that the case is open elsewhere.

The lock is taken on a small empty file beside the case, `.<case name>.lock`, never on the case
file itself: changing the passphrase replaces the case file with a new one (an atomic rename,
so a new inode), and a lock on the old inode would not keep anyone out of the new one. The lock
file is never renamed, so holding it keeps every other opener out from before the SQLite file is
opened until after it is closed, across the swap. Whoever holds it removes it when done; an
opener that locked a lock file just removed checks the name still leads to the file it locked,
and tries again if not. A lock file left by a crash holds no lock (the system drops a lock with
its process) and is reused.

On POSIX `flock` is used: unlike the fcntl locks SQLite itself takes, it is not dropped when
some other descriptor of the same file is closed. On Windows `msvcrt.locking` locks its first
byte; an open file cannot be removed there, so removing it afterwards is only ever attempted.
"""

import contextlib
import errno
import hashlib
import os
import sys
from pathlib import Path

from app.errors import CaseInUse, StorageError
from app.i18n import tr
from app.models.safe_files import storage_message

# Tries before giving up when the lock file keeps being replaced under us (by openers and
# closers of the same case in quick succession); each retry means someone else got it.
_TRIES = 50


def lock_path_for(case_path: Path) -> Path:
    name = f".{case_path.name}.lock"
    if len(os.fsencode(name)) > 200:  # a name near the 255-byte limit: a short stable one
        name = f".{hashlib.sha256(os.fsencode(case_path.name)).hexdigest()[:24]}.lock"
    return case_path.with_name(name)


def _in_use() -> CaseInUse:
    return CaseInUse(
        tr("This case is already open in another window or program. Close it there first.")
    )


class CaseFileLock:
    def __init__(self, case_path: Path) -> None:
        self.path = lock_path_for(case_path)
        self._fd: int | None = None
        self._case_exists = case_path.exists()  # chooses the words if the folder is read-only

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        for _ in range(_TRIES):
            fd = self._open()
            try:
                _lock(fd)
            except OSError:
                os.close(fd)
                raise _in_use() from None
            if _still_named(fd, self.path):
                self._fd = fd
                return
            # The holder before us removed this lock file after we opened it: ours is a lock
            # on a file nobody else will look at. Try again with whatever the name holds now.
            _unlock(fd)
            os.close(fd)
        raise _in_use()

    def _open(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
        try:
            return os.open(self.path, flags, 0o600)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                if not self._case_exists:  # a new case: there is nothing to copy yet
                    raise StorageError(tr(
                        "Safekeep cannot write in this folder (it may be on a disk that is "
                        "read-only). Choose another folder for the new case.")) from None
                raise StorageError(
                    tr("Safekeep cannot write in the folder this case is in (it may be on a "
                       "disk that is read-only). Copy the case to a folder you can write to "
                       "and open it there.")
                ) from None
            raise StorageError(storage_message(exc)) from None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform != "win32":
            # Removed while still locked, so the next opener makes a fresh one (or, if it
            # opened this one already, sees it is gone once it gets the lock).
            _unlink_quietly(self.path)
        # A lock file that can no longer be reached (its USB stick taken out) holds nothing to
        # release, and the descriptor is freed even when closing it reports an error: closing
        # the case must not fail for it, or locking and Quick exit would stop half done.
        with contextlib.suppress(OSError):
            _unlock(fd)
        with contextlib.suppress(OSError):
            os.close(fd)
        if sys.platform == "win32":  # pragma: no cover - fails harmlessly while others have it
            _unlink_quietly(self.path)


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _still_named(fd: int, path: Path) -> bool:
        return True  # an open file cannot be removed on Windows

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _still_named(fd: int, path: Path) -> bool:
        try:
            named = os.stat(path)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)
