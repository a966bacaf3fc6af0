"""A part of a file read as a file of its own: a TAR member's bytes inside the archive, or
a file of a known size read from a reader that moves only from its start.

Reads and seeks stay within the part, whatever the reader under it holds beyond, and each read
moves the reader under it first, so others may move it in between.
"""

import io
from typing import IO


class Window(io.RawIOBase):
    """`size` bytes of `handle` from `start`. `owns_handle`: closing the window (or losing
    it) closes the handle too; otherwise the handle is the caller's, left open."""

    def __init__(self, handle: IO[bytes], start: int, size: int, *,
                 owns_handle: bool = True) -> None:
        super().__init__()
        self._handle = handle
        self._start = start
        self._size = size
        self._owns_handle = owns_handle
        self._at = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = (0, self._at, self._size)[whence]
        self._at = min(max(0, base + offset), self._size)
        return self._at

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        wanted = min(len(buffer), self._size - self._at)
        if wanted <= 0:
            return 0
        self._handle.seek(self._start + self._at)
        data = self._handle.read(wanted)
        buffer[: len(data)] = data
        self._at += len(data)
        return len(data)

    def close(self) -> None:
        if not self.closed and self._owns_handle:
            self._handle.close()
        super().close()
