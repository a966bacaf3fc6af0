"""One batch of evidence intake: the pipeline that `ingest.import_paths` and `import_bytes`
drive (see app/core/ingest.py for the whole story). Images wait in a bounded window for their
previews and are stored in input order, one transaction each; big files are streamed."""

import hashlib
import stat
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.intake.provenance import (
    NO_FILE,
    FileTimes,
    acquisition_details,
    computer_account,
    file_times,
)
from app.core.intake.sniff import DetectedType, EvidenceKind, detect_type
from app.core.intake.streaming import stream_item
from app.core.pictures import PreviewPool, PreviewResult, PreviewStatus
from app.core.records import audit
from app.errors import StorageError
from app.i18n import tr
from app.models import EvidenceItem, EvidenceReadingImage, EvidenceSource, EvidenceThumbnail
from app.models.casefile import CaseFile
from app.models.content import store_bytes

SNIFF_BYTES = 8192
# Images up to this size are read into memory once and previewed; larger ones are streamed.
PREVIEW_MAX_BYTES = 64 * 1024 * 1024
# How many previews may be in flight: enough to keep every worker busy, bounded in memory.
IN_FLIGHT_PER_WORKER = 3

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]
OnOutcome = Callable[["ImportOutcome"], None]
Status = Literal["added", "already-there", "refused"]


@dataclass(frozen=True)
class ImportOutcome:
    path: str  # as the person gave it (or the name of pasted data)
    status: Status
    evidence_id: int | None = None
    sha256: str | None = None
    reason: str | None = None  # why refused, or a note such as a type mismatch

    def line(self) -> str:
        if self.status == "added":
            return tr("added: {path}").format(path=self.path)
        if self.status == "already-there":
            return tr("already there: {path}").format(path=self.path)
        return tr("refused: {path}: {reason}").format(path=self.path, reason=self.reason or "")


@dataclass
class _Pending:
    """A file read into memory, hashed, waiting for its preview before it is stored."""

    display: str
    name: str
    data: bytes
    sha256: str
    detected: DetectedType
    source: EvidenceSource
    times: FileTimes
    preview: "Future[PreviewResult]"
    slot: int  # where its outcome goes, so outcomes follow the order files were given
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (slot, display) of copies


