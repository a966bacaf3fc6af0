"""Group commits: several small items stored in ONE write transaction.

Each commit is an fsync (synchronous FULL), and one transaction per item held small-file intake
to about 200 items a second. So items that are complete (read, hashed, previewed) wait here, in
memory and in input order, and are written together when the group is GROUP_SECONDS old, holds
GROUP_MAX_ITEMS or GROUP_MAX_BYTES, or the batch needs it written (finish, cancel, before a file
too big for memory is streamed). The importer reports an item as added only after the commit
that holds it returned, so a kill at any moment loses at most items not yet reported, and each
commit is all or nothing like the single item was. On a nearly full disk a commit writes only
the items, from the first, that surely fit (app/models/disk_room.py); the rest stay queued.

The commit takes the write lock only to write: it checks which hashes are already in the case
(the last word on "already there", in the same transaction as the insert), numbers the new
items (ids and exhibit numbers, in input order), links their audit events into the chain, and
inserts each table's rows with one statement. The ORM's unit of work, per item, was about a
third of the time; here there is none.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session

from app.core.intake.provenance import FileTimes, acquisition_details
from app.core.intake.sniff import DetectedType, EvidenceKind
from app.core.pictures import PDF_TYPE, PreviewResult, PreviewStatus
from app.core.records import AuditBatch
from app.errors import StorageError
from app.i18n import tr
from app.models import (
    EvidenceChunk,
    EvidenceItem,
    EvidenceReadingImage,
    EvidenceSource,
    EvidenceThumbnail,
)
from app.models.base import file_name_in
from app.models.casefile import CaseFile
from app.models.content import chunk_rows
from app.models.disk_room import NoRoomFrom, disk_room, free_pages_in
from app.models.evidence import take_exhibit_numbers
from app.models.safe_files import case_error

# A group is written once it is this old (seconds): long enough to share one fsync among many
# small items, short enough that what a person sees reported keeps up with the work.
GROUP_SECONDS = 0.15
GROUP_MAX_ITEMS = 1000
GROUP_MAX_BYTES = 32 * 1024 * 1024  # the group is in memory until it is written


@dataclass
class StagedItem:
    """A complete item waiting in a group: its `evidence_item` columns (all but id and exhibit
    number, given at commit), its bytes and its pictures."""

    slot: int  # where its outcome goes (see BatchImporter)
    display: str
    row: dict[str, Any]
    data: bytes
    preview: PreviewResult | None
    duplicates: list[tuple[int, str]]  # (slot, display) of copies given in the same batch
    maybe_chat: bool  # False when its bytes were seen not to be a chat export
    evidence_id: int | None = None  # set by the commit
    added: bool = False  # set by the commit: False when the case held it already

    @property
    def sha256(self) -> str:
        return str(self.row["sha256"])


@dataclass
class CommitGroup:
    case: CaseFile
    account: str  # the computer account, recorded in each evidence.add event
    arrival: dict[str, object]  # more for each evidence.add event (where a file came from)
    items: list[StagedItem] = field(default_factory=list)
    size: int = 0
    began: float = 0.0
    # Set by a commit that wrote only the items the disk had room for: why the rest were not.
    no_room: NoRoomFrom | None = None

    def add(self, item: StagedItem) -> None:
        if not self.items:
            self.began = time.monotonic()
        self.items.append(item)
        self.size += len(item.data)

    def age(self) -> float:
        return time.monotonic() - self.began if self.items else 0.0

    def due(self) -> bool:
        return bool(self.items) and (self.age() >= GROUP_SECONDS
                                     or len(self.items) >= GROUP_MAX_ITEMS
                                     or self.size >= GROUP_MAX_BYTES)

    def discard(self) -> None:
        """Forget the group unwritten (the batch failed): none of it was reported."""
        self.items, self.size = [], 0

    def commit_all(self, announce: Callable[[list[StagedItem]], None]) -> None:
        """Write the whole group, giving `announce` what each commit wrote. On a nearly full
        disk a commit writes only what surely fits: the log's room is then given back and the
        rest tried again, until nothing more fits; then StorageError, the rest unwritten."""
        folded = False
        while True:
            written = self.commit()
            announce(written)
            stop = self.no_room
            if stop is None:
                return
            if any(item.added for item in written):
                folded = False
            elif folded:
                raise StorageError(stop.sentence)
            self.case.give_back_log_room()
            folded = True

    def commit(self) -> list[StagedItem]:
        """Write the group in one transaction; return its items, each with its evidence id and
        whether it was added. Raises (StorageError for a full disk) with nothing written.

        Only the items, from the first, that the case's disk surely has room for are written:
        written, the rest would fill the disk to its last byte before failing (other programs
        fail meanwhile), or commit into the log with no room left to fold it into the case
        file. They are not returned: they stay in the group, and `no_room` says why."""
        items, self.items, self.size, self.no_room = self.items, [], 0, None
        if not items:
            return []
        with self.case.write() as session:
            conn = session.connection()
            there: dict[str, int] = {sha: row_id for sha, row_id in conn.execute(
                select(EvidenceItem.sha256, EvidenceItem.id).where(
                    EvidenceItem.sha256.in_([item.sha256 for item in items])))}
            fresh = [item for item in items if item.sha256 not in there]
            for item in items:
                item.evidence_id, item.added = there.get(item.sha256), False
            fresh, unwritten = self._room_for(conn, fresh)
            if fresh:
                self._insert(session, conn, fresh)
        for item in unwritten:
            self.add(item)
        left = {id(item) for item in unwritten}
        return [item for item in items if id(item) not in left]

    def _room_for(self, conn: Connection, fresh: list[StagedItem]
                  ) -> tuple[list[StagedItem], list[StagedItem]]:
        """The new items the disk has room for, from the first; and those it has not (where
        they stop goes in `no_room`)."""
        room = disk_room(self.case, free_pages_in(conn))
        if room is None:
            return fresh, []
        fit, self.no_room = room.fitting([(file_name_in(item.display), _stored_bytes(item))
                                          for item in fresh])
        return fresh[:fit], fresh[fit:]

    def _insert(self, session: Session, conn: Connection, fresh: list[StagedItem]) -> None:
        """Number the new items and insert each table's rows with one statement."""
        first_id = (conn.execute(select(func.max(EvidenceItem.id))).scalar() or 0) + 1
        first_number = take_exhibit_numbers(conn, len(fresh))
        audit = AuditBatch(session, self.case.actor)
        rows: list[dict[str, Any]] = []
        chunks: list[dict[str, object]] = []
        thumbnails: list[dict[str, Any]] = []
        readings: list[dict[str, Any]] = []
        for n, item in enumerate(fresh):
            item.evidence_id, item.added = first_id + n, True
            row = {**item.row, "id": first_id + n, "exhibit_number": first_number + n}
            rows.append(row)
            chunks += chunk_rows(first_id + n, item.data)
            _picture_rows(first_id + n, item.preview, thumbnails, readings)
            audit.add("evidence.add", f"evidence:{first_id + n}",
                      acquisition_details(row, self.account) | self.arrival)
        conn.execute(insert(EvidenceItem), rows)
        if chunks:
            conn.execute(insert(EvidenceChunk), chunks)
        if thumbnails:
            conn.execute(insert(EvidenceThumbnail), thumbnails)
        if readings:
            conn.execute(insert(EvidenceReadingImage), readings)
        audit.write()


