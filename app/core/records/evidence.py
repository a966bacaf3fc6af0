"""Evidence items as the rest of the app sees them: listing (never decrypting content),
editing description/platform/sensitive flag, reading content back in chunks, removal."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from sys import intern
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from app.core.records.audited import apply_changes, audit, get_or_fail
from app.core.records.exhibits import exhibit_reference, producer_initials
from app.models import (
    CaseInfo,
    ChatExportRead,
    EvidenceItem,
    EvidenceReadingImage,
    EvidenceThumbnail,
)
from app.models.casefile import CaseFile
from app.models.content import read_content, read_contents

# The list query names its columns: SQLCipher decrypts every page a query touches, and
# content and thumbnails are in other tables, so this stays fast for 10,000 items.
_LIST_COLUMNS = (
    EvidenceItem.id,
    EvidenceItem.sha256,
    EvidenceItem.size,
    EvidenceItem.original_name,
    EvidenceItem.kind,
    EvidenceItem.detected_type,
    EvidenceItem.type_note,
    EvidenceItem.source,
    EvidenceItem.acquired_at,
    EvidenceItem.file_modified_at,
    EvidenceItem.file_created_at,
    EvidenceItem.exif_taken_at,
    EvidenceItem.exif_camera,
    EvidenceItem.width,
    EvidenceItem.height,
    EvidenceItem.description,
    EvidenceItem.platform,
    EvidenceItem.sensitive,
    EvidenceItem.preview_status,
    EvidenceItem.preview_note,
    EvidenceItem.exhibit_number,
    # "whatsapp"...: the item is a chat export Safekeep read (or tried to); its tile says so.
    ChatExportRead.platform.label("chat_platform"),
)


@dataclass(frozen=True, slots=True)  # a case may list tens of thousands
class EvidenceRow:
    id: int
    sha256: str
    size: int
    original_name: str
    kind: str
    detected_type: str
    type_note: str | None
    source: str
    acquired_at: datetime
    file_modified_at: datetime | None
    file_created_at: datetime | None
    exif_taken_at: str | None
    exif_camera: str | None
    width: int | None
    height: int | None
    description: str
    platform: str | None
    sensitive: bool
    preview_status: str
    preview_note: str | None
    exhibit_number: int  # with the producer's initials, the exhibit reference: "AB/3"
    chat_platform: str | None = None  # a chat export's platform ("whatsapp"), else None


# Columns whose few values repeat in every row ("image", "image/png", "file", "ok"): one string
# each, not one per row (a case of 30,000 items held 120,000 copies).
_SHARED_TEXT = ("kind", "detected_type", "source", "preview_status", "platform",
                "chat_platform")


def _listing() -> Select[*tuple[Any, ...]]:
    return select(*_LIST_COLUMNS).outerjoin(ChatExportRead,
                                            ChatExportRead.evidence_id == EvidenceItem.id)


def _evidence_row(row: Row[*tuple[Any, ...]]) -> EvidenceRow:
    values = row._asdict()
    for key in _SHARED_TEXT:
        value = values[key]
        if type(value) is str:
            values[key] = intern(value)
    return EvidenceRow(**values)


def evidence_rows(session: Session) -> list[EvidenceRow]:
    # A thousand rows at a time: all of a big case's rows at once were held twice for a moment.
    rows = session.execute(_listing().order_by(EvidenceItem.id)).yield_per(1000)
    return [_evidence_row(row) for row in rows]


def list_evidence(case: CaseFile) -> list[EvidenceRow]:
    with case.read() as session:
        return evidence_rows(session)


@dataclass(frozen=True)
class EvidencePage:
    rows: list[EvidenceRow]
    more: bool  # there are items after the last of `rows`


def evidence_page(case: CaseFile, *, after: int = 0, limit: int | None = None,
                  through: int | None = None) -> EvidencePage:
    """Items in id order after id `after`: `limit` of them (all with neither bound), and
    more if needed to reach id `through` (the grid reads a page first, the next as it is
    scrolled to, or up to an item it is asked to show). Keyset paging on the primary key: a
    page costs the same at the end of 30,000 items as at the start."""

    def read(session: Session, first: int, last: int | None,
             most: int | None) -> list[EvidenceRow]:
        query = _listing().where(EvidenceItem.id > first).order_by(EvidenceItem.id)
        query = query if last is None else query.where(EvidenceItem.id <= last)
        return [_evidence_row(row)
                for row in session.execute(query if most is None else query.limit(most))]

    with case.read() as session:
        rows = read(session, after, through if limit is None else None, limit)
        if limit is not None and through is not None and len(rows) == limit \
                and rows[-1].id < through:
            rows += read(session, rows[-1].id, through, None)
        last = rows[-1].id if rows else max(after, through or 0)
        more = session.scalar(select(EvidenceItem.id).where(EvidenceItem.id > last).limit(1))
    return EvidencePage(rows, more is not None)


def evidence_names(case: CaseFile, evidence_ids: Iterable[int]) -> dict[int, str]:
    """The original names of these items (those that still exist), for naming links."""
    wanted = sorted(set(evidence_ids))
    names: dict[int, str] = {}
    with case.read() as session:
        for start in range(0, len(wanted), 500):  # well under SQLite's limit on parameters
            names.update((row.id, row.original_name) for row in session.execute(
                select(EvidenceItem.id, EvidenceItem.original_name)
                .where(EvidenceItem.id.in_(wanted[start : start + 500]))))
    return names


def exhibit_references(case: CaseFile, evidence_ids: Iterable[int]) -> dict[int, str]:
    """The exhibit references ("AB/3") of these items (those that still exist), as the bundle
    names them: the case's initials now and each item's number."""
    wanted = sorted(set(evidence_ids))
    refs: dict[int, str] = {}
    if not wanted:
        return refs
    with case.read() as session:
        info = session.get(CaseInfo, 1)
        initials = producer_initials(info.producer_initials if info else None,
                                     info.display_name if info else "")
        for start in range(0, len(wanted), 500):  # well under SQLite's limit on parameters
            refs.update((row.id, exhibit_reference(initials, row.exhibit_number))
                        for row in session.execute(
                            select(EvidenceItem.id, EvidenceItem.exhibit_number)
                            .where(EvidenceItem.id.in_(wanted[start : start + 500]))))
    return refs


def evidence_with_exhibit(case: CaseFile, number: int) -> int | None:
    """The id of the item with this exhibit number ("AB/7": 7), if it is still in the case."""
    with case.read() as session:
        return session.scalar(select(EvidenceItem.id).where(EvidenceItem.exhibit_number == number))


def get_evidence(case: CaseFile, evidence_id: int) -> EvidenceRow:
    with case.read() as session:
        get_or_fail(session, EvidenceItem, evidence_id, "evidence item")
        row = session.execute(_listing().where(EvidenceItem.id == evidence_id)).one()
    return EvidenceRow(**row._asdict())


def read_thumbnail(case: CaseFile, evidence_id: int) -> bytes | None:
    with case.read() as session:
        return session.scalar(
            select(EvidenceThumbnail.jpeg).where(EvidenceThumbnail.evidence_id == evidence_id)
        )


@dataclass(frozen=True)
class ReadingImage:
    """The reading-size picture made at import by the sandboxed preview workers: a JPEG, or
    a plain PNG's own compressed pixels (app.core.pictures.png_pixels)."""

    jpeg: bytes
    width: int
    height: int