class BatchImporter:
    def __init__(
        self,
        case: CaseFile,
        pool: PreviewPool,
        *,
        sensitive: bool,
        note: str,
        on_outcome: "OnOutcome | None" = None,
    ) -> None:
        self.case = case
        self.on_outcome = on_outcome
        self.pool = pool
        self.sensitive = sensitive
        self.note = note
        self.in_flight: deque[_Pending] = deque()
        self.in_flight_hashes: set[str] = set()
        self._slots: list[ImportOutcome | None] = []
        self.max_in_flight = max(2, pool.workers * IN_FLIGHT_PER_WORKER)
        self.account = computer_account()  # recorded with each item: who held it on arrival

    # -- entry points ---------------------------------------------------------------------

    def add_file(self, path: Path, display: str, source: EvidenceSource) -> None:
        if self._is_the_case_itself(path):
            return self._refuse(display, tr("This is the case file itself, so it is not added."))
        try:
            info = path.stat()
        except FileNotFoundError:
            return self._refuse(display, tr("This file could not be found."))
        except PermissionError:
            return self._refuse(display, tr("Safekeep is not allowed to read this file."))
        except OSError:
            return self._refuse(display, tr("This file could not be read."))
        if not stat.S_ISREG(info.st_mode):
            return self._refuse(display, tr("This is not an ordinary file, so it cannot be kept."))
        if info.st_size == 0:
            return self._refuse(display, tr("This file is empty, so there is nothing to keep."))
        times = file_times(info)
        try:
            with path.open("rb") as handle:
                head = handle.read(SNIFF_BYTES)
                detected = detect_type(head, path.name)
                if detected.kind is EvidenceKind.IMAGE and info.st_size <= PREVIEW_MAX_BYTES:
                    data = head + handle.read()
                    self._queue(display, path.name, data, detected, source, times)
                else:
                    handle.seek(0)
                    self._stream(
                        display,
                        path.name,
                        handle,
                        detected,
                        source,
                        times,
                        too_large=detected.kind is EvidenceKind.IMAGE,
                    )
        except PermissionError:
            self._refuse(display, tr("Safekeep is not allowed to read this file."))
        except OSError as exc:
            if _disk_full(exc):
                raise _full_disk() from None
            self._refuse(display, tr("This file could not be read to the end."))

    def refuse(self, display: str, reason: str) -> None:
        """Say that something given is not added, and why (in order with the others)."""
        self._refuse(display, reason)

    def add_bytes(self, data: bytes, name: str, source: EvidenceSource) -> None:
        if not data:
            return self._refuse(name, tr("There is nothing to keep: the data is empty."))
        detected = detect_type(data[:SNIFF_BYTES], name)
        if detected.kind is EvidenceKind.IMAGE and len(data) <= PREVIEW_MAX_BYTES:
            self._queue(name, name, data, detected, source, NO_FILE)
        else:
            import io

            self._stream(
                name,
                name,
                io.BytesIO(data),
                detected,
                source,
                NO_FILE,
                too_large=detected.kind is EvidenceKind.IMAGE,
            )

    def add_stream(self, handle: BinaryIO, name: str, display: str,
                   source: EvidenceSource) -> None:
        """Store data from a seekable stream (a member of a ZIP, never unpacked to disk)
        without holding it in memory."""
        detected = detect_type(handle.read(SNIFF_BYTES), name)
        handle.seek(0)
        self._stream(display, name, handle, detected, source, NO_FILE,
                     too_large=detected.kind is EvidenceKind.IMAGE)

    def finish(self) -> None:
        while self.in_flight:
            self._store_oldest()

    @property
    def outcomes(self) -> list[ImportOutcome]:
        return [o for o in self._slots if o is not None]

    def _report(self, outcome: ImportOutcome) -> None:
        self._slots.append(outcome)
        self._announce(outcome)

    def _fill(self, slot: int, outcome: ImportOutcome) -> None:
        self._slots[slot] = outcome
        self._announce(outcome)

    def _announce(self, outcome: ImportOutcome) -> None:
        # Called only once the outcome is final: for "added", after the commit returned.
        if self.on_outcome is not None:
            self.on_outcome(outcome)

    # -- the two paths ----------------------------------------------------------------------

    def _queue(
        self,
        display: str,
        name: str,
        data: bytes,
        detected: DetectedType,
        source: EvidenceSource,
        times: FileTimes,
    ) -> None:
        sha = hashlib.sha256(data).hexdigest()  # of the original bytes, before any decoding
        if sha in self.in_flight_hashes:
            first = next(p for p in self.in_flight if p.sha256 == sha)
            self._slots.append(None)  # filled in when the first copy is stored
            first.duplicates.append((len(self._slots) - 1, display))
            return
        existing = self._existing_id(sha)
        if existing is not None:
            self._report(ImportOutcome(display, "already-there", existing, sha))
            return
        # One decode, two outputs: the thumbnail and the picture a report page shows.
        future = self.pool.submit(data, reading=True)
        self._slots.append(None)
        self.in_flight.append(
            _Pending(
                display, name, data, sha, detected, source, times, future, len(self._slots) - 1
            )
        )
        self.in_flight_hashes.add(sha)
        while len(self.in_flight) >= self.max_in_flight:
            self._store_oldest()

    def _store_oldest(self) -> None:
        pending = self.in_flight.popleft()
        preview = pending.preview.result()
        self.in_flight_hashes.discard(pending.sha256)
        with self.case.write() as session:
            item = self._new_item(pending.name, pending.detected, pending.source, pending.times,
                                  len(pending.data), pending.sha256, preview)
            session.add(item)
            session.flush()
            store_bytes(session, item.id, pending.data)
            _store_pictures(session, item.id, preview)
            self._audit_add(session, item)
        self._fill(
            pending.slot,
            ImportOutcome(pending.display, "added", item.id, item.sha256, pending.detected.note),
        )
        for slot, display in pending.duplicates:
            self._fill(slot, ImportOutcome(display, "already-there", item.id, item.sha256))

    def _stream(
        self,
        display: str,
        name: str,
        handle: BinaryIO,
        detected: DetectedType,
        source: EvidenceSource,
        times: FileTimes,
        *,
        too_large: bool,
    ) -> None:
        """Store a file of any size, hashing exactly the bytes stored: in one transaction, or
        in parts for a big file (see streaming.py: the item is invisible until complete)."""
        self.finish()  # store the previews in flight first, so evidence numbers follow input order
        status = PreviewStatus.TOO_LARGE if too_large else PreviewStatus.NONE
        note = (
            tr("No preview: this image is too large to preview safely. The file itself is kept.")
            if too_large
            else None
        )

        def make_item(placeholder: str) -> EvidenceItem:
            item = self._new_item(name, detected, source, times, 0, placeholder, None)
            item.preview_status, item.preview_note = status.value, note
            return item

        streamed = stream_item(self.case, handle, make_item, self._audit_add,
                               busy=self.in_flight_hashes.__contains__)
        if not streamed.added:
            self._report(ImportOutcome(display, "already-there", streamed.evidence_id,
                                       streamed.sha256))
            return
        self._report(ImportOutcome(display, "added", streamed.evidence_id, streamed.sha256,
                                   detected.note))

    # -- helpers ----------------------------------------------------------------------------

    def _new_item(
        self,
        name: str,
        detected: DetectedType,
        source: EvidenceSource,
        times: FileTimes,
        size: int,
        sha: str,
        preview: PreviewResult | None,
    ) -> EvidenceItem:
        return EvidenceItem(
            sha256=sha,
            size=size,
            original_name=name,
            kind=_kind_for(detected, source, name),
            detected_type=detected.mime,
            type_note=detected.note,
            source=source.value,
            file_modified_at=times.modified,
            file_created_at=times.created,
            description=self.note,
            sensitive=self.sensitive,
            preview_status=_preview_status(preview),
            preview_note=preview.note if preview else None,
            width=preview.width if preview else None,
            height=preview.height if preview else None,
            exif_taken_at=preview.exif_taken_at if preview else None,
            exif_camera=preview.exif_camera if preview else None,
        )

    def _audit_add(self, session: Session, item: EvidenceItem) -> None:
        audit(
            session,
            self.case.actor,
            "evidence.add",
            f"evidence:{item.id}",
            acquisition_details(item, self.account),
        )

    def _existing_id(self, sha: str) -> int | None:
        with self.case.read() as session:
            return session.scalar(select(EvidenceItem.id).where(EvidenceItem.sha256 == sha))

    def _is_the_case_itself(self, path: Path) -> bool:
        """The case file and SQLite's companions beside it (dropped on the window by mistake)."""
        case_path = self.case.path
        own = {case_path.name} | {f"{case_path.name}{s}" for s in ("-wal", "-shm", "-journal")}
        try:
            return path.name in own and path.parent.resolve() == case_path.parent.resolve()
        except OSError:
            return False

    def _refuse(self, display: str, reason: str) -> None:
        self._report(ImportOutcome(display, "refused", reason=reason))


