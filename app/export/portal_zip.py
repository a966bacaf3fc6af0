"""Writing a portal pack: every part open at once (at most 99), each file routed to the part
the plan gave it, an original too large for one part cut into pieces as it streams through.
Memory stays flat: a chunk is cut where a piece ends, never gathered whole.

The parts are written into a hidden folder beside the target, which the export renames to the
pack's folder only when every part is complete and the export is recorded.
"""

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

from app.errors import SafekeepError
from app.export.bundle_zip import BundleZip, DiskPaced, member_bound
from app.export.manifest import FileEntry, same_or_new
from app.export.portal import Plan, PlannedFile, PortalLimits, part_file_name, plan_pack
from app.export.portal_index import PLACEHOLDER_SHA, index_files
from app.i18n import tr
from app.models.safe_files import fsync_dir

_RESERVE_START = 16 << 10


def plan_with_index(files: list[PlannedFile], limits: PortalLimits, folder: str,
                    stem: str) -> tuple[Plan, list[str], int]:
    """The plan, the parts' file names, and the room kept in the first part for the index
    (whose size depends on the plan: it is sized with placeholder hashes of the same length
    and the plan made again until the room suffices)."""
    reserve = _RESERVE_START
    for _attempt in range(6):
        plan = plan_pack(files, limits, folder, reserve)
        names = [part_file_name(stem, n, len(plan.parts)) for n in range(1, len(plan.parts) + 1)]
        sums = {s.member: PLACEHOLDER_SHA for part in plan.parts for s in part if s.pieces}
        need = sum(member_bound(path, len(data), True, folder)
                   for path, data in index_files(plan, names, folder, limits, sums))
        if need <= reserve:
            return plan, names, reserve
        reserve = need + need // 8
    raise AssertionError("the portal index never fitted its room")  # pragma: no cover


class _Cutter:
    """One stream of chunks handed out in consecutive lengths, without copying it whole."""

    def __init__(self, chunks: Iterable[bytes], on_chunk: Callable[[int], None] | None) -> None:
        self._chunks = iter(chunks)
        self._on_chunk = on_chunk
        self._left = memoryview(b"")
        self.digest = hashlib.sha256()
        self.total = 0

    def _next(self) -> bool:
        for chunk in self._chunks:
            if chunk:
                self.digest.update(chunk)
                self.total += len(chunk)
                self._left = memoryview(chunk)
                if self._on_chunk is not None:
                    self._on_chunk(len(chunk))
                return True
        return False

    def take(self, length: int, *, rest: bool) -> Iterator[bytes]:
        """`length` bytes (fewer if the stream ends); with `rest`, everything left too (a file
        longer than expected is then caught by its size and hash, not cut short)."""
        wanted = length
        while wanted > 0 or rest:
            if not self._left and not self._next():
                return
            n = len(self._left) if rest and wanted <= 0 else min(wanted, len(self._left))
            yield bytes(self._left[:n])
            self._left = self._left[n:]
            wanted -= n


class PortalPack:
    """The parts of a portal pack being written into `workdir` (a new, owner-only folder)."""

    def __init__(self, workdir: Path, plan: Plan, part_names: list[str], limits: PortalLimits,
                 passphrase: str | None, when: datetime, folder: str) -> None:
        self.workdir = workdir
        self.part_names = part_names
        self._plan = plan
        self._limits = limits
        self._folder = folder
        self._handles: list[IO[bytes]] = []
        self._zips: list[BundleZip] = []
        self._piece_sums: dict[str, str] = {}
        self.entries: list[FileEntry] = []
        os.mkdir(workdir, 0o700)
        for name in part_names:
            fd = os.open(workdir / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY
                         | getattr(os, "O_BINARY", 0), 0o600)
            self._handles.append(os.fdopen(fd, "wb"))
            self._zips.append(BundleZip(DiskPaced(self._handles[-1]), passphrase, when, folder))

    def add_stream(self, path: str, chunks: Iterable[bytes], *, size: int, compress: bool,
                   on_chunk: Callable[[int], None] | None = None,
                   known: FileEntry | None = None) -> FileEntry:
        segments = self._plan.segments_of(path)
        cutter = _Cutter(chunks, on_chunk)
        for number, (part, segment) in enumerate(segments, start=1):
            entry = self._zips[part].add_stream(
                segment.member, cutter.take(segment.length, rest=number == len(segments)),
                size=segment.length, compress=segment.compress)
            if segment.pieces:
                self._piece_sums[segment.member] = entry.sha256
        whole = same_or_new(known, path, cutter.digest.hexdigest(), cutter.total)
        self.entries.append(whole)
        return whole

    def add_bytes(self, path: str, data: bytes, *, compress: bool = True) -> FileEntry:
        return self.add_stream(path, (data,), size=len(data), compress=compress)

    def finish(self) -> int:
        """Write the index into the first part, close every part, make them durable; the
        pack's size in bytes. Each part is checked against the portal's limit."""
        for path, data in index_files(self._plan, self.part_names, self._folder, self._limits,
                                      self._piece_sums):
            self._zips[0].add_bytes(path, data)
        total = 0
        for bundle, handle in zip(self._zips, self._handles, strict=True):
            bundle.finish()
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        for name in self.part_names:
            size = (self.workdir / name).stat().st_size
            if size > self._limits.max_size:  # the plan's bounds make this impossible
                raise SafekeepError(tr("A part of the portal pack came out larger than the "
                                       "portal allows, so no pack was written."))
            total += size
        fsync_dir(self.workdir)
        return total

    def abandon(self) -> None:
        for bundle in self._zips:
            with contextlib.suppress(Exception):
                bundle.abandon()
        for handle in self._handles:
            with contextlib.suppress(Exception):
                handle.close()
        remove_pack_folder(self.workdir)


def remove_pack_folder(folder: Path) -> None:
    """Remove a pack folder this export made: only its part files, then the folder."""
    with contextlib.suppress(OSError):
        if folder.is_symlink():
            return
        for child in folder.iterdir():
            if child.is_file() and not child.is_symlink():
                child.unlink()
        folder.rmdir()