def _stored_bytes(item: StagedItem) -> int:
    preview = item.preview
    pictures = 0 if preview is None else len(preview.thumbnail or b"") + len(
        preview.reading or b"")
    return len(item.data) + pictures


class HashLookup:
    """Is this content in the case already? Asked for each picture before it is previewed (a
    preview costs far more than the question). One connection is held for the batch and each
    question is one short read transaction of its own: a session each cost about four times
    as much, which counted at thousands of small pictures."""

    _QUERY = select(EvidenceItem.id).where(EvidenceItem.sha256 == bindparam("sha"))

    def __init__(self, case: CaseFile) -> None:
        self._case = case
        self._conn: Connection | None = None

    def find(self, sha: str) -> int | None:
        try:
            if self._conn is None:
                self._conn = self._case.engine.connect()
            found = self._conn.execute(self._QUERY, {"sha": sha}).scalar()
            self._conn.rollback()  # ends the read at once: it never holds the log back
        except SADatabaseError as exc:
            raise case_error(self._case.path, exc) from None  # a stick taken out: said
        return None if found is None else int(found)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _picture_rows(evidence_id: int, preview: PreviewResult | None,
                  thumbnails: list[dict[str, Any]], readings: list[dict[str, Any]]) -> None:
    """The thumbnail and the reading-size picture, from the same decode. Both are kept for a
    sensitive item too (the app and the report decide what is shown, not the import)."""
    if preview is None:
        return
    if preview.thumbnail is not None:
        thumbnails.append({"evidence_id": evidence_id, "width": preview.thumb_width or 0,
                           "height": preview.thumb_height or 0, "jpeg": preview.thumbnail})
    if preview.reading is not None:
        readings.append({"evidence_id": evidence_id, "width": preview.reading_width or 0,
                         "height": preview.reading_height or 0, "jpeg": preview.reading})


def evidence_row(name: str, detected: DetectedType, source: EvidenceSource, times: FileTimes, *,
                 size: int, sha: str, preview: PreviewResult | None, acquired: datetime,
                 description: str, sensitive: bool) -> dict[str, Any]:
    """The columns of an item's `evidence_item` row, but its id and exhibit number."""
    return {
        "sha256": sha,
        "size": size,
        "original_name": name,
        "kind": _kind_for(detected, source, name),
        "detected_type": detected.mime,
        "type_note": detected.note,
        "source": source.value,
        "acquired_at": acquired,
        "file_modified_at": times.modified,
        "file_created_at": times.created,
        "description": description,
        "sensitive": sensitive,
        "preview_status": _preview_status(preview),
        "preview_note": _preview_note(preview, detected),
        "width": preview.width if preview else None,
        "height": preview.height if preview else None,
        "exif_taken_at": preview.exif_taken_at if preview else None,
        "exif_camera": preview.exif_camera if preview else None,
    }


def _preview_note(preview: PreviewResult | None, detected: DetectedType) -> str | None:
    if preview is not None and preview.status is not PreviewStatus.OK \
            and detected.mime == PDF_TYPE:  # the sentences of pictures speak of an image
        return tr("No preview: the first page of this PDF could not be drawn (it may be "
                  "locked with a password, or damaged). The file itself is kept and will be "
                  "exported.")
    return preview.note if preview else None


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