def reading_image_ids(case: CaseFile) -> set[int]:
    """The items that have a reading-size picture (ids only: no picture is decrypted)."""
    with case.read() as session:
        return set(session.scalars(select(EvidenceReadingImage.evidence_id)))


_READING = select(EvidenceReadingImage.evidence_id, EvidenceReadingImage.jpeg,
                  EvidenceReadingImage.width, EvidenceReadingImage.height)


def read_reading_image(case: CaseFile, evidence_id: int) -> ReadingImage | None:
    with case.read() as session:
        row = session.execute(
            _READING.where(EvidenceReadingImage.evidence_id == evidence_id)).one_or_none()
    return None if row is None else ReadingImage(row.jpeg, row.width, row.height)


def iter_reading_images(case: CaseFile, evidence_ids: Sequence[int], *,
                        batch: int = 32) -> Iterator[tuple[int, ReadingImage]]:
    """(evidence id, reading-size picture) for the items of `evidence_ids` that have one, in
    ascending id order, one read transaction per `batch` items (a query and a transaction
    each cost about a third as much as decrypting a screenshot's picture)."""
    ids = sorted(evidence_ids)
    for start in range(0, len(ids), batch):
        with case.read() as session:
            rows = session.execute(_READING.where(
                EvidenceReadingImage.evidence_id.in_(ids[start:start + batch]))
                .order_by(EvidenceReadingImage.evidence_id))
            for row in rows:
                yield row.evidence_id, ReadingImage(row.jpeg, row.width, row.height)


def iter_content(case: CaseFile, evidence_id: int) -> Iterator[bytes]:
    """The original bytes, chunk by chunk, in one read transaction (bounded memory)."""
    with case.read() as session:
        yield from read_content(session, evidence_id)


def iter_contents(case: CaseFile, evidence_ids: Sequence[int], *,
                  batch: int = 200) -> Iterator[tuple[int, bytes]]:
    """(evidence id, chunk) for many items, in ascending id order and chunk by chunk, one read
    transaction per `batch` items (a query each would cost more than the copying of a small
    item). An item with empty content yields nothing."""
    ids = sorted(evidence_ids)
    for start in range(0, len(ids), batch):
        with case.read() as session:
            yield from read_contents(session, ids[start : start + batch])


def edit_evidence(
    case: CaseFile,
    evidence_id: int,
    *,
    description: str | None = None,
    platform: str | None = None,
    sensitive: bool | None = None,
) -> None:
    changes: dict[str, object] = {}
    if description is not None:
        changes["description"] = description
    if platform is not None:
        changes["platform"] = platform or None
    if sensitive is not None:
        changes["sensitive"] = sensitive
    with case.write() as session:
        row = get_or_fail(session, EvidenceItem, evidence_id, "evidence item")
        changed = apply_changes(row, changes)
        if changed:
            audit(session, case.actor, "evidence.edit", f"evidence:{row.id}", changed)


def remove_evidence(case: CaseFile, evidence_id: int, reason: str = "") -> None:
    """Remove an item and its content. Its audit trail stays, with its hash and name, so an
    officer can see that it existed and why it went."""
    with case.write() as session:
        row = get_or_fail(session, EvidenceItem, evidence_id, "evidence item")
        audit(
            session,
            case.actor,
            "evidence.remove",
            f"evidence:{row.id}",
            {"sha256": row.sha256, "name": row.original_name, "size": row.size, "reason": reason,
             "exhibit_number": row.exhibit_number},  # the report names the gap it leaves
        )
        session.delete(row)  # chunks, thumbnail and links go with it (ON DELETE CASCADE)
