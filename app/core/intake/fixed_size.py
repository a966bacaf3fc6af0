"""Reading a file as it was when the import looked at it.

A file still being written (a download, a screen recording, a log) would otherwise be read
until its writer stopped: 6 GB stored from a file that was small when the import began, and an
endless writer would make an endless import. So a file is read up to the size it had when it
was first looked at, no further; if it is longer or shorter by then, it changed while it was
read, and it is refused rather than kept half-written (the person adds it again once it is
complete). Nothing partial is stored: the caller's transaction fails with `FileChanged`.
"""

from typing import BinaryIO


class FileChanged(OSError):
    """The file grew or shrank while it was read."""


class FixedSizeReader:
    """`handle` read from its current position, exactly `size` bytes; reading past them finds
    out whether the file goes on, and raises FileChanged if it does."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._handle = handle
        self._start = handle.tell()
        self._left = size
        self.known_size = size  # for readers that want the size without reading (streaming)

    def read(self, wanted: int = -1) -> bytes:
        if self._left == 0:
            if self._handle.read(1):
                raise FileChanged("the file grew while it was read")
            return b""
        count = self._left if wanted is None or wanted < 0 else min(wanted, self._left)
        data = self._handle.read(count)
        if not data:
            raise FileChanged("the file got shorter while it was read")
        self._left -= len(data)
        return data

    def read_all(self) -> bytes:
        """Every byte, checked to be all there is."""
        parts = []
        while piece := self.read():
            parts.append(piece)
        return b"".join(parts)

    def seek(self, offset: int, whence: int = 0) -> int:
        """Back to a position within the size (to read it again after hashing it first)."""
        if whence != 0 or not 0 <= offset <= self.known_size:
            raise OSError("a fixed-size reader moves only within the size it was given")
        self._handle.seek(self._start + offset)
        self._left = self.known_size - offset
        return offset

    def tell(self) -> int:
        return self.known_size - self._left