def _store_pictures(session: Session, evidence_id: int, preview: PreviewResult) -> None:
    """The thumbnail and the reading-size picture, from the same decode. Both are kept for a
    sensitive item too (the app and the report decide what is shown, not the import)."""
    if preview.thumbnail is not None:
        session.add(EvidenceThumbnail(evidence_id=evidence_id, width=preview.thumb_width or 0,
                                      height=preview.thumb_height or 0, jpeg=preview.thumbnail))
    if preview.reading is not None:
        session.add(EvidenceReadingImage(evidence_id=evidence_id,
                                         width=preview.reading_width or 0,
                                         height=preview.reading_height or 0,
                                         jpeg=preview.reading))


def _preview_status(preview: PreviewResult | None) -> str:
    if preview is None:
        return PreviewStatus.NONE.value
    return str(preview.status.value)


_SCREENSHOT_WORDS = ("screenshot", "screen shot", "screen_shot", "bildschirmfoto", "capture")


def _kind_for(detected: DetectedType, source: EvidenceSource, name: str) -> str:
    if detected.kind is EvidenceKind.IMAGE and (
        source in (EvidenceSource.SCREEN_CAPTURE, EvidenceSource.CLIPBOARD)
        or any(word in name.lower() for word in _SCREENSHOT_WORDS)
    ):
        return "screenshot"
    return str(detected.kind.value)


def _disk_full(exc: BaseException) -> bool:
    import errno

    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def _full_disk() -> StorageError:
    return StorageError(
        tr("The disk is full. Free some space and try again. Everything added before this is safe.")
    )
