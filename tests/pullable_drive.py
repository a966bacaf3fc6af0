"""A drive that can be pulled out: a pass-through FUSE file system over a folder, which fails
every operation with EIO once a flag file beside it exists, as a USB stick's mount does on
Linux when the stick is taken out; removing the flag puts it back.

Run as a program by the `pullable_drive` fixture (tests/conftest.py), one process per mount:

    python tests/pullable_drive.py FOLDER MOUNT_POINT FLAG_FILE

Real file system calls throughout (the kernel's FUSE driver, SQLite's own reads, writes,
fsyncs and locks), so the case file meets the error where a real one would. What it does not
model: a real stick's mount usually disappears a moment later (the path then gives ENOENT,
which tests/test_drive_pulled.py checks on a plain missing file), and open files on a real
stick never come back; here they do, which the tests do not rely on: they close the case and
open it again.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

import mfusepy as fuse

_STAT_FIELDS = ("st_atime_ns", "st_ctime_ns", "st_mtime_ns", "st_gid", "st_mode", "st_nlink",
                "st_size", "st_uid")
_STATVFS_FIELDS = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree",
                   "f_files", "f_flag", "f_frsize", "f_namemax")


class PullableDrive(fuse.Operations):
    use_ns = True  # times as nanoseconds, as os.stat gives them

    def __init__(self, folder: str, flag: str) -> None:
        self.folder = folder
        self.flag = flag

    def _real(self, path: str) -> str:
        """Where `path` is in the folder; EIO once the drive is pulled."""
        if os.path.exists(self.flag):
            raise fuse.FuseOSError(errno.EIO)
        return os.path.join(self.folder, path.lstrip("/"))

    def getattr(self, path: str, fh: Any = None) -> dict[str, Any]:
        info = os.lstat(self._real(path))
        return {name: getattr(info, name) for name in _STAT_FIELDS}

    def access(self, path: str, amode: int) -> None:
        if not os.access(self._real(path), amode):
            raise fuse.FuseOSError(errno.EACCES)

    def readdir(self, path: str, fh: Any) -> list[str]:
        return [".", "..", *os.listdir(self._real(path))]

    def statfs(self, path: str) -> dict[str, int]:
        info = os.statvfs(self._real(path))
        return {name: getattr(info, name) for name in _STATVFS_FIELDS}

    def chmod(self, path: str, mode: int) -> None:
        os.chmod(self._real(path), mode)

    def chown(self, path: str, uid: int, gid: int) -> None:
        os.chown(self._real(path), uid, gid)

    def mkdir(self, path: str, mode: int) -> None:
        os.mkdir(self._real(path), mode)

    def rmdir(self, path: str) -> None:
        os.rmdir(self._real(path))

    def unlink(self, path: str) -> None:
        os.unlink(self._real(path))

    def rename(self, old: str, new: str) -> None:
        os.rename(self._real(old), self._real(new))

    def link(self, target: str, source: str) -> None:
        os.link(self._real(source), self._real(target))

    def utimens(self, path: str, times: tuple[int, int] | None = None) -> None:
        os.utime(self._real(path), ns=times)

    def open(self, path: str, flags: int) -> int:
        return os.open(self._real(path), flags)

    def create(self, path: str, mode: int, flags: int) -> int:
        return os.open(self._real(path), flags | os.O_CREAT, mode)

    def read(self, path: str, size: int, offset: int, fh: int) -> bytes:
        self._real(path)
        return os.pread(fh, size, offset)

    def write(self, path: str, data: bytes, offset: int, fh: int) -> int:
        self._real(path)
        return os.pwrite(fh, data, offset)

    def truncate(self, path: str, length: int, fh: int | None = None) -> None:
        os.truncate(self._real(path), length)

    def flush(self, path: str, fh: int) -> None:
        self._real(path)

    def fsync(self, path: str, datasync: int, fh: int) -> None:
        self._real(path)
        os.fsync(fh)

    def release(self, path: str, fh: int) -> None:
        os.close(fh)  # always: the descriptor is ours, whatever became of the drive


if __name__ == "__main__":
    folder, mount_point, flag = sys.argv[1:4]
    # One thread: the tests need no speed, and calls then never overlap.
    fuse.FUSE(PullableDrive(folder, flag), mount_point, foreground=True, nothreads=True)
