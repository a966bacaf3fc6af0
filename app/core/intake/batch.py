"""One batch of evidence intake: the pipeline that `ingest.import_paths` and `import_bytes`
drive (see app/core/ingest.py for the whole story). Images and small files are read into
memory and wait in a bounded queue (images for their previews); complete items go, in input
order, into a group that is committed several items at a time (see group.py). Files too big
for memory are streamed, each in its own transaction, after the group before them is written.

An outcome is announced (`on_outcome`) once it is final: "added", and "already there" for a
copy of an item of this batch, only after the commit that holds the item returned."""

import errno
import hashlib
import io
import stat
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, cast

from sqlalchemy.orm import Session

from app.core.chats import BytesSource, cut_zip_note, cut_zip_note_in, detect
from app.core.intake import streaming
from app.core.intake.fixed_size import FileChanged, FixedSizeReader
from app.core.intake.group import (
    GROUP_SECONDS,
    CommitGroup,
    HashLookup,
    StagedItem,
    evidence_row,
)
from app.core.intake.outcome import ImportOutcome
from app.core.intake.previews import Previews
from app.core.intake.provenance import (
    NO_FILE,
    FileTimes,
    acquisition_details,
    computer_account,
    file_times,
)
from app.core.intake.read_stops import open_to_read, stop_for
from app.core.intake.sniff import DetectedType, EvidenceKind, detect_type
from app.core.intake.streaming import StreamStopped, stream_item
from app.core.intake.system_files import is_the_case_itself
from app.core.pictures import PDF_TYPE, PreviewResult, PreviewStatus
from app.core.records import audit
from app.i18n import tr
from app.models import EvidenceItem, EvidenceSource
from app.models.base import utc_now
from app.models.casefile import CaseFile
from app.models.disk_room import shortfall_for

SNIFF_BYTES = 8192
# Images up to this size are read into memory once and previewed; larger ones are streamed.
PREVIEW_MAX_BYTES = 64 * 1024 * 1024
# Other files up to this size are read into memory and stored in a group; larger ones stream.
SMALL_FILE_BYTES = 4 * 1024 * 1024
# How many previews may be in flight: enough to keep every worker busy, bounded in memory.
# Small pictures may be more, up to PREVIEW_WINDOW_BYTES: while the workers start (a second or
# two) the files after the first picture keep being read and hashed, and no worker goes idle.
IN_FLIGHT_PER_WORKER = 3
PREVIEW_WINDOW_BYTES = 16 * 1024 * 1024
# How many items (and bytes) may wait in the queue in all, previewed or not.
MAX_QUEUED = 4096
MAX_QUEUED_BYTES = 128 * 1024 * 1024

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]
OnOutcome = Callable[[ImportOutcome], None]


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
    preview: "Future[PreviewResult] | None"  # None: not an image, nothing to wait for
    slot: int  # where its outcome goes, so outcomes follow the order files were given
    acquired: datetime
    maybe_chat: bool = False
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (slot, display) of copies


class BatchImporter:
    def __init__(self, case: CaseFile, pool: Previews, *, sensitive: bool, note: str,
                 on_outcome: "OnOutcome | None" = None,
                 is_cancelled: "IsCancelled | None" = None,
                 taken_from: dict[str, object] | None = None) -> None:
        """`taken_from`: where every item of this batch was taken from (a chat export's
        evidence id and the path inside it), recorded in each arrival's audit event."""
        self.case = case
        self.is_cancelled = is_cancelled  # asked between the parts of a big file too
        self.on_outcome = on_outcome
        self.pool = pool
        self.sensitive = sensitive
        self.note = note
        self.in_flight: deque[_Pending] = deque()  # in input order, waiting to join the group
        self.previews = 0  # how many of them wait for a preview
        self.preview_bytes = 0
        self.queued_bytes = 0
        # Every item of this batch not yet committed, by hash, with the list its copies join.
        self.waiting: dict[str, list[tuple[int, str]]] = {}
        self._slots: list[ImportOutcome | None] = []
        self.max_in_flight = max(2, pool.workers * IN_FLIGHT_PER_WORKER)
        self.account = computer_account()  # recorded with each item: who held it on arrival
        self.arrival: dict[str, object] = {"taken_from": taken_from} if taken_from else {}
        self.group = CommitGroup(case, self.account, self.arrival)
        self.lookup = HashLookup(case)
        # Items of this batch whose bytes were seen not to be a chat export: the chat pass
        # after the batch need not read them back (see chat_reading).
        self.not_chats: set[int] = set()

    # -- entry points ---------------------------------------------------------------------

    def add_file(self, path: Path, display: str, source: EvidenceSource) -> None:
        self._commit_if_due()  # by time, even while files are refused or slow to read
        if is_the_case_itself(self.case.path, path):
            return self._refuse(display, tr("This is the case file itself, so it is not added."))
        try:
            info = path.stat()
        except PermissionError:
            return self._refuse(display, tr("Safekeep is not allowed to read this file."))
        except OSError as exc:
            if (stop := stop_for(exc, path, display)) is not None:
                raise stop from None
            if isinstance(exc, FileNotFoundError):
                return self._refuse(display, tr("This file could not be found."))
            if exc.errno == errno.ELOOP:
                return self._refuse(display, tr(
                    "This link leads round in a circle, back to itself, so there is no file "
                    "to add."))
            return self._refuse(display, tr("This file could not be read."))
        if not stat.S_ISREG(info.st_mode):
            return self._refuse(display, tr("This is not an ordinary file, so it cannot be kept."))
        if info.st_size == 0:
            return self._refuse(display, tr("This file is empty, so there is nothing to keep."))
        times = file_times(info)
        try:
            with open_to_read(path) as raw:
                handle = FixedSizeReader(raw, info.st_size)  # as it was when we looked at it
                head = handle.read(SNIFF_BYTES)
                detected = detect_type(head, path.name)
                if _fits_in_memory(detected, info.st_size):
                    data = head + handle.read_all()
                    self._queue(display, path.name, data, detected, source, times)
                else:
                    handle.seek(0)
                    self._stream(display, path.name, cast(BinaryIO, handle), detected, source,
                                 times, too_large=detected.kind is EvidenceKind.IMAGE,
                                 size=info.st_size)
        except FileChanged:
            self._refuse(display, tr(
                "This file changed while it was read: it may still be being written (a "
                "download or a recording). Add it again once it is complete."))
        except PermissionError:
            self._refuse(display, tr("Safekeep is not allowed to read this file."))
        except OSError as exc:
            if (stop := stop_for(exc, path, display)) is not None:
                raise stop from None
            self._refuse(display, tr("This file could not be read to the end."))

    def refuse(self, display: str, reason: str) -> None:
        """Say that something given is not added, and why (in order with the others)."""
        self._refuse(display, reason)

    def leave_out(self, display: str, reason: str) -> None:
        """Say that a file the computer made for itself was left out of a folder, and why."""
        self._report(ImportOutcome(display, "left-out", reason=reason))

    def add_bytes(self, data: bytes, name: str, source: EvidenceSource) -> None:
        if not data:
            return self._refuse(name, tr("There is nothing to keep: the data is empty."))
        detected = detect_type(data[:SNIFF_BYTES], name)
        if _fits_in_memory(detected, len(data)):
            self._queue(name, name, data, detected, source, NO_FILE)
        else:
            self._stream(name, name, io.BytesIO(data), detected, source, NO_FILE,
                         too_large=detected.kind is EvidenceKind.IMAGE, size=len(data))

    def add_stream(self, handle: BinaryIO, name: str, display: str,
                   source: EvidenceSource, size: int) -> None:
        """Store data from a seekable stream of `size` bytes (a member of a ZIP, never
        unpacked to disk) without holding it in memory."""
        detected = detect_type(handle.read(SNIFF_BYTES), name)
        handle.seek(0)
        self._stream(display, name, handle, detected, source, NO_FILE,
                     too_large=detected.kind is EvidenceKind.IMAGE, size=size)

    def finish(self) -> None:
        """Store everything queued and commit it. On cancel the batch calls this too: items
        already read are complete, so they are kept (and reported) rather than dropped."""
        while self.in_flight:
            self._stage_oldest()
        self._commit()
        self.lookup.close()

    def abandon(self) -> None:
        """The batch failed (a full disk): forget what is queued or grouped, unreported.
        Everything committed before stays."""
        for pending in self.in_flight:
            if pending.preview is not None:
                pending.preview.cancel()
        self.in_flight.clear()
        self.previews = self.preview_bytes = self.queued_bytes = 0
        self.group.discard()
        self.lookup.close()
        self.waiting.clear()

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

    # -- the queue and the group ----------------------------------------------------------

    def _queue(self, display: str, name: str, data: bytes, detected: DetectedType,
               source: EvidenceSource, times: FileTimes) -> None:
        sha = hashlib.sha256(data).hexdigest()  # of the original bytes, before any decoding
        acquired = utc_now()
        copies = self.waiting.get(sha)
        if copies is not None:  # given twice in this batch: answered when the first is stored
            self._slots.append(None)
            copies.append((len(self._slots) - 1, display))
            return
        image = detected.kind is EvidenceKind.IMAGE
        if image:  # worth a look first: a preview costs far more than the query
            existing = self.lookup.find(sha)
            if existing is not None:
                self._report(ImportOutcome(display, "already-there", existing, sha))
                return
        # (any other file already in the case is found by the commit, in its transaction)
        # One decode, two outputs: the thumbnail and the picture a report page shows (of a
        # PDF, its first page).
        drawn = _drawn(detected)
        future = self.pool.submit(data, reading=True) if drawn else None
        self._slots.append(None)
        note = None if image else cut_zip_note(data)
        detected = detected.with_note(note)
        pending = _Pending(display, name, data, sha, detected, source, times, future,
                           len(self._slots) - 1, acquired,
                           maybe_chat=not image and note is None
                           and _may_be_chat(display, name, data))
        self.in_flight.append(pending)
        self.waiting[sha] = pending.duplicates
        self.previews += int(drawn)
        self.preview_bytes += len(data) if drawn else 0
        self.queued_bytes += len(data)
        self._stage_ready()
        while ((self.previews >= self.max_in_flight
                and self.preview_bytes >= PREVIEW_WINDOW_BYTES)
               or len(self.in_flight) >= MAX_QUEUED or self.queued_bytes > MAX_QUEUED_BYTES):
            self._stage_oldest()
            self._stage_ready()
        self._commit_if_due()

    def _stage_ready(self) -> None:
        """Every item at the head of the queue that needs no more waiting, into the group."""
        while self.in_flight and (self.in_flight[0].preview is None
                                  or self.in_flight[0].preview.done()):
            self._stage_oldest()

    def _stage_oldest(self) -> None:
        """The oldest queued item, complete (its preview back), into the group."""
        pending = self.in_flight.popleft()
        self.queued_bytes -= len(pending.data)
        preview = None
        if pending.preview is not None:
            preview = self._wait(pending.preview)
            self.previews -= 1
            self.preview_bytes -= len(pending.data)
        self.group.add(StagedItem(
            pending.slot, pending.display,
            evidence_row(pending.name, pending.detected, pending.source, pending.times,
                         size=len(pending.data), sha=pending.sha256, preview=preview,
                         acquired=pending.acquired, description=self.note,
                         sensitive=self.sensitive),
            pending.data, preview, pending.duplicates, pending.maybe_chat))

    def _wait(self, future: "Future[PreviewResult]") -> PreviewResult:
        """A preview's result. A wait longer than the open group has left commits the group
        first, so it is never held open (nor its items unreported) waiting on a slow picture."""
        if not future.done() and self.group.items:
            try:
                return future.result(timeout=max(0.0, GROUP_SECONDS - self.group.age()))
            except FutureTimeout:
                self._commit()
        return future.result()

    def _commit_if_due(self) -> None:
        if self.group.due():
            self._commit()

    def _commit(self) -> None:
        """Write the group, then announce its outcomes: nothing is reported before this."""
        self.group.commit_all(self._announce_written)

    def _announce_written(self, written: list[StagedItem]) -> None:
        for item in written:
            del self.waiting[item.sha256]
            assert item.evidence_id is not None
            if not item.maybe_chat:
                self.not_chats.add(item.evidence_id)
            if item.added:
                self._fill(item.slot, ImportOutcome(item.display, "added", item.evidence_id,
                                                    item.sha256, item.row["type_note"]))
            else:
                self._fill(item.slot, ImportOutcome(item.display, "already-there",
                                                    item.evidence_id, item.sha256))
            for slot, display in item.duplicates:
                self._fill(slot, ImportOutcome(display, "already-there", item.evidence_id,
                                               item.sha256))

    # -- files too big for memory -----------------------------------------------------------

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
        size: int | None = None,
    ) -> None:
        """Store a file of any size, hashing exactly the bytes stored: in one transaction, or
        in parts for a big file (see streaming.py: the item is invisible until complete)."""
        self.finish()  # store the previews in flight first, so evidence numbers follow input order
        if size is not None and (
                short := shortfall_for(self.case, size, streaming.PART_BYTES)) is not None:
            return self._refuse(display, short.sentence)
        status = PreviewStatus.TOO_LARGE if too_large else PreviewStatus.NONE
        if not too_large and size is not None:
            detected = detected.with_note(cut_zip_note_in(handle, size))
        note = (
            tr("No preview: this image is too large to preview safely. The file itself is kept.")
            if too_large
            else None
        )

        def make_item(placeholder: str) -> EvidenceItem:
            item = EvidenceItem(**evidence_row(
                name, detected, source, times, size=0, sha=placeholder, preview=None,
                acquired=utc_now(), description=self.note, sensitive=self.sensitive))
            item.preview_status, item.preview_note = status.value, note
            return item

        try:
            streamed = stream_item(self.case, handle, make_item, self._audit_add,
                                   busy=self.waiting.__contains__,
                                   is_cancelled=self.is_cancelled)
        except StreamStopped:
            return  # not added, and not said to be: the batch ends here ("The rest was not read")
        if not streamed.added:
            self._report(ImportOutcome(display, "already-there", streamed.evidence_id,
                                       streamed.sha256))
            return
        self._report(ImportOutcome(display, "added", streamed.evidence_id, streamed.sha256,
                                   detected.note))

    def _audit_add(self, session: Session, item: EvidenceItem) -> None:
        """A streamed item's arrival, in the transaction that completes it."""
        audit(session, self.case.actor, "evidence.add", f"evidence:{item.id}",
              acquisition_details(item, self.account) | self.arrival)

    # -- helpers ----------------------------------------------------------------------------

    def _refuse(self, display: str, reason: str) -> None:
        self._report(ImportOutcome(display, "refused", reason=reason))


def _fits_in_memory(detected: DetectedType, size: int) -> bool:
    if _drawn(detected):
        return size <= PREVIEW_MAX_BYTES
    return size <= SMALL_FILE_BYTES


def _drawn(detected: DetectedType) -> bool:
    """Given a preview: a picture, or a PDF (its first page)."""
    return detected.kind is EvidenceKind.IMAGE or detected.mime == PDF_TYPE


def _may_be_chat(display: str, name: str, data: bytes) -> bool:
    """Could these bytes be a chat export? The same judgement the chat pass makes on the
    bytes stored (they are these bytes: same hash), made now, while they are in memory."""
    try:
        return detect(BytesSource(name, data, display)) is not None
    except OSError:
        return False

